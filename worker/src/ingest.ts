import { SCORE_RANGES, type ImpressionInput, type ResponseInput, type ResponseResult } from '../../sdk/protocol.ts'
import { maxAnswersPerVisitor, repeatWindowMs, requestFlags } from './cleaning.ts'
import { dayIn } from './dates.ts'
import { RequestError } from './errors.ts'
import { openFollowUpStatement } from './follow-ups.ts'
import { maskPii, maskUserId } from './pii.ts'
import { tagCommentsStatements } from './response-tags.ts'
import { changeCounted, countedWithIds } from './rollups.ts'
import type { Site } from './sites.ts'
import type { Survey } from './surveys.ts'
import { idPattern, integer, oneOf, optional, parseObject, record, text, uuidPattern, type Schema } from './validate.ts'

const siteKey = text(64, /^pk_[A-Za-z0-9_-]+$/)
const surveyId = text(64, /^[a-z0-9][a-z0-9_-]*$/)
const visitorId = text(64, /^[A-Za-z0-9_-]+$/)

/** Every field of a posted response and how it is checked; `satisfies` keeps it in step with the wire type. */
const responseSchema = {
  id: text(36, uuidPattern),
  site: siteKey,
  survey: surveyId,
  score: integer(0, 10),
  checkpoint: optional(text(64, idPattern)),
  segment: optional(text(64, idPattern)),
  comment: optional(text(2000)),
  dimensions: optional(record(20, idPattern, integer(1, 5))),
  visitor: optional(visitorId),
  user: optional(text(128)),
  locale: optional(text(35, /^[A-Za-z0-9-]+$/)),
  elapsedMs: optional(integer(0, 30 * 24 * 3600 * 1000)),
  link: optional(text(120, /^[A-Za-z0-9_.-]+$/)),
} satisfies Schema<ResponseInput>

const impressionSchema = {
  id: text(36, uuidPattern),
  site: siteKey,
  survey: surveyId,
  kind: oneOf('shown', 'dismissed'),
  checkpoint: optional(text(64, idPattern)),
  segment: optional(text(64, idPattern)),
  visitor: optional(visitorId),
  user: optional(text(128)),
  link: optional(text(120, /^[A-Za-z0-9_.-]+$/)),
} satisfies Schema<ImpressionInput>

/** Checks one posted response's shape; `prefix` names it inside a batch (`responses[3]`). */
export const parseResponse = (value: unknown, prefix = ''): ResponseInput => parseObject(responseSchema, value, prefix)

/** Checks one posted impression's shape. */
export const parseImpression = (value: unknown, prefix = ''): ImpressionInput => parseObject(impressionSchema, value, prefix)

/** Checks what only the survey can tell: the score's range and the dimension ids. */
export function assertFitsSurvey(survey: Survey, response: ResponseInput, prefix = ''): void {
  const field = (name: string) => (prefix ? `${prefix}.${name}` : name)
  const [min, max] = SCORE_RANGES[survey.type]
  if (response.score < min || response.score > max) {
    throw new RequestError(400, 'invalid_field', `${field('score')} must be from ${min} to ${max} for a ${survey.type} survey`, field('score'))
  }
  const known = new Set(survey.dimensions?.map((dimension) => dimension.id))
  for (const id of Object.keys(response.dimensions ?? {})) {
    if (!known.has(id)) throw new RequestError(400, 'invalid_field', `${field(`dimensions.${id}`)} is not a dimension of this survey`, field(`dimensions.${id}`))
  }
}

/** What the request tells about its sender, for cleaning. */
export interface Sender {
  userAgent?: string
  /** The answer came through a survey link, which may change its score at any time. */
  allowScoreChange?: boolean
}

/**
 * How long after it was stored an answer from a page may still change its score: the card lets
 * the visitor go back and change it on the step after the score. Only the same visitor id can.
 */
export const SCORE_CHANGE_WINDOW_MS = 60 * 60_000

/**
 * Stores one response, in one D1 batch with its rollups kept in step (see rollups.ts).
 * - A new id inserts the row; it counts from then on.
 * - A known id never counts twice; a comment or dimension ratings it brings are merged into
 *   the stored answer (the widget posts the score first, the follow-up later).
 * - An answer may change its score: through a survey link at any time (`sender.allowScoreChange`),
 *   else within {@link SCORE_CHANGE_WINDOW_MS} and from the same visitor id.
 * The visitor's earlier answers in the repeat window decide the `repeat` flag, inside the insert.
 */
