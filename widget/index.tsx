import { render } from 'preact'
import type { WidgetModule } from '../sdk/widget-contract.ts'
import { Card } from './Card.tsx'
import { CLOSE_AFTER_MS, stepAfterScore, type Answer, type Step } from './flow.ts'
import { firstControl } from './focus.ts'
import { textsFor } from './i18n/index.ts'
import css from './styles.css?inline'
import { themeSheet } from './theme.ts'

/**
 * Styles go in through constructed stylesheets, not a <style> tag: they need no
 * 'unsafe-inline' under a strict Content-Security-Policy and stay inside the shadow root.
 * The base sheet is made once and shared by every card on the page.
 */
let baseSheet: CSSStyleSheet | undefined

/**
 * Renders the card into `root` and drives it: each submitted step moves to the next, and
 * the props' callbacks hear the score as soon as it is chosen, the full answer at the thanks.
 */
export const mount: WidgetModule['mount'] = (root, props) => {
  const { survey, locale } = props
  const texts = textsFor(survey, locale)
  const returnFocusTo = document.activeElement as HTMLElement | null
  // A score chosen in an email arrives already recorded: start after it, without onAnswer.
  let answer: Answer | undefined = props.initialScore === undefined ? undefined : { score: props.initialScore }
  let step: Step = answer ? stepAfterScore(survey, answer.score) : 'score'
  let error = ''
  let closeTimer: ReturnType<typeof setTimeout> | undefined

  if (!baseSheet) {
    baseSheet = new CSSStyleSheet()
    baseSheet.replaceSync(css)
  }
  root.adoptedStyleSheets = [baseSheet, themeSheet(survey.theme)]

  const close = (): void => (answer ? props.onClose : props.onDismiss)()

  const submit = (form: HTMLFormElement): void => {
    const data = new FormData(form)
    if (answer) {
      const comment = String(data.get('comment') ?? '').trim()
      if (comment) answer.comment = comment
      const rated = (survey.dimensions ?? []).filter(({ id }) => data.has(id))
      if (rated.length) answer.dimensions = Object.fromEntries(rated.map(({ id }) => [id, Number(data.get(id))]))
      step = 'thanks'
    } else {
      const chosen = data.get('score')
      if (chosen === null) {
        error = texts.pickScore
        return draw(false)
      }
      answer = { score: Number(chosen) }
      props.onAnswer(answer.score)
      step = stepAfterScore(survey, answer.score)
    }
    error = ''
    completeAtThanks()
    draw(true)
  }

  function completeAtThanks(): void {
    if (step !== 'thanks') return
    props.onComplete(answer!)
    closeTimer = setTimeout(props.onClose, CLOSE_AFTER_MS)
  }

  /** Renders the current step; `moveFocus` puts focus on its first field (a new step, or a modal opening). */
  function draw(moveFocus: boolean): void {
    render(
      <Card
        survey={survey}
        locale={locale}
        texts={texts}
        step={step}
        score={answer?.score}
        error={error}
        onSubmit={submit}
        onClose={close}
      />,
      root,
    )
    if (moveFocus) firstControl(root)?.focus()
  }

  completeAtThanks()
  draw(survey.placement === 'center' || answer !== undefined)

  return () => {
    clearTimeout(closeTimer)
    const focusWasInside = root.activeElement !== null
    render(null, root)
    // Give focus back only if the card had it: a visitor who has moved on keeps their place.
    if (focusWasInside) returnFocusTo?.focus()
  }
}
