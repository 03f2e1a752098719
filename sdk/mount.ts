import type { WidgetModule, WidgetProps } from './widget-contract.ts'

/**
 * Puts the card on the page: a host element (inside `survey.container` for inline surveys,
 * else at the end of the body) whose open shadow root keeps page styles out. Returns the remover.
 */
export function mountCard(widget: WidgetModule, props: WidgetProps): () => void {
  const { survey } = props
  const parent = survey.placement === 'inline' ? document.querySelector(survey.container ?? '') : document.body
  if (!parent) throw new Error(`no container ${survey.container}`)
  const host = document.createElement('div')
  host.dataset.hearken = survey.id
  parent.append(host)
  const unmount = widget.mount(host.attachShadow({ mode: 'open' }), props)
  return () => {
    unmount()
    host.remove()
  }
}
