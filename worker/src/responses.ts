import { scoreBand, type ScoreBand, type SurveyType } from '../../sdk/protocol.ts'
import { DAY_RULE, isDay } from './dates.ts'
import { RequestError } from './errors.ts'
import { toFollowUp, type FollowUp, type FollowUpStatus } from './follow-ups.ts'
import { knownTags, storedTags, STORED_TAGS_SQL } from './response-tags.ts'
import type { Site } from './sites.ts'
import { listSurveys } from './surveys.ts'

/** A stored response as the operator API shows it. */
export interface StoredResponse {
  id: string
  survey: string
  score: number
  band: ScoreBand
  comment: string | null
  dimensions: Record<string, number> | null
  checkpoint: string
  segment: string
  visitor: string | null
  user: string | null
  /** The order, ticket or delivery the answer is about (from a survey link or a checkpoint prop). */
  subject: string | null
  locale: string | null
  flags: string[]
  /** The comment's kind, then its topics (docs/tags.md), as stored when it came in or was last re-tagged. */
  tags: string[]
  followUp: FollowUp | null
  day: string
  createdAt: string
}

export interface ResponseFilter {
  survey?: string
  from?: string
  to?: string
  checkpoint?: string
  segment?: string
  flagged: 'include' | 'exclude' | 'only'
  /** Score bands; needs `survey`, whose type says what the bands are. */
  band?: ScoreBand
  /** Only comments carrying this tag (a lookup in the stored tags' index). */
  tag?: string
  /** Only answers whose follow-up has this status, or is overdue. */
  followUp?: FollowUpStatus | 'overdue'
}

/** How a listing is read: the survey types (for bands) and the tags the site's answers can carry. */
export interface ListContext {
  types: ReadonlyMap<string, SurveyType>
  tags: readonly string[]
}

/** Survey types and known tags, for reading a site's answers. */
export async function listContext(db: D1Database, site: Site): Promise<ListContext> {
  return {
    types: new Map<string, SurveyType>((await listSurveys(db, site.id)).map((survey) => [survey.id, survey.type])),
    tags: knownTags(site.settings.tagRules),
  }
}

/** Reads the filters of `GET …/responses` (JSON and CSV) and of the dashboard's feed and export. */
export function parseResponseFilter(params: URLSearchParams): ResponseFilter {
  for (const field of ['from', 'to'] as const) {
    const day = params.get(field)
    if (day !== null && !isDay(day)) throw new RequestError(400, 'invalid_field', `${field} must be ${DAY_RULE}`, field)
  }
  const choice = <T extends string>(field: string, allowed: readonly T[]): T | undefined => {
    const value = params.get(field) || undefined
    if (value !== undefined && !allowed.includes(value as T)) {
      throw new RequestError(400, 'invalid_field', `${field} must be one of ${allowed.join(', ')}`, field)
    }
    return value as T | undefined
  }
  return {
    survey: params.get('survey') || undefined,
    from: params.get('from') || undefined,
    to: params.get('to') || undefined,
    checkpoint: params.get('checkpoint') || undefined,
    segment: params.get('segment') ?? undefined,
    flagged: choice('flagged', ['include', 'exclude', 'only'] as const) ?? 'include',
    band: choice('band', ['detractor', 'passive', 'promoter', 'low', 'high'] as const),
    tag: params.get('tag') || undefined,
    followUp: choice('followUp', ['open', 'in_progress', 'resolved', 'overdue'] as const),
  }
}

const bandRanges: Record<SurveyType, Partial<Record<ScoreBand, [number, number]>>> = {
  nps: { detractor: [0, 6], passive: [7, 8], promoter: [9, 10] },
  csat: { low: [1, 3], high: [4, 5] },
  ces: { low: [1, 4], high: [5, 7] },
}

type Row = {
  id: string
  fu_status: FollowUpStatus | null
  fu_assignee: string | null
  fu_notes: string | null
  fu_due_at: number | null
  survey_id: string
  score: number
  comment: string | null
  dimensions: string | null
  checkpoint: string
  segment: string
  visitor_id: string | null
  user_id: string | null
  subject: string | null
  locale: string | null
  flags: string
  day: string
  created_at: number
  tags: string | null
}

/** A page position: after this (created_at, id), newest first. */
export interface Cursor {
  createdAt: number
  id: string
}

export const encodeCursor = ({ createdAt, id }: Cursor): string => btoa(`${createdAt}:${id}`).replace(/=+$/, '')

