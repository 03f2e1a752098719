import { RequestError } from './errors.ts'
import { maskPii } from './pii.ts'
import type { Site } from './sites.ts'
import { oneOf, optional, parseObject, text } from './validate.ts'

export type FollowUpStatus = 'open' | 'in_progress' | 'resolved'

/** A follow-up as the operator API shows it. */
export interface FollowUp {
  status: FollowUpStatus
  assignee: string | null
  notes: { at: string; text: string }[]
  dueAt: string
  overdue: boolean
}

const HOUR_MS = 3600 * 1000
const DEFAULT_HOURS = 48
const defaultThreshold = { nps: 6, csat: 2, ces: 3 } as const

/**
 * SQL, over a survey row `s`: the score at or below which its answers open a follow-up (its
 * `followUpAt`, else NPS ≤ 6, CSAT ≤ 2, CES ≤ 3). Read from the stored survey, so every rule
 * about follow-ups is decided from stored rows, never from what a post claims.
 */
export const thresholdSql = (s: string): string =>
  `COALESCE(json_extract(${s}.definition, '$.followUpAt'), CASE ${s}.type ${Object.entries(defaultThreshold)
    .map(([type, score]) => `WHEN '${type}' THEN ${score}`)
    .join(' ')} END)`

/** SQL, over a survey row `s` (which may be missing): the hours a team has to follow up (its `followUpHours`, else 48). */
const hoursSql = (s: string): string => `COALESCE(json_extract(${s}.definition, '$.followUpHours'), ${DEFAULT_HOURS})`

/** SQL, over a stored answer `r` and its survey `s`: it is unhappy and passed every abuse check. */
export const unhappySql = (r: string, s: string): string => `${r}.flags = '' AND ${r}.score <= ${thresholdSql(s)}`

/**
 * The follow-ups a batch of stored answers calls for, decided from the rows as stored (after the
 * batch's inserts, merges and rescores), never from the posted ones:
 * - an unhappy, unflagged answer of the batch gets one, due its survey's hours after the answer;
 * - an answer whose score may have changed (through a survey link, or from a page within the
 *   score-change window, `rescoredSince`) loses its follow-up if it is no longer unhappy and
 *   nobody has touched the follow-up yet (still open, no assignee, no notes).
 * `items` is the batch as `json_each` rows `j`, each with `id`, `survey`, `visitor` and `rescore`;
 * `admitted` is SQL over `j` telling whether the item was stored or merged at all.
 * Returns [close, open]; `open` returns the ids it opened.
 */
export function followUpStatements(db: D1Database, siteId: string, items: string, admitted: string, now: number, rescoredSince: number): [D1PreparedStatement, D1PreparedStatement] {
  // CROSS JOIN keeps the batch the outer loop: each answer is found by its key, never by a walk over the site's rows.
  const own = `FROM json_each(?2) j CROSS JOIN responses r ON r.site_id = ?1 AND r.id = j.value ->> 'id' AND r.survey_id = j.value ->> 'survey' AND r.visitor_id = j.value ->> 'visitor'
    JOIN surveys s ON s.site_id = r.site_id AND s.id = r.survey_id`
  const close = db
    .prepare(
      // `+status`: found by the answers' keys, not by walking the site's open follow-ups.
      `DELETE FROM follow_ups WHERE site_id = ?1 AND +status = 'open' AND assignee IS NULL AND notes = '[]' AND response_id IN (
         SELECT r.id ${own} WHERE (j.value ->> 'rescore' = 1 OR r.created_at > ?3) AND ${admitted} AND NOT (${unhappySql('r', 's')}))`,
    )
    .bind(siteId, items, rescoredSince)
  const open = db
    .prepare(
      `INSERT INTO follow_ups (site_id, response_id, survey_id, due_at, created_at, updated_at)
       SELECT r.site_id, r.id, r.survey_id, r.created_at + ${hoursSql('s')} * ${HOUR_MS}, ?3, ?3 ${own}
       WHERE ${admitted} AND ${unhappySql('r', 's')}
       ON CONFLICT DO NOTHING RETURNING response_id`,
    )
    .bind(siteId, items, now)
  return [close, open]
}

