import { SCORE_RANGES, type ImpressionInput, type ResponseInput, type ResponseResult } from '../../sdk/protocol.ts'
import { unhappyAnswersStatement } from './alerts.ts'
import { answerFlags, impressionFlags, maxAnswersPerVisitor, repeatWindowMs } from './cleaning.ts'
import { dayIn } from './dates.ts'
import type { Channel } from './fatigue.ts'
import { RequestError } from './errors.ts'
import { followUpStatements } from './follow-ups.ts'
import { maskPii, storedUserId } from './pii.ts'
import { tagCommentsStatements } from './response-tags.ts'
import { admittedSql, countStatement, rateLimited, refundStatement, refusedPerKey, rememberFull, retryAfterSeconds, UNLIMITED, type Admission, type CountRow } from './rate-limit.ts'
import { changeCounted, countedWithIds } from './rollups.ts'
import type { Site } from './sites.ts'
import type { Survey } from './surveys.ts'
import { idPattern, integer, oneOf, optional, parseObject, record, text, uuidPattern, type Schema } from './validate.ts'

const siteKey = text(64, /^pk_[A-Za-z0-9_-]+$/)
const surveyId = text(64, /^[a-z0-9][a-z0-9_-]*$/)
const visitorId = text(64, /^[A-Za-z0-9_-]+$/)
const instant = integer(0, 8_640_000_000_000_000)

/** The first `count` code points of `value`. */
const firstCodePoints = (value: string, count: number): string => Array.from(value).slice(0, count).join('')

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
  answeredAt: optional(instant),
  // A checkpoint prop as the page gave it, kept as its first 128 characters (code points, so a
  // cut never splits an emoji or a rare CJK character into half a pair): a long order reference
  // is cut, never a reason to refuse the answer. The 16 KB body limit bounds what arrives.
  subject: optional((value, field) => firstCodePoints(text(16 * 1024)(typeof value === 'number' || typeof value === 'boolean' ? String(value) : value, field), 128)),
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
  at: optional(instant),
  link: optional(text(120, /^[A-Za-z0-9_.-]+$/)),
} satisfies Schema<ImpressionInput>

/** Checks one posted response's shape; `prefix` names it inside a batch (`responses[3]`). */
export const parseResponse = (value: unknown, prefix = ''): ResponseInput => parseObject(responseSchema, value, prefix)

/** Checks one posted impression's shape. */
export const parseImpression = (value: unknown, prefix = ''): ImpressionInput => parseObject(impressionSchema, value, prefix)

const fieldOf = (prefix: string, name: string): string => (prefix ? `${prefix}.${name}` : name)

/** Checks what only the survey can tell: the score's range and the dimension ids. */
export function assertFitsSurvey(survey: Survey, response: ResponseInput, prefix = ''): void {
  const field = (name: string) => fieldOf(prefix, name)
  const [min, max] = SCORE_RANGES[survey.type]
  if (response.score < min || response.score > max) {
    throw new RequestError(400, 'invalid_field', `${field('score')} must be from ${min} to ${max} for a ${survey.type} survey`, field('score'))
  }
  const known = new Set(survey.dimensions?.map((dimension) => dimension.id))
  for (const id of Object.keys(response.dimensions ?? {})) {
    if (!known.has(id)) throw new RequestError(400, 'invalid_field', `${field(`dimensions.${id}`)} is not a dimension of this survey`, field(`dimensions.${id}`))
  }
}

/** How far back a visitor's own clock may date an answer or impression (an outbox that waited out a long weekend offline). */
export const PAST_WINDOW_MS = 7 * 24 * 3600 * 1000

/** When an item happened: the visitor's time if it lies within the past window and not after now, else now. */
export const itemTime = (given: number | undefined, now: number): number => (given !== undefined && given <= now && given >= now - PAST_WINDOW_MS ? given : now)

/**
 * How long after it was stored an answer from a page may still change its score: the card lets
 * the visitor go back and change it on the step after the score. Only the same visitor id can.
 */
export const SCORE_CHANGE_WINDOW_MS = 60 * 60_000

