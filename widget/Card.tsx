import { SCORE_RANGES, type Locale, type PublicSurvey } from '../sdk/protocol.ts'
import { COMMENT_MAX, followUpFor, type Step } from './flow.ts'
import { keepTabInside } from './focus.ts'
import { localize, type Messages } from './i18n/index.ts'
import { Scale } from './Scale.tsx'

export interface CardProps {
  survey: PublicSurvey
  locale: Locale
  texts: Messages
  step: Step
  /** The chosen score, once there is one. */
  score?: number
  /** An error to announce, e.g. Send pressed before choosing a score. */
  error?: string
  onSubmit: (form: HTMLFormElement) => void
  /** ×, Escape, or a click outside a modal. */
  onClose: () => void
}

/** The survey card: one step at a time inside a dialog (a region when inline), with a close button. */
export function Card(props: CardProps) {
  const { survey, locale, texts, step, error, onClose } = props
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
        aria-label={localize(survey.question, locale)}
        lang={locale}
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
            <Fields {...props} />
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

/** The fields of the current step. */
function Fields({ survey, locale, texts, step, score }: CardProps) {
  if (step === 'details') {
    const prompt = score !== undefined && followUpFor(survey, score)
    return [
      prompt && [
        <label class="question" for="comment">
          {localize(prompt, locale)}
        </label>,
        <textarea id="comment" name="comment" maxLength={COMMENT_MAX} rows={3} placeholder={texts.optional} />,
      ],
      survey.dimensions?.map(({ id, label }) => [
        <p id={`d-${id}`} class="question">
          {localize(label, locale)}
        </p>,
        <Scale name={id} min={1} max={5} labelledBy={`d-${id}`} low={texts.csatLow} high={texts.csatHigh} />,
      ]),
    ]
  }
  const [min, max] = SCORE_RANGES[survey.type]
  return [
    <p id="question" class="question">
      {localize(survey.question, locale)}
    </p>,
    <Scale
      name="score"
      min={min}
      max={max}
      labelledBy="question"
      low={texts[`${survey.type}Low`]}
      high={texts[`${survey.type}High`]}
    />,
  ]
}
