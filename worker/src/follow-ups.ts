import { RequestError } from './errors.ts'
import { maskPii } from './pii.ts'
import type { Site } from './sites.ts'
import type { Survey } from './surveys.ts'
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
const defaultThreshold = { nps: 6, csat: 2, ces: 3 } as const

/** Answers at or below this score open a follow-up (NPS ≤ 6, CSAT ≤ 2, CES ≤ 3 unless the survey says). */
export const followUpThreshold = (survey: Survey): number => survey.followUpAt ?? defaultThreshold[survey.type]

/** Hours a team has to follow an unhappy answer up (default 48). */
export const followUpHours = (survey: Survey): number => survey.followUpHours ?? 48

/**
 * Opens a follow-up for a stored answer when it is unhappy and not flagged; a repeat of the
 * same answer changes nothing. Runs in the insert's batch, after the insert.
 */
export function openFollowUpStatement(db: D1Database, siteId: string, survey: Survey, responseId: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO follow_ups (site_id, response_id, survey_id, due_at, created_at, updated_at)
       SELECT site_id, id, survey_id, created_at + ?, created_at, created_at FROM responses
       WHERE site_id = ? AND id = ? AND score <= ? AND flags = ''
       ON CONFLICT DO NOTHING`,
    )
    .bind(followUpHours(survey) * HOUR_MS, siteId, responseId, followUpThreshold(survey))
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
 * follow up any answer). A 404 when the answer does not exist (or was erased, or its survey is
 * being deleted). A note is masked
 * like a comment when the site masks personal data: the customer's number goes in the call, not
 * in the note.
 */
export async function updateFollowUp(db: D1Database, site: Pick<Site, 'id' | 'settings'>, responseId: string, patch: FollowUpPatch, now = Date.now()): Promise<FollowUp> {
  const siteId = site.id
  const text = patch.note === undefined ? undefined : site.settings.maskPii ? maskPii(patch.note) : patch.note
  const note = text === undefined ? null : JSON.stringify({ at: now, text })
  const [, updated] = await db.batch([
    db
      .prepare(
        `INSERT INTO follow_ups (site_id, response_id, survey_id, due_at, created_at, updated_at)
         SELECT site_id, id, survey_id, ? + 48 * 3600000, ?, ? FROM responses r WHERE site_id = ? AND id = ?
           AND EXISTS (SELECT 1 FROM surveys s WHERE s.site_id = r.site_id AND s.id = r.survey_id)
         ON CONFLICT DO NOTHING`,
      )
      .bind(now, now, now, siteId, responseId),
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