export async function storeResponse(
  db: D1Database,
  site: Site,
  survey: Survey,
  response: ResponseInput,
  sender: Sender = {},
  now = Date.now(),
): Promise<ResponseResult & { followUpOpened: boolean }> {
  const day = dayIn(site.timezone, now)
  const comment = response.comment === undefined ? null : site.settings.maskPii ? maskPii(response.comment) : response.comment
  const user = response.user === undefined ? null : site.settings.maskPii ? await maskUserId(site.pseudonymKey, response.user) : response.user
  const dimensions = response.dimensions && Object.keys(response.dimensions).length ? JSON.stringify(response.dimensions) : null
  const flags = requestFlags(survey, response, sender.userAgent).join(' ')
  const merges = comment !== null || dimensions !== null

  const insert = db
    .prepare(
      `INSERT INTO responses (site_id, id, survey_id, checkpoint, segment, score, comment, dimensions, visitor_id, user_id, locale, flags, day, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,
         trim(?12 || CASE WHEN ?9 IS NOT NULL AND (SELECT COUNT(*) FROM responses
           WHERE site_id = ?1 AND visitor_id = ?9 AND survey_id = ?3 AND created_at > ?16) >= ?17 THEN ' repeat' ELSE '' END),
         ?13, ?14, ?15)
       ON CONFLICT (site_id, id) DO NOTHING`,
    )
    .bind(site.id, response.id, survey.id, response.checkpoint ?? '', response.segment ?? '', response.score, comment, dimensions,
      response.visitor ?? null, user, response.locale ?? null, flags, day, now, now,
      now - repeatWindowMs(survey), maxAnswersPerVisitor(survey))
  const rescore = db
    .prepare(
      `UPDATE responses SET score = ?3, updated_at = ?4 WHERE site_id = ?1 AND id = ?2 AND survey_id = ?5 AND score != ?3
       AND (?6 OR (created_at > ?7 AND visitor_id IS ?8))`,
    )
    .bind(site.id, response.id, response.score, now, survey.id, sender.allowScoreChange ? 1 : 0, now - SCORE_CHANGE_WINDOW_MS, response.visitor ?? null)
  const merge = db
    .prepare(
      `UPDATE responses SET comment = COALESCE(?, comment), dimensions = COALESCE(?, dimensions), updated_at = ?
       WHERE site_id = ? AND id = ? AND survey_id = ?`,
    )
    .bind(comment, dimensions, now, site.id, response.id, survey.id)
  // A changed score comes first, so the follow-up check below sees it.
  const changes = [rescore, insert, openFollowUpStatement(db, site.id, survey, response.id), ...(merges ? [merge] : []),
    ...tagCommentsStatements(db, site, [{ id: response.id, comment }])]
  const [rescored, inserted, followUp] = await changeCounted(db, [countedWithIds('responses', site.id, [response.id])], changes)
  const followUpOpened = followUp?.meta.changes === 1
  if (inserted?.meta.changes === 1) return { id: response.id, status: 'stored', followUpOpened }
  return { id: response.id, status: merges || rescored?.meta.changes === 1 ? 'updated' : 'duplicate', followUpOpened }
}

/** Stores one impression and counts it, once per id. */
export async function storeImpression(db: D1Database, site: Site, impression: ImpressionInput, now = Date.now()): Promise<ResponseResult> {
  const [inserted] = await changeCounted(db, [countedWithIds('impressions', site.id, [impression.id])], [
    db
      .prepare(
        `INSERT INTO impressions (site_id, id, survey_id, kind, checkpoint, segment, visitor_id, day, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site_id, id) DO NOTHING`,
      )
      .bind(site.id, impression.id, impression.survey, impression.kind, impression.checkpoint ?? '', impression.segment ?? '', impression.visitor ?? null, dayIn(site.timezone, now), now),
  ])
  return { id: impression.id, status: inserted?.meta.changes === 1 ? 'stored' : 'duplicate' }
}
