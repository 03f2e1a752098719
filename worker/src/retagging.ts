import { answersWithIds, storedRows, STORED_TAGS_SQL, withCommented, writeTagsStatements, type TagWrite } from './response-tags.ts'
import { changeCounted } from './rollups.ts'
import { findSite } from './sites.ts'
import type { TaggingProgress } from './stats-result.ts'
import { classifyComment } from './tags.ts'

/**
 * Re-tagging a site's comments after its tag rules changed (and tagging the comments stored
 * before migration 0011): a job per site (`tag_jobs`) walks its commented answers newest first,
 * a batch at a time, each batch one D1 transaction that re-tags the answers whose tags change
 * with the tag rollup kept in step (rollups.ts) and moves the job's cursor. A queue message
 * runs a few batches and sends the next one; the cron sends a new message for a job whose
 * message was lost.
 * The newest answers come first, so the periods a dashboard opens on are right soonest.
 * docs/tags.md gives the costs.
 */

/** Answers one batch reads and re-tags: a few MB of comments at most, far inside D1's limits per query. */
export const RETAG_BATCH = 500
/** Batches one invocation runs (3 D1 queries each at most, inside the free plan's 50 per invocation). */
export const BATCHES_PER_RUN = 10
/** A job whose last batch is this old lost its message: the cron sends a new one. */
export const STALLED_MS = 5 * 60_000

/** The queue message that runs a site's job: which run of it (`job`: when its rules changed). */
export interface RetagMessage {
  site: string
  job: number
  /** No batch before this time (ms). */
  notBefore: number
}

export type JobRow = {
  requested_at: number
  not_before: number
  cursor_created_at: number | null
  cursor_id: string | null
  total: number | null
  done: number
  changed: number
  updated_at: number
  finished_at: number | null
}

/**
 * The statement that (re)starts a site's job, to run in the batch that saves its new rules.
 * `settleMs`: how long isolates may still ingest with the old rules (their site cache); no batch
 * runs before, so every answer stored with the old rules is in the table when the job starts.
 */
export function retagStatement(db: D1Database, siteId: string, now: number, settleMs: number): { statement: D1PreparedStatement; message: RetagMessage } {
  const notBefore = now + settleMs
  return {
    statement: db
      .prepare(
        `INSERT INTO tag_jobs (site_id, requested_at, not_before, updated_at) VALUES (?1, ?2, ?3, ?2)
         ON CONFLICT (site_id) DO UPDATE SET requested_at = ?2, not_before = ?3, cursor_created_at = NULL, cursor_id = NULL,
           total = NULL, done = 0, changed = 0, updated_at = ?2, finished_at = NULL`,
      )
      .bind(siteId, now, notBefore),
    message: { site: siteId, job: now, notBefore },
  }
}

/**
 * Sends the message that starts a job, delayed until it may run. The rules are saved by then,
 * so a failure here is no error of the operator's: it is logged, and the cron runs the job.
 */
export async function sendRetag(queue: Queue<RetagMessage>, message: RetagMessage, now = Date.now()): Promise<void> {
  try {
    await queue.send(message, { delaySeconds: Math.max(0, Math.ceil((message.notBefore - now) / 1000)) })
  } catch (error) {
    console.warn(`re-tagging ${message.site} not queued, the cron will run it:`, error instanceof Error ? error.message : error)
  }
}

export const taggingProgressStatement = (db: D1Database, siteId: string): D1PreparedStatement =>
  db.prepare('SELECT * FROM tag_jobs WHERE site_id = ?').bind(siteId)

/** What a job row says about a site's tags; no row: nothing to re-tag. */
export function taggingProgress(row: JobRow | undefined): TaggingProgress {
  if (!row || row.finished_at !== null) return { state: 'current', done: row ? Number(row.done) : 0, total: row?.total ?? null, through: null }
  return {
    state: row.cursor_created_at === null ? 'waiting' : 'retagging',
    done: Number(row.done),
    total: row.total === null ? null : Number(row.total),
    through: row.cursor_created_at === null ? null : new Date(Number(row.cursor_created_at)).toISOString(),
  }
}

/** What a run of a job came to: finished, more to do, not yet allowed, or no longer this run's (rules changed again, another run moved on). */
export type RunOutcome = 'done' | 'more' | 'wait' | 'stale'

export interface RunOptions {
  now: number
  batches?: number
  batchSize?: number
}

type AnswerRow = { id: string; comment: string; created_at: number; updated_at: number; tags: string | null }

/**
 * Runs up to `batches` batches of run `job` of a site's job. Each batch moves the cursor only if
 * nothing else moved it since this run read it, so two runs of one message (the queue delivers
 * at least once) or a run of the cron beside a message's cannot both go on: the second stops.
 * Re-tagging an answer twice is harmless (the same rules give the same tags).
 */
