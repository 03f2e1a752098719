/** Where focus goes in a step: the tab stop of the first field, else the close button. */
export function firstControl(scope: ParentNode): HTMLElement | null {
  const first = scope.querySelector<HTMLInputElement>('[name]')
  if (!first) return scope.querySelector('.close')
  // A radio group's tab stop is its checked radio, when there is one.
  return scope.querySelector<HTMLElement>(`[name="${first.name}"]:checked`) ?? first
}

/**
 * Keeps Tab inside a modal card. The close button is always last in the card, so Tab on it
 * wraps to the first field, and Shift+Tab on the first field (any radio of its group), or on
 * the card itself (where focus lands when it opens), wraps back.
 */
export function keepTabInside(event: KeyboardEvent, card: HTMLElement): void {
  const active = (card.getRootNode() as ShadowRoot).activeElement as HTMLInputElement | null
  const first = firstControl(card)
  const close = card.querySelector<HTMLElement>('.close')
  const onFirst = active === card || active === first || (!!active?.name && active.name === (first as HTMLInputElement | null)?.name)
  const target = event.shiftKey ? (onFirst ? close : null) : active === close ? first : null
  if (target) {
    event.preventDefault()
    target.focus()
  }
}
