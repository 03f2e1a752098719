import { isbot } from 'isbot'
import type { ImpressionInput, ResponseInput } from '../../sdk/protocol.ts'
import type { Survey } from './surveys.ts'

/**
 * Why an answer or impression is left out of scores and response rates (but kept and exported):
 * - `fast`: chosen sooner after the card showed than the survey's `minAnswerMs` (answers only);
 * - `bot`: the user agent is a crawler, link previewer, HTTP library or headless browser, or missing;
 * - `repeat`: the visitor already gave this survey its `maxAnswersPerVisitor` answers (or was
 *   shown it that often) within the cooldown;
 * - `incomplete`: it lacks what the SDK always sends: the visitor id, or for an answer the time
 *   from the card showing to the choice (`elapsedMs`). A bare script may omit them; the SDK never does.
 */
export type Flag = 'fast' | 'bot' | 'repeat' | 'incomplete'

const DEFAULT_MIN_ANSWER_MS = 1000
const DEFAULT_REPEAT_WINDOW_DAYS = 30
const DAY_MS = 24 * 3600 * 1000

/**
 * Bots name themselves in the user agent; isbot keeps the list (crawlers, link previewers such
 * as facebookexternalhit and Slackbot, HTTP libraries, headless browsers) and knows the phones
 * whose names merely look like one (CUBOT). Every browser sends a User-Agent, so a request with
 * none (the ingest routes pass it as '') is a script. `undefined` is no request at all: an answer
 * a tool or test stores directly.
 */
export const isBot = (userAgent: string | undefined): boolean => userAgent !== undefined && (userAgent.trim() === '' || isbot(userAgent))

/** How far back answers from the same visitor count against the survey's limit. */
export function repeatWindowMs(survey: Survey): number {
  return (survey.cooldownDays || DEFAULT_REPEAT_WINDOW_DAYS) * DAY_MS
}

/** Answers one visitor may give a survey within the repeat window before more are flagged. */
export const maxAnswersPerVisitor = (survey: Survey): number => survey.maxAnswersPerVisitor ?? 1

/**
 * The flags an answer earns from the request alone. `repeat` needs the visitor's earlier
 * answers and is added by the insert itself (see ingest.ts), saving a round trip.
 */
export function answerFlags(survey: Survey, response: ResponseInput, userAgent: string | undefined): Flag[] {
  const flags: Flag[] = []
  if (response.elapsedMs !== undefined && response.elapsedMs < (survey.minAnswerMs ?? DEFAULT_MIN_ANSWER_MS)) flags.push('fast')
  if (isBot(userAgent)) flags.push('bot')
  if (response.visitor === undefined || response.elapsedMs === undefined) flags.push('incomplete')
  return flags
}

/** The flags an impression earns from the request alone, the same way as its answer would (`repeat` is added by the insert). */
export function impressionFlags(impression: ImpressionInput, userAgent: string | undefined): Flag[] {
  const flags: Flag[] = []
  if (isBot(userAgent)) flags.push('bot')
  if (impression.visitor === undefined) flags.push('incomplete')
  return flags
}
