import { render } from 'preact'
import type { WidgetModule } from '../sdk/widget-contract.ts'
import { Card } from './Card.tsx'
import { CLOSE_AFTER_MS, followUpFor, type Details, type Step } from './flow.ts'
import { firstControl } from './focus.ts'
import css from './styles.css?inline'
import { cardTexts } from './texts.ts'
import { themeSheet } from './theme.ts'

/**
 * Styles go in through constructed stylesheets, not a <style> tag: they need no
 * 'unsafe-inline' under a strict Content-Security-Policy and stay inside the shadow root.
 * The base sheet is made once and shared by every card on the page.
 */
let baseSheet: CSSStyleSheet | undefined

/** Where focus goes after a step is drawn: its first field (keyboard), the card itself (pointer, or a modal opening), or nowhere new. */
type FocusTo = 'field' | 'card' | undefined

/**
 * Renders the card into `root` and drives it. A score counts the moment it is clicked or
 * tapped, or sent with Enter (arrow keys only move the selection); the props' callbacks hear
 * each score as soon as it is chosen (again if the visitor changes it), the full answer at the thanks.
 */
export const mount: WidgetModule['mount'] = (root, props) => {
  const { survey, language } = props
  const texts = cardTexts(survey, language)
  const returnFocusTo = document.activeElement as HTMLElement | null
  const promptFor = (chosen: number) => followUpFor(survey, chosen, language.locale, texts)
  const stepAfter = (chosen: number): Step => (promptFor(chosen) || survey.dimensions?.length ? 'details' : 'thanks')
  // A score chosen in an email arrives already recorded: start after it, without onAnswer.
  let score = props.initialScore
  let details: Details = {}
  let step: Step = score === undefined ? 'score' : stepAfter(score)
  let error = ''
  let closeTimer: ReturnType<typeof setTimeout> | undefined

  if (!baseSheet) {
    baseSheet = new CSSStyleSheet()
    baseSheet.replaceSync(css)
  }
  root.adoptedStyleSheets = [baseSheet, themeSheet(survey.theme)]

  const close = (): void => (score === undefined ? props.onDismiss : props.onClose)()

  /** A score is chosen: it counts now (once per value), and the card moves on. */
  const choose = (chosen: number, focus: FocusTo): void => {
    if (chosen !== score) props.onAnswer((score = chosen))
    step = stepAfter(chosen)
    error = ''
    completeAtThanks()
    draw(focus)
  }

  /** Keeps what the details form holds: sent at the thanks, or shown again after a change of score. */
  const keep = (form: HTMLFormElement): void => {
    const data = new FormData(form)
    const comment = String(data.get('comment') ?? '').trim()
    const rated = (survey.dimensions ?? []).filter(({ id }) => data.has(id))
    details = {
      ...(comment && { comment }),
      ...(rated.length && { dimensions: Object.fromEntries(rated.map(({ id }) => [id, Number(data.get(id))])) }),
    }
  }

  const submit = (form: HTMLFormElement): void => {
    if (step === 'score') {
      const chosen = new FormData(form).get('score')
      if (chosen === null) {
        error = texts.pickScore
        return draw(undefined)
      }
      return choose(Number(chosen), 'field')
    }
    keep(form)
    step = 'thanks'
    error = ''
    completeAtThanks()
    draw('field')
  }

  function completeAtThanks(): void {
    if (step !== 'thanks') return
    props.onComplete({ score: score!, ...details })
    closeTimer = setTimeout(props.onClose, CLOSE_AFTER_MS)
  }

  function draw(focus: FocusTo): void {
    render(
      <Card
        survey={survey}
        language={language}
        texts={texts}
        step={step}
        score={score}
        prompt={score === undefined ? undefined : promptFor(score)}
        details={details}
        error={error}
        onPick={(chosen) => choose(chosen, 'card')}
        onSubmit={submit}
        onChange={(form) => {
          keep(form)
          step = 'score'
          draw('field')
        }}
        onClose={close}
      />,
      root,
    )
    if (focus === 'card') root.querySelector<HTMLElement>('.card')?.focus()
    else if (focus) firstControl(root)?.focus()
  }

  completeAtThanks()
  // A corner card never takes focus: the visitor may be typing in the page.
  draw(survey.placement === 'center' || score !== undefined ? 'card' : undefined)

  return () => {
    clearTimeout(closeTimer)
    const focusWasInside = root.activeElement !== null
    render(null, root)
    // Give focus back only if the card had it: a visitor who has moved on keeps their place.
    if (focusWasInside) returnFocusTo?.focus()
  }
}