/** One answer to store: checked, its survey found, what its link says applied. */
export interface Answer {
  response: ResponseInput
  survey: Survey
  /** Through a survey link: its score may change at any time (the person answers again); else within {@link SCORE_CHANGE_WINDOW_MS}. */
  viaLink: boolean
  /** Names the answer in errors (`responses[3]`); empty for a lone answer. */
  prefix: string
  /** Where the person was asked (`web`, or the link), for their fatigue across devices. */
  channel?: Channel
}

/** What became of each answer (in order), and the follow-ups the batch opened with the person's unhappy answers in 30 days. */
export interface StoredAnswers {
  results: (ResponseResult | RequestError)[]
  opened: { id: string; unhappyInWindow: number }[]
}

type Row = Record<string, unknown>
const rowsOf = <R = Row>(result: D1Result | undefined): R[] => (result?.results ?? []) as R[]

/** Gives refused items back to their counters (only when some were refused) and says when to retry them. */
async function settleRefusals(db: D1Database, admission: Admission, counts: CountRow[], outcomes: Row[], now: number): Promise<number> {
  const refused = refusedPerKey(admission, outcomes.map((row) => Boolean(row.admitted)))
  if (refused.size) {
    await refundStatement(db, refused, now).run()
    rememberFull(counts, refused, now)
  }
  return retryAfterSeconds(counts, refused, now)
}

/**
 * SQL: ' repeat' when the visitor of item `j` already has `max` stored rows matching it since
 * `since`, counting the earlier items of this same batch that match it and are new (`earlier`,
 * their ids; rows of one INSERT cannot see each other), else ''. An earlier item refused by a
 * limit needs no check: it shares this item's visitor and address, so this one is refused too.
 */
function repeatSql(table: 'responses' | 'impressions', match: readonly string[]): string {
  const stored = match.map((key) => `p.${key === 'kind' ? 'kind' : `${key}_id`} = j.value ->> '${key}'`).join(' AND ')
  return `CASE WHEN j.value ->> 'visitor' IS NOT NULL AND (
      (SELECT COUNT(*) FROM ${table} p WHERE p.site_id = ?1 AND ${stored} AND p.created_at > j.value ->> 'since')
      + (SELECT COUNT(*) FROM json_each(j.value, '$.earlier') e WHERE NOT EXISTS (SELECT 1 FROM ${table} x WHERE x.site_id = ?1 AND x.id = e.value))
    ) >= j.value ->> 'max' THEN ' repeat' ELSE '' END`
}

/** For each item, the ids of earlier items of the batch with the same visitor and the same `key` (survey, kind). */
function earlierAlike<T extends { id: string; visitor?: string | undefined }>(items: readonly T[], key: (item: T) => string): string[][] {
  const seen = new Map<string, string[]>()
  return items.map((item) => {
    if (item.visitor === undefined) return []
    const group = `${item.visitor}|${key(item)}`
    const before = seen.get(group) ?? []
    seen.set(group, [...before, item.id])
    return before
  })
}

/**
 * Stores a batch of answers of one site in ONE D1 batch, with the rate limits, the rollups
 * (summed per key, see rollups.ts), the follow-ups and the high-risk counts in it:
 * - items past a limit are not stored (a 429 each);
 * - a new id inserts the row, dated when the visitor answered;
 * - a known id is changed only by the visitor who gave it, for the same survey; anyone else gets
 *   a 409 and nothing changes. Its owner's later post merges ratings per key and a comment that
 *   is not blank (the widget posts the score first, the follow-up later); through a survey link
 *   the score and the request's flags may change too;
 * - follow-ups are decided from the stored rows (see follow-ups.ts).
 */
