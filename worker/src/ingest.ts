import { SCORE_RANGES, type ResponseInput, type ResponseResult } from '../../sdk/protocol.ts'
import { RequestError } from './errors.ts'
import type { Site, Survey } from './sites.ts'
import { integer, optional, parseObject, record, text, uuidPattern, type Schema } from './validate.ts'

const idPattern = /^[A-Za-z0-9_.:-]+$/

/** Every field of a posted response and how it is checked; `satisfies` keeps it in step with the wire type. */
const responseSchema = {
  id: text(36, uuidPattern),
  site: text(64, /^pk_[A-Za-z0-9_-]+$/),
  survey: text(64, /^[a-z0-9][a-z0-9_-]*$/),
  score: integer(0, 10),
  checkpoint: optional(text(64, idPattern)),
  segment: optional(text(64, idPattern)),
  comment: optional(text(2000)),
  dimensions: optional(record(20, idPattern, integer(1, 5))),
  visitor: optional(text(64, /^[A-Za-z0-9_-]+$/)),
  user: optional(text(128)),
  locale: optional(text(35, /^[A-Za-z0-9-]+$/)),
  elapsedMs: optional(integer(0, 30 * 24 * 3600 * 1000)),
} satisfies Schema<ResponseInput>

/** Checks one posted response's shape; `prefix` names it inside a batch (`responses[3]`). */
export function parseResponse(value: unknown, prefix = ''): ResponseInput {
  return parseObject(responseSchema, value, prefix)
}

/** Checks what only the survey can tell: the score's range for its type. */
export function assertScoreFits(survey: Survey, response: ResponseInput, prefix = ''): void {
  const [min, max] = SCORE_RANGES[survey.type]
  if (response.score < min || response.score > max) {
    const field = prefix ? `${prefix}.score` : 'score'
    throw new RequestError(400, 'invalid_field', `${field} must be from ${min} to ${max} for a ${survey.type} survey`, field)
  }
}

/** `YYYY-MM-DD` of an instant in a timezone. */
export function dayIn(timezone: string, at: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at)
}

/**
 * Stores one response and counts it in its rollup, in one D1 batch (one transaction).
 * The rollup row moves only when the insert did (`changes() = 1`), so a repeated id is
 * stored once and counted once.
 */
export async function storeResponse(db: D1Database, site: Site, response: ResponseInput, now = Date.now()): Promise<ResponseResult> {
  const day = dayIn(site.timezone, now)
  const checkpoint = response.checkpoint ?? ''
  const segment = ''
  const [inserted] = await db.batch([
    db
      .prepare(
        `INSERT INTO responses (site_id, id, survey_id, checkpoint, segment, score, comment, visitor_id, locale, day, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site_id, id) DO NOTHING`,
      )
      .bind(site.id, response.id, response.survey, checkpoint, segment, response.score, response.comment ?? null,
        response.visitor ?? null, response.locale ?? null, day, now),
    db
      .prepare(
        `INSERT INTO rollups (site_id, survey_id, checkpoint, segment, day, score, n)
         SELECT ?, ?, ?, ?, ?, ?, 1 WHERE changes() = 1
         ON CONFLICT (site_id, survey_id, day, checkpoint, segment, score) DO UPDATE SET n = n + 1`,
      )
      .bind(site.id, response.survey, checkpoint, segment, day, response.score),
  ])
  return { id: response.id, status: inserted?.meta.changes === 1 ? 'stored' : 'duplicate' }
}
