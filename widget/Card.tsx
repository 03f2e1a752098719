import { SCORE_RANGES, type Language, type PublicSurvey, type WidgetTexts } from '../sdk/protocol.ts'
import { COMMENT_MAX, type Details, type Step } from './flow.ts'
import { keepTabInside } from './focus.ts'
import { Scale } from './Scale.tsx'
import { localize } from './texts.ts'

export interface CardProps {
  survey: PublicSurvey
  language: Language
  texts: WidgetTexts
  step: Step
  /** The chosen score, once there is one. */
  score?: number | undefined
  /** The follow-up prompt for that score, if it has one. */
  prompt?: string | undefined
  /** What the visitor wrote on the details step before going back to change the score. */
  details: Details
  /** An error to announce, e.g. Send pressed before choosing a score. */
  error?: string
  /** A score clicked or tapped: it counts at once. */
  onPick: (score: number) => void
  /** Send, or Enter: the checked score, or the details. */
  onSubmit: (form: HTMLFormElement) => void
  /** "Change" on the details step: back to the score, keeping what was written. */
  onChange: (form: HTMLFormElement) => void
  /** ×, Escape, or a click outside a modal. */
  onClose: () => void
}

/**
 * The survey card: one step at a time inside a dialog (a region when inline), with a close
 * button. The card itself can take focus (tabindex -1), so a modal opens without a focus ring
 * on a score that would look chosen, and a tap does not summon a phone's keyboard.
 */
export function Card(props: CardProps) {
  const { survey, language, texts, step, error, onClose } = props
  const placement = survey.placement ?? 'bottom-right'
  const modal = placement === 'center'

  // Enter on a radio needs no handler: it submits the form (implicit submission), which confirms the score.
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') {
      // The key was meant for the card: the host page's own Escape handlers need not hear it.
      event.stopPropagation()
      onClose()
    } else if (event.key === 'Tab' && modal) {
      keepTabInside(event, event.currentTarget as HTMLElement)
    }
  }

  return [
    modal && <div class="backdrop" onClick={onClose} />,
    <div
      class={`card ${placement}`}
      role={placement === 'inline' ? 'region' : 'dialog'}
      aria-modal={modal || undefined}
      aria-label={localize(survey.question, language.locale)}
      lang={language.locale}
      dir={language.dir}
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      {step !== 'thanks' && (
        <form
          key={step}
          onSubmit={(event) => {
            event.preventDefault()
            props.onSubmit(event.currentTarget)
          }}
        >
          {step === 'score' ? <ScoreStep {...props} /> : <DetailsStep {...props} />}
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <button class="send">{texts.send}</button>
        </form>
      )}
      <p class="status" role="status">
        {step === 'thanks' && texts.thanks}
      </p>
      <button type="button" class="close" aria-label={texts.close} onClick={onClose}>
        ×
      </button>
    </div>,
  ]
}

function ScoreStep({ survey, language, texts, score, onPick }: CardProps) {
  const [min, max] = SCORE_RANGES[survey.type]
  return [
    <p id="question" class="question">
      {localize(survey.question, language.locale)}
    </p>,
    <Scale name="score" min={min} max={max} labelledBy="question" low={texts[`${survey.type}Low`]} high={texts[`${survey.type}High`]} checked={score} onPick={onPick} />,
  ]
}

/** The chosen score with a way back to change it, the ratings, then the follow-up box right above Send. */
function DetailsStep({ survey, language, texts, score, prompt, details, onChange }: CardProps) {
  return [
    <p class="chosen">
      <span id="chosen">
        {texts.yourScore} <b>{score}</b>
      </span>
      {/* Described by the score, so "Change" is never heard without what it changes. */}
      <button type="button" class="change" aria-describedby="chosen" onClick={(event) => onChange((event.currentTarget as HTMLButtonElement).form!)}>
        {texts.change}
      </button>
    </p>,
    survey.dimensions?.map(({ id, label }) => [
      <p id={`d-${id}`} class="question">
        {localize(label, language.locale)}
      </p>,
      <Scale name={id} min={1} max={5} labelledBy={`d-${id}`} low={texts.csatLow} high={texts.csatHigh} checked={details.dimensions?.[id]} />,
    ]),
    prompt && [
      <label class="question" for="comment">
        {prompt}
      </label>,
      <textarea id="comment" name="comment" maxLength={COMMENT_MAX} rows={3} placeholder={texts.optional} defaultValue={details.comment} />,
    ],
  ]
}