type Row = { status: FollowUpStatus; assignee: string | null; notes: string; due_at: number }

export function toFollowUp(row: Row, now = Date.now()): FollowUp {
  return {
    status: row.status,
    assignee: row.assignee,
    notes: (JSON.parse(row.notes) as { at: number; text: string }[]).map((note) => ({ at: new Date(note.at).toISOString(), text: note.text })),
    dueAt: new Date(row.due_at).toISOString(),
    overdue: row.status !== 'resolved' && row.due_at < now,
  }
}

/** What an operator may change: the status, the assignee (empty string clears it), a note to add. */
export interface FollowUpPatch {
  status?: FollowUpStatus
  assignee?: string
  note?: string
}

export function parseFollowUpPatch(value: unknown): FollowUpPatch {
  const patch = parseObject(
    {
      status: optional(oneOf<FollowUpStatus>('open', 'in_progress', 'resolved')),
      assignee: optional((input, field) => (input === '' ? '' : text(120)(input, field))),
      note: optional(text(2000)),
    },
    value,
  )
  if (patch.status === undefined && patch.assignee === undefined && patch.note === undefined) {
    throw new RequestError(400, 'invalid_field', 'send status, assignee or note', 'status')
  }
  return patch
}

/**
 * Changes an answer's follow-up, opening one first if the answer had none (an operator may
 * follow up any answer; it is due its survey's hours from now). A 404 when the answer does not
 * exist (or was erased, or its survey is being deleted). A note is masked like a comment when the
 * site masks personal data: the customer's number goes in the call, not in the note.
 */
export async function updateFollowUp(db: D1Database, site: Pick<Site, 'id' | 'settings'>, responseId: string, patch: FollowUpPatch, now = Date.now()): Promise<FollowUp> {
  const siteId = site.id
  const text = patch.note === undefined ? undefined : site.settings.maskPii ? maskPii(patch.note) : patch.note
  const note = text === undefined ? null : JSON.stringify({ at: now, text })
  const [, updated] = await db.batch([
    db
      .prepare(
        `INSERT INTO follow_ups (site_id, response_id, survey_id, due_at, created_at, updated_at)
         SELECT r.site_id, r.id, r.survey_id, ?1 + ${hoursSql('s')} * ${HOUR_MS}, ?1, ?1
         FROM responses r JOIN surveys s ON s.site_id = r.site_id AND s.id = r.survey_id WHERE r.site_id = ?2 AND r.id = ?3
         ON CONFLICT DO NOTHING`,
      )
      .bind(now, siteId, responseId),
    db
      .prepare(
        `UPDATE follow_ups SET status = COALESCE(?, status),
           assignee = CASE WHEN ? IS NULL THEN assignee WHEN ? = '' THEN NULL ELSE ? END,
           notes = CASE WHEN ? IS NULL THEN notes ELSE json_insert(notes, '$[#]', json(?)) END,
           updated_at = ?,
           first_action_at = COALESCE(first_action_at, ?),
           resolved_at = CASE WHEN COALESCE(?, status) = 'resolved' THEN COALESCE(resolved_at, ?) END
         WHERE site_id = ? AND response_id = ? AND EXISTS (SELECT 1 FROM surveys s WHERE s.site_id = follow_ups.site_id AND s.id = follow_ups.survey_id)
         RETURNING status, assignee, notes, due_at`,
      )
      // Every PATCH is an operator acting on it: the first one is the follow-up's first action
      // (follow-up-metrics.ts). Resolving keeps the first time it was resolved; reopening clears it.
      .bind(patch.status ?? null, patch.assignee ?? null, patch.assignee ?? null, patch.assignee ?? null, note, note, now, now, patch.status ?? null, now, siteId, responseId),
  ])
  const row = updated?.results[0] as Row | undefined
  if (!row) throw new RequestError(404, 'unknown_response', `no response ${responseId} on this site`, 'id')
  return toFollowUp(row, now)
}
