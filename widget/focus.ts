/** Where focus goes in a step: the tab stop of the first field, else the close button. */
export function firstControl(scope: ParentNode): HTMLElement | null {
  return tabStop(scope.querySelector<HTMLInputElement>('[name]'), scope) ?? scope.querySelector('.close')
}

/** A radio group's tab stop is its checked radio, when there is one; anything else is its own. */
function tabStop(first: HTMLInputElement | null, scope: ParentNode): HTMLElement | null {
  if (first?.type !== 'radio') return first
  return scope.querySelector<HTMLElement>(`[name="${first.name}"]:checked`) ?? first
}

/**
 * Keeps Tab inside a modal card. The close button is always last in the card, so Tab on it
 * wraps to the first tab stop (a field, or the "change" button before the fields), and Shift+Tab
 * on that first stop (any radio of its group), or on the card itself (where focus lands when it
 * opens), wraps back to it.
 */
export function keepTabInside(event: KeyboardEvent, card: HTMLElement): void {
  const active = (card.getRootNode() as ShadowRoot).activeElement as HTMLInputElement | null
  const first = tabStop(card.querySelector<HTMLInputElement>('button, [name]'), card)
  const close = card.querySelector<HTMLElement>('.close')
  const onFirst = active === card || active === first || (!!active?.name && active.type === 'radio' && active.name === (first as HTMLInputElement | null)?.name)
  const target = event.shiftKey ? (onFirst ? close : null) : active === close ? first : null
  if (target) {
    event.preventDefault()
    target.focus()
  }
}
