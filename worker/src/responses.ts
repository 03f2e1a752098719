import { scoreBand, type ScoreBand, type SurveyType } from '../../sdk/protocol.ts'
import { csvRow } from './csv.ts'
import { RequestError } from './errors.ts'

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
  locale: string | null
  flags: string[]
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
}

type Row = {
  id: string
  survey_id: string
  score: number
  comment: string | null
  dimensions: string | null
  checkpoint: string
  segment: string
  visitor_id: string | null
  user_id: string | null
  locale: string | null
  flags: string
  day: string
  created_at: number
}

/** A page position: after this (created_at, id), newest first. */
interface Cursor {
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

/** One page of responses, newest first, in a stable order (created_at, then id). */
export async function listResponses(
  db: D1Database,
  siteId: string,
  types: ReadonlyMap<string, SurveyType>,
  filter: ResponseFilter,
  limit: number,
  after?: Cursor,
): Promise<{ responses: StoredResponse[]; next: string | null }> {
  const clauses = ['site_id = ?']
  const params: (string | number)[] = [siteId]
  const add = (clause: string, ...values: (string | number)[]) => (clauses.push(clause), params.push(...values))
  if (filter.survey !== undefined) add('survey_id = ?', filter.survey)
  if (filter.from !== undefined) add('day >= ?', filter.from)
  if (filter.to !== undefined) add('day <= ?', filter.to)
  if (filter.checkpoint !== undefined) add('checkpoint = ?', filter.checkpoint)
  if (filter.segment !== undefined) add('segment = ?', filter.segment)
  if (filter.flagged === 'exclude') add("flags = ''")
  if (filter.flagged === 'only') add("flags != ''")
  if (after) add('(created_at < ? OR (created_at = ? AND id < ?))', after.createdAt, after.createdAt, after.id)
  const { results } = await db
    .prepare(`SELECT * FROM responses WHERE ${clauses.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`)
    .bind(...params, limit + 1)
    .all<Row>()
  const page = results.slice(0, limit)
  const last = page.at(-1)
  return {
    responses: page.map((row) => toStored(row, types.get(row.survey_id) ?? 'nps')),
    next: results.length > limit && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
  }
}

function toStored(row: Row, type: SurveyType): StoredResponse {
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
    locale: row.locale,
    flags: row.flags ? row.flags.split(' ') : [],
    day: row.day,
    createdAt: new Date(row.created_at).toISOString(),
  }
}

const CSV_HEADER = ['created_at', 'id', 'survey', 'score', 'band', 'comment', 'dimensions', 'checkpoint', 'segment', 'visitor', 'user', 'locale', 'flags']

/**
 * All matching responses as CSV, read a page at a time while the client reads, so a
 * large range streams in constant memory.
 */
export function responsesCsv(db: D1Database, siteId: string, types: ReadonlyMap<string, SurveyType>, filter: ResponseFilter): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let cursor: Cursor | undefined
  let started = false
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true
        // A byte-order mark so Excel opens UTF-8 (Chinese comments) correctly.
        controller.enqueue(encoder.encode(`\uFEFF${csvRow(CSV_HEADER)}`))
      }
      const page = await listResponses(db, siteId, types, filter, 500, cursor)
      const lines = page.responses.map((response) =>
        csvRow([
          response.createdAt,
          response.id,
          response.survey,
          response.score,
          response.band,
          response.comment,
          response.dimensions ? Object.entries(response.dimensions).map(([id, rating]) => `${id}=${rating}`).join('; ') : null,
          response.checkpoint,
          response.segment,
          response.visitor,
          response.user,
          response.locale,
          response.flags.join(' '),
        ]),
      )
      if (lines.length) controller.enqueue(encoder.encode(lines.join('')))
      if (!page.next) return controller.close()
      cursor = decodeCursor(page.next)
    },
  })
}
