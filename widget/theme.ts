import type { Theme } from '../sdk/protocol.ts'

/**
 * The survey's theme as `:host` custom properties (`brand` → `--hk-brand`), set through the
 * CSSOM: no style attribute (a strict CSP forbids those) and no CSS text built from strings,
 * so a theme value cannot smuggle in another rule.
 */
export function themeSheet(theme: Theme = {}): CSSStyleSheet {
  const sheet = new CSSStyleSheet()
  sheet.replaceSync(':host{}')
  const { style } = sheet.cssRules[0] as CSSStyleRule
  for (const [key, value] of Object.entries(theme)) style.setProperty(`--hk-${key}`, value)
  return sheet
}