export async function runRetag(db: D1Database, siteId: string, job: number, options: RunOptions): Promise<RunOutcome> {
  const { now, batches = BATCHES_PER_RUN, batchSize = RETAG_BATCH } = options
  const row = await taggingProgressStatement(db, siteId).first<JobRow>()
  if (!row || Number(row.requested_at) !== job || row.finished_at !== null) return 'stale'
  if (now < Number(row.not_before)) return 'wait'
  const site = await findSite(db, siteId)
  if (!site) {
    await db.prepare('DELETE FROM tag_jobs WHERE site_id = ?').bind(siteId).run()
    return 'stale'
  }
  const rules = site.settings.tagRules
  let cursor = row.cursor_created_at === null ? null : { createdAt: Number(row.cursor_created_at), id: row.cursor_id! }
  let total = row.total
  for (let batch = 0; batch < batches; batch++) {
    total ??= Number((await db.prepare('SELECT COUNT(*) AS n FROM responses WHERE site_id = ? AND comment IS NOT NULL').bind(siteId).first<{ n: number }>())!.n)
    const { results: answers } = await db
      .prepare(
        `SELECT r.id, r.comment, r.created_at, r.updated_at, ${STORED_TAGS_SQL} AS tags FROM responses r
         WHERE r.site_id = ? AND r.comment IS NOT NULL ${cursor ? 'AND (r.created_at, r.id) < (?, ?)' : ''}
         ORDER BY r.created_at DESC, r.id DESC LIMIT ?`,
      )
      .bind(siteId, ...(cursor ? [cursor.createdAt, cursor.id] : []), batchSize)
      .all<AnswerRow>()
    const writes: TagWrite[] = []
    for (const answer of answers) {
      const tags = classifyComment(answer.comment, rules).tags
      // Rows compared with their COMMENTED row: an answer tagged before it existed gets it here.
      if (withCommented(tags).join(' ') !== storedRows(answer.tags).join(' ')) writes.push({ id: answer.id, tags, updatedAt: Number(answer.updated_at) })
    }
    const last = answers.at(-1)
    const finished = answers.length < batchSize
    const moved = db
      .prepare(
        `UPDATE tag_jobs SET cursor_created_at = ?, cursor_id = ?, total = ?, done = done + ?, changed = changed + ?, updated_at = ?, finished_at = ?
         WHERE site_id = ? AND requested_at = ? AND cursor_created_at IS ? AND cursor_id IS ?`,
      )
      .bind(last?.created_at ?? cursor?.createdAt ?? null, last?.id ?? cursor?.id ?? null, total, answers.length, writes.length, now, finished ? now : null,
        siteId, job, cursor?.createdAt ?? null, cursor?.id ?? null)
    const results = writes.length
      ? await changeCounted(db, [answersWithIds(siteId, writes.map((write) => write.id))], [...writeTagsStatements(db, siteId, writes), moved], 'response_tags')
      : [await moved.run()]
    if (results.at(-1)?.meta.changes !== 1) return 'stale'
    if (finished) return 'done'
    cursor = { createdAt: Number(last!.created_at), id: last!.id }
  }
  return 'more'
}

const parseMessage = (body: unknown): RetagMessage | null => {
  if (typeof body !== 'object' || body === null) return null
  const { site, job, notBefore } = body as Record<string, unknown>
  return typeof site === 'string' && typeof job === 'number' && typeof notBefore === 'number' ? { site, job, notBefore } : null
}

/** The tag queue's consumer: each message runs its job's next batches and sends the message for the ones after. */
export async function consumeRetagging(batch: MessageBatch<unknown>, env: Env, options: { clock?: () => number; batches?: number; batchSize?: number } = {}): Promise<void> {
  const clock = options.clock ?? Date.now
  for (const message of batch.messages) {
    const work = parseMessage(message.body)
    if (!work) {
      message.ack()
      continue
    }
    try {
      const outcome = await runRetag(env.DB, work.site, work.job, { now: clock(), batches: options.batches, batchSize: options.batchSize })
      if (outcome === 'more') await env.TAGS.send(work)
      if (outcome === 'wait') message.retry({ delaySeconds: Math.max(1, Math.ceil((work.notBefore - clock()) / 1000)) })
      else message.ack()
    } catch (error) {
      console.warn(`re-tagging ${work.site} (attempt ${message.attempts}):`, error instanceof Error ? error.message : error)
      message.retry({ delaySeconds: Math.min(300, 5 * 2 ** (message.attempts - 1)) })
    }
  }
}

/** Jobs one cron run sends on at most (one `sendBatch` holds 100 messages). */
const SWEEP_LIMIT = 100

/**
 * The cron's part: sends a message for each job that has been idle too long (its message was
 * lost, or a migration started it), and marks them sent so the next run leaves them alone for
 * as long again. The queue's consumers do the work. Returns how many it sent.
 */
export async function sweepRetagging(env: Env, now: number): Promise<number> {
  const { results } = await env.DB.prepare(
    `UPDATE tag_jobs SET updated_at = ?1 WHERE site_id IN (
       SELECT site_id FROM tag_jobs WHERE finished_at IS NULL AND updated_at < ?2 AND not_before <= ?1 ORDER BY updated_at LIMIT ${SWEEP_LIMIT})
     RETURNING site_id, requested_at, not_before`,
  )
    .bind(now, now - STALLED_MS)
    .all<{ site_id: string; requested_at: number; not_before: number }>()
  if (results.length) await env.TAGS.sendBatch(results.map((job) => ({ body: { site: job.site_id, job: Number(job.requested_at), notBefore: Number(job.not_before) } })))
  return results.length
}
