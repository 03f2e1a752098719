import { scoreBand, type LocalizedText, type PublicSurvey } from '../sdk/protocol.ts'

/** What the card shows: the score, then the optional follow-up and ratings together, then thanks. */
export type Step = 'score' | 'details' | 'thanks'

/** Everything the visitor has told us so far. */
export interface Answer {
  score: number
  comment?: string
  dimensions?: Record<string, number>
}

/** The follow-up prompt for `score`, if the survey has one for its band. */
export function followUpFor(survey: PublicSurvey, score: number): LocalizedText | undefined {
  return survey.followUp?.[scoreBand(survey.type, score)]
}

/** The step after the score: the details when there is something to ask, else the thanks. */
export function stepAfterScore(survey: PublicSurvey, score: number): Step {
  return followUpFor(survey, score) || survey.dimensions?.length ? 'details' : 'thanks'
}

/** How long the thanks stays up before the card closes itself. */
export const CLOSE_AFTER_MS = 4000

/** The longest follow-up the worker stores. */
export const COMMENT_MAX = 2000
