import type { ResponseInput } from '../../sdk/protocol.ts'
import type { Survey } from './surveys.ts'

/** Why an answer is left out of scores (but kept and exported). */
export type Flag = 'fast' | 'bot' | 'repeat'

const DEFAULT_MIN_ANSWER_MS = 1000
const DEFAULT_REPEAT_WINDOW_DAYS = 30
const DAY_MS = 24 * 3600 * 1000

// Crawlers, link previewers, HTTP libraries and headless browsers name themselves.
const botAgent = /bot\b|crawl|spider|slurp|preview|headless|phantom|puppeteer|playwright|curl\/|wget\/|python-|python\/|go-http|java\/|okhttp|axios\/|node-fetch|scrapy|httpclient/i

export function isBot(userAgent: string | undefined): boolean {
  return userAgent !== undefined && botAgent.test(userAgent)
}

/** How far back answers from the same visitor count against the survey's limit. */
export function repeatWindowMs(survey: Survey): number {
  return (survey.cooldownDays || DEFAULT_REPEAT_WINDOW_DAYS) * DAY_MS
}

/** Answers one visitor may give a survey within the repeat window before more are flagged. */
export const maxAnswersPerVisitor = (survey: Survey): number => survey.maxAnswersPerVisitor ?? 1

/**
 * The flags an answer earns from the request alone. `repeat` needs the visitor's earlier
 * answers and is added by the insert itself (see storeResponse), saving a round trip.
 */
export function requestFlags(survey: Survey, response: ResponseInput, userAgent: string | undefined): Flag[] {
  const flags: Flag[] = []
  if (response.elapsedMs !== undefined && response.elapsedMs < (survey.minAnswerMs ?? DEFAULT_MIN_ANSWER_MS)) flags.push('fast')
  if (isBot(userAgent)) flags.push('bot')
  return flags
}
