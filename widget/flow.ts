import { scoreBand, type FollowUpKey, type Locale, type PublicSurvey, type SurveyType, type WidgetTexts } from '../sdk/protocol.ts'
import { localize } from './texts.ts'

/** What the card shows: the score, then the optional ratings and follow-up together, then thanks. */
export type Step = 'score' | 'details' | 'thanks'

/** What the visitor wrote on the details step: kept while they go back to change the score, sent at the thanks. */
export interface Details {
  comment?: string
  dimensions?: Record<string, number>
}

/** The middle of a CSAT (3) or CES (4) scale is neutral: neither "what went wrong" nor "what did you like". */
export function followUpKey(type: SurveyType, score: number): FollowUpKey {
  return (type === 'csat' && score === 3) || (type === 'ces' && score === 4) ? 'neutral' : scoreBand(type, score)
}

/**
 * The follow-up prompt for `score`: the survey's own for its key; a neutral score the survey
 * has no prompt for gets the card's neutral one, provided the survey asks follow-ups at all.
 */
export function followUpFor(survey: PublicSurvey, score: number, locale: Locale, texts: WidgetTexts): string | undefined {
  const { followUp } = survey
  const key = followUpKey(survey.type, score)
  const prompt = followUp?.[key]
  if (prompt) return localize(prompt, locale)
  if (key === 'neutral' && followUp && Object.keys(followUp).length) return texts.neutralFollowUp
}

/** How long the thanks stays up before the card closes itself. */
export const CLOSE_AFTER_MS = 4000

/** The longest follow-up the worker stores. */
export const COMMENT_MAX = 2000
