import { render } from 'preact'
import type { WidgetModule } from '../sdk/protocol.ts'
import { Card } from './Card.tsx'
import css from './styles.css?inline'

/**
 * Styles go in through a constructed stylesheet, not a <style> tag: it needs no
 * 'unsafe-inline' under a strict Content-Security-Policy and stays inside the shadow root.
 */
let sheet: CSSStyleSheet | undefined

export const mount: WidgetModule['mount'] = (root, props) => {
  if (!sheet) {
    sheet = new CSSStyleSheet()
    sheet.replaceSync(css)
  }
  root.adoptedStyleSheets = [sheet]
  render(<Card {...props} />, root)
  return () => render(null, root)
}
