import { useState } from 'preact/hooks'
import { SCORE_RANGES, type WidgetProps } from '../sdk/protocol.ts'
import { localize, messages } from './i18n/index.ts'


/** The survey card: a question, a row of score radios, send, then thanks. */
export function Card({ survey, locale, onAnswer, onComplete, onDismiss, onClose }: WidgetProps) {
  const text = messages[locale]
  const [score, setScore] = useState<number | null>(null)
  const [sent, setSent] = useState(false)
  const [error, setError] = useState('')
  const [low, high] = SCORE_RANGES[survey.type]
  const options = Array.from({ length: high - low + 1 }, (_, index) => low + index)

  const send = (event: Event): void => {
    event.preventDefault()
    if (score === null) return setError(text.pickScore)
    onAnswer(score)
    onComplete({ score })
    setSent(true)
  }

  return (
    <div class="card" role="dialog" aria-labelledby="hk-question">
      <button type="button" class="close" aria-label={text.close} onClick={sent ? onClose : onDismiss}>
        ×
      </button>
      {sent ? (
        <p role="status">{text.thanks}</p>
      ) : (
        <form onSubmit={send}>
          <fieldset>
            <legend id="hk-question">{localize(survey.question, locale)}</legend>
            <div class="scale" role="radiogroup" aria-labelledby="hk-question">
              {options.map((value) => (
                <label class="option" key={value}>
                  <input
                    type="radio"
                    name="score"
                    value={value}
                    checked={score === value}
                    onChange={() => {
                      setScore(value)
                      setError('')
                    }}
                  />
                  <span>{value}</span>
                </label>
              ))}
            </div>
            <div class="ends" aria-hidden="true">
              <span>{survey.type === 'nps' ? text.npsLow : text.csatLow}</span>
              <span>{survey.type === 'nps' ? text.npsHigh : text.csatHigh}</span>
            </div>
          </fieldset>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" class="send">
            {text.send}
          </button>
        </form>
      )}
    </div>
  )
}