export async function storeResponses(
  db: D1Database,
  site: Site,
  answers: readonly Answer[],
  userAgent: string | undefined,
  admission: Admission = UNLIMITED(answers.length),
  now = Date.now(),
  alongside: readonly D1PreparedStatement[] = [],
): Promise<StoredAnswers> {
  if (answers.length === 0) return { results: [], opened: [] }
  const earlier = earlierAlike(answers.map(({ response }) => response), (response) => response.survey)
  // A user id that looks like personal data is kept as a pseudonym when the site masks (pii.ts).
  const users = await Promise.all(answers.map(({ response }) => (response.user === undefined ? null : storedUserId(site, response.user))))
  const comments = answers.map(({ response }) =>
    response.comment === undefined || response.comment.trim() === '' ? null : site.settings.maskPii ? maskPii(response.comment) : response.comment,
  )
  const items = JSON.stringify(
    answers.map(({ response, survey, viaLink }, index) => {
      const at = itemTime(response.answeredAt, now)
      const comment = comments[index]
      const dimensions = response.dimensions && Object.keys(response.dimensions).length ? JSON.stringify(response.dimensions) : null
      return {
        id: response.id,
        survey: survey.id,
        checkpoint: response.checkpoint ?? '',
        segment: response.segment ?? '',
        score: response.score,
        comment,
        dimensions,
        visitor: response.visitor ?? null,
        user: users[index],
        subject: response.subject ?? null,
        locale: response.locale ?? null,
        flags: answerFlags(survey, response, userAgent).join(' '),
        day: dayIn(site.timezone, at),
        at,
        since: at - repeatWindowMs(survey),
        max: maxAnswersPerVisitor(survey),
        rescore: viaLink ? 1 : 0,
        earlier: earlier[index],
        limits: admission.perItem[index],
      }
    }),
  )
  const admitted = admittedSql('j')
  // The id list lets SQLite find each row by its key: joined to json_each alone, it would rather walk the site's rows.
  const own = `r.site_id = ?1 AND r.id IN (SELECT value ->> 'id' FROM json_each(?2)) AND r.id = j.value ->> 'id'
    AND r.survey_id = j.value ->> 'survey' AND r.visitor_id = j.value ->> 'visitor' AND ${admitted}`
  const count = countStatement(db, admission, now)
  // A new score (a link's at any time, a page's within the window): the score, and the flags its request earns (a scanner's fast click is
  // not held against the person answering after it); `repeat` stays what the insert found.
  const rescore = db
    .prepare(
      `UPDATE responses AS r SET score = j.value ->> 'score',
         flags = trim(j.value ->> 'flags' || CASE WHEN ' ' || r.flags || ' ' LIKE '% repeat %' THEN ' repeat' ELSE '' END), updated_at = ?3
       FROM json_each(?2) j WHERE ${own} AND (j.value ->> 'rescore' = 1 OR r.created_at > ?4)
         AND (r.score != j.value ->> 'score' OR r.flags != trim(j.value ->> 'flags' || CASE WHEN ' ' || r.flags || ' ' LIKE '% repeat %' THEN ' repeat' ELSE '' END))
       RETURNING id`,
    )
    .bind(site.id, items, now, now - SCORE_CHANGE_WINDOW_MS)
  const merge = db
    .prepare(
      `UPDATE responses AS r SET comment = COALESCE(j.value ->> 'comment', r.comment),
         dimensions = CASE WHEN j.value ->> 'dimensions' IS NULL THEN r.dimensions ELSE json_patch(COALESCE(r.dimensions, '{}'), j.value ->> 'dimensions') END,
         updated_at = ?3
       FROM json_each(?2) j WHERE ${own}
         AND (j.value ->> 'comment' IS NOT r.comment AND j.value ->> 'comment' IS NOT NULL
           OR j.value ->> 'dimensions' IS NOT NULL AND json_patch(COALESCE(r.dimensions, '{}'), j.value ->> 'dimensions') IS NOT r.dimensions)
       RETURNING id`,
    )
    .bind(site.id, items, now)
  const insert = db
    .prepare(
      `INSERT INTO responses (site_id, id, survey_id, checkpoint, segment, score, comment, dimensions, visitor_id, user_id, subject, locale, flags, day, created_at, updated_at)
       SELECT ?1, j.value ->> 'id', j.value ->> 'survey', j.value ->> 'checkpoint', j.value ->> 'segment', j.value ->> 'score', j.value ->> 'comment',
         j.value ->> 'dimensions', j.value ->> 'visitor', j.value ->> 'user', j.value ->> 'subject', j.value ->> 'locale',
         trim(j.value ->> 'flags' || ${repeatSql('responses', ['visitor', 'survey'])}), j.value ->> 'day', j.value ->> 'at', ?3
       FROM json_each(?2) j WHERE ${admitted}
       ON CONFLICT (site_id, id) DO NOTHING RETURNING id`,
    )
    .bind(site.id, items, now)
  const [closeFollowUps, openFollowUps] = followUpStatements(db, site.id, items, admitted, now, now - SCORE_CHANGE_WINDOW_MS)
  const ids = answers.map(({ response }) => response.id)
  const outcome = db
    .prepare(
      `SELECT j.key AS i, ${admitted} AS admitted, r.id IS NOT NULL AS known,
         COALESCE(r.survey_id = j.value ->> 'survey' AND r.visitor_id = j.value ->> 'visitor', 0) AS own
       FROM json_each(?2) j LEFT JOIN responses r ON r.site_id = ?1 AND r.id = j.value ->> 'id' ORDER BY j.key`,
    )
    .bind(site.id, items)
  // Merges before the insert, so they touch only answers stored earlier. Merges are left out of
  // a batch with no comment or rating; `alongside` (a user's fatigue) goes in the same batch.
  const merges = answers.some(({ response }) => response.comment !== undefined || response.dimensions !== undefined)
  const planned = {
    count,
    rescore,
    merge: merges ? merge : null,
    insert,
    closeFollowUps,
    openFollowUps,
    unhappy: unhappyAnswersStatement(db, site.id, ids, now),
    outcome,
  }
  const entries = Object.entries(planned).filter((entry): entry is [keyof typeof planned, D1PreparedStatement] => entry[1] !== null)
  // The comments' tags, after the insert and the merge: only a comment as stored gets them (tagged in JS, response-tags.ts).
  const tags = tagCommentsStatements(db, site, answers.map(({ response }, index) => ({ id: response.id, comment: comments[index] ?? null })))
  const done = await changeCounted(db, [countedWithIds('responses', site.id, ids)], [...entries.map(([, statement]) => statement), ...tags, ...alongside])
  const results = Object.fromEntries(entries.map(([name], index) => [name, done[index]])) as Partial<Record<keyof typeof planned, D1Result>>
  const { count: counts, rescore: rescored, merge: merged, insert: inserted, openFollowUps: opened, unhappy, outcome: outcomes } = results

  const stored = new Set(rowsOf(inserted).map((row) => row.id))
  const changed = new Set([...rowsOf(rescored), ...rowsOf(merged)].map((row) => row.id))
  const outcomeRows = rowsOf(outcomes)
  const retryAfter = await settleRefusals(db, admission, rowsOf<CountRow>(counts), outcomeRows, now)
  return {
    results: answers.map(({ response, prefix }, index): ResponseResult | RequestError => {
      const row = outcomeRows[index]!
      if (!row.admitted) return rateLimited(retryAfter, prefix || undefined)
      if (stored.has(response.id)) return { id: response.id, status: 'stored' }
      // Admitted but neither stored nor there: its survey went since this isolate cached it (the insert's trigger refused it).
      if (!row.known) {
        const field = fieldOf(prefix, 'survey')
        return new RequestError(404, 'unknown_survey', `${field}: no survey ${response.survey} on this site`, field)
      }
      if (!row.own) {
        const field = fieldOf(prefix, 'id')
        return new RequestError(409, 'id_taken', `${field}: an answer with this id was given by another visitor or for another survey; it stays as it was`, field)
      }
      return { id: response.id, status: changed.has(response.id) ? 'updated' : 'duplicate' }
    }),
    opened: (() => {
      const counted = new Map(rowsOf(unhappy).map((row) => [row.id, Number(row.unhappy)]))
      return rowsOf(opened).map((row) => ({ id: String(row.response_id), unhappyInWindow: counted.get(row.response_id) ?? 1 }))
    })(),
  }
}