export function decodeCursor(value: string): Cursor {
  let decoded = ''
  try {
    decoded = atob(value)
  } catch {
    // not base64: rejected below like any other foreign cursor
  }
  const match = /^(\d+):([0-9a-f-]{36})$/i.exec(decoded)
  if (!match) throw new RequestError(400, 'invalid_field', 'cursor is not one this API gave out', 'cursor')
  return { createdAt: Number(match[1]), id: match[2]! }
}

/**
 * One page of responses, newest first, in a stable order (created_at, then id). With a tag, the
 * page is read from the stored tags' index in that same order (response_tags keeps each
 * answer's created_at), so a page costs the same however many answers the site has.
 */
export async function listResponses(
  db: D1Database,
  siteId: string,
  context: ListContext,
  filter: ResponseFilter,
  limit: number,
  after?: Cursor,
  now = Date.now(),
): Promise<{ responses: StoredResponse[]; next: string | null }> {
  const byTag = filter.tag !== undefined
  if (byTag && !context.tags.includes(filter.tag!)) {
    throw new RequestError(400, 'invalid_field', `no tag named ${filter.tag}: a kind (problem, suggestion, praise), a built-in topic or a topic of the site's rules`, 'tag')
  }
  // Read through the tag's index when there is one: the order and the cursor are its columns.
  const order = byTag ? { time: 't.created_at', id: 't.response_id' } : { time: 'r.created_at', id: 'r.id' }
  const clauses = [byTag ? 't.site_id = ? AND t.tag = ?' : 'r.site_id = ?']
  const params: (string | number)[] = byTag ? [siteId, filter.tag!] : [siteId]
  const add = (clause: string, ...values: (string | number)[]) => (clauses.push(clause), params.push(...values))
  if (filter.survey !== undefined) add(byTag ? 't.survey_id = ?' : 'r.survey_id = ?', filter.survey)
  if (filter.from !== undefined) add('r.day >= ?', filter.from)
  if (filter.to !== undefined) add('r.day <= ?', filter.to)
  if (filter.checkpoint !== undefined) add('r.checkpoint = ?', filter.checkpoint)
  if (filter.segment !== undefined) add('r.segment = ?', filter.segment)
  if (filter.flagged === 'exclude') add("r.flags = ''")
  if (filter.flagged === 'only') add("r.flags != ''")
  if (filter.band !== undefined) {
    const type = filter.survey === undefined ? undefined : context.types.get(filter.survey)
    const range = type && bandRanges[type][filter.band]
    if (!range) throw new RequestError(400, 'invalid_field', 'band needs a survey whose type has that band (NPS: detractor, passive, promoter; CSAT, CES: low, high)', 'band')
    add('r.score BETWEEN ? AND ?', ...range)
  }
  if (filter.followUp === 'overdue') add("f.status != 'resolved' AND f.due_at < ?", now)
  else if (filter.followUp !== undefined) add('f.status = ?', filter.followUp)
  if (after) add(`(${order.time}, ${order.id}) < (?, ?)`, after.createdAt, after.id)
  const { results } = await db
    .prepare(
      `SELECT r.*, ${STORED_TAGS_SQL} AS tags, f.status AS fu_status, f.assignee AS fu_assignee, f.notes AS fu_notes, f.due_at AS fu_due_at
       FROM ${byTag ? 'response_tags t JOIN responses r ON r.site_id = t.site_id AND r.id = t.response_id' : 'responses r'}
       LEFT JOIN follow_ups f ON f.site_id = r.site_id AND f.response_id = r.id
       WHERE ${clauses.join(' AND ')} ORDER BY ${order.time} DESC, ${order.id} DESC LIMIT ?`,
    )
    .bind(...params, limit + 1)
    .all<Row>()
  const page = results.slice(0, limit)
  const last = page.at(-1)
  return {
    responses: page.map((row) => toStored(row, context, now)),
    next: results.length > limit && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
  }
}

function toStored(row: Row, context: ListContext, now: number): StoredResponse {
  const type = context.types.get(row.survey_id) ?? 'nps'
  return {
    id: row.id,
    survey: row.survey_id,
    score: row.score,
    band: scoreBand(type, row.score),
    comment: row.comment,
    dimensions: row.dimensions ? (JSON.parse(row.dimensions) as Record<string, number>) : null,
    checkpoint: row.checkpoint,
    segment: row.segment,
    visitor: row.visitor_id,
    user: row.user_id,
    subject: row.subject,
    locale: row.locale,
    flags: row.flags ? row.flags.split(' ') : [],
    tags: storedTags(row.tags),
    followUp: row.fu_status
      ? toFollowUp({ status: row.fu_status, assignee: row.fu_assignee, notes: row.fu_notes ?? '[]', due_at: row.fu_due_at ?? 0 }, now)
      : null,
    day: row.day,
    createdAt: new Date(row.created_at).toISOString(),
  }
}