/** What a single stored answer needs to know about its request (for tests and tools that store one). */
export interface Sender {
  userAgent?: string
  /** The answer came through a survey link, which may change its score. */
  allowScoreChange?: boolean
}

/** Stores one answer without rate limits (see {@link storeResponses}); a refusal is thrown. */
export async function storeResponse(
  db: D1Database,
  site: Site,
  survey: Survey,
  response: ResponseInput,
  sender: Sender = {},
  now = Date.now(),
): Promise<ResponseResult & { followUpOpened: boolean }> {
  const { results, opened } = await storeResponses(db, site, [{ response, survey, viaLink: Boolean(sender.allowScoreChange), prefix: '' }], sender.userAgent, undefined, now)
  const [result] = results
  if (result instanceof RequestError) throw result
  return { ...result!, followUpOpened: opened.length > 0 }
}

/** One impression to store, with its survey. */
export interface Impression {
  impression: ImpressionInput
  survey: Survey
  prefix: string
  channel?: Channel
}

/**
 * Stores a batch of impressions of one site in one D1 batch, counted once per id, flagged the
 * way answers are (bot, incomplete, and `repeat` past the survey's answers per visitor within
 * its cooldown) so a response rate can leave out the same visitors on both sides.
 */
export async function storeImpressions(
  db: D1Database,
  site: Site,
  impressions: readonly Impression[],
  userAgent: string | undefined,
  admission: Admission = UNLIMITED(impressions.length),
  now = Date.now(),
  alongside: readonly D1PreparedStatement[] = [],
): Promise<(ResponseResult | RequestError)[]> {
  if (impressions.length === 0) return []
  const earlier = earlierAlike(impressions.map(({ impression }) => impression), (impression) => `${impression.survey}|${impression.kind}`)
  const items = JSON.stringify(
    impressions.map(({ impression, survey }, index) => {
      const at = itemTime(impression.at, now)
      return {
        id: impression.id,
        survey: survey.id,
        kind: impression.kind,
        checkpoint: impression.checkpoint ?? '',
        segment: impression.segment ?? '',
        visitor: impression.visitor ?? null,
        flags: impressionFlags(impression, userAgent).join(' '),
        day: dayIn(site.timezone, at),
        at,
        since: at - repeatWindowMs(survey),
        max: maxAnswersPerVisitor(survey),
        earlier: earlier[index],
        limits: admission.perItem[index],
      }
    }),
  )
  const admitted = admittedSql('j')
  const count = countStatement(db, admission, now)
  const insert = db
    .prepare(
      `INSERT INTO impressions (site_id, id, survey_id, kind, checkpoint, segment, visitor_id, flags, day, created_at)
       SELECT ?1, j.value ->> 'id', j.value ->> 'survey', j.value ->> 'kind', j.value ->> 'checkpoint', j.value ->> 'segment', j.value ->> 'visitor',
         trim(j.value ->> 'flags' || ${repeatSql('impressions', ['visitor', 'survey', 'kind'])}), j.value ->> 'day', j.value ->> 'at'
       FROM json_each(?2) j WHERE ${admitted}
       ON CONFLICT (site_id, id) DO NOTHING RETURNING id`,
    )
    .bind(site.id, items)
  const outcome = db.prepare(`SELECT j.key AS i, ${admitted} AS admitted FROM json_each(?1) j ORDER BY j.key`).bind(items)
  const ids = impressions.map(({ impression }) => impression.id)
  const results = await changeCounted(db, [countedWithIds('impressions', site.id, ids)], [...(count ? [count, insert, outcome] : [insert, outcome]), ...alongside])
  const [counts, inserted, outcomes] = count ? results : [undefined, ...results]
  const stored = new Set(rowsOf(inserted).map((row) => row.id))
  const outcomeRows = rowsOf(outcomes)
  const retryAfter = await settleRefusals(db, admission, rowsOf<CountRow>(counts), outcomeRows, now)
  return impressions.map(({ impression, prefix }, index) =>
    !outcomeRows[index]!.admitted ? rateLimited(retryAfter, prefix || undefined) : { id: impression.id, status: stored.has(impression.id) ? 'stored' : 'duplicate' },
  )
}

/** Stores one impression without rate limits (see {@link storeImpressions}). */
export async function storeImpression(db: D1Database, site: Site, survey: Survey, impression: ImpressionInput, now = Date.now()): Promise<ResponseResult> {
  const [result] = await storeImpressions(db, site, [{ impression, survey, prefix: '' }], undefined, undefined, now)
  if (result instanceof RequestError) throw result
  return result!
}
