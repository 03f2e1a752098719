import { emptiedMessages, SITE_DATA, type TableRule } from './erase.ts'
import { RequestError } from './errors.ts'
import { deleteRollupChunk, rollupRowsLeft } from './rollups.ts'
import { forgetSite } from './sites.ts'

/**
 * Deleting a site or a survey, at any size. D1 caps a query at 30 seconds and a batch is one
 * transaction, so deleting a site of millions of answers in one batch could fail and delete
 * nothing. Instead:
 * - The DELETE request removes at once, in one batch, what makes it reachable (SITE_DATA's
 *   `atOnce` tables: a site's row, origins, dashboard sessions, webhook state and re-tagging job;
 *   a survey's row), drops it from this isolate's cache, and records the deletion (`deletions`,
 *   migration 0013). From then on no route finds it, no ingest stores anything for it (an
 *   isolate that still caches it is stopped by the triggers of migrations 0008 and 0013), and
 *   its id cannot be created again (a 409) until the deletion ends.
 * - Chunks delete the rest, each at most {@link CHUNK_ROWS} rows a table in one D1 batch, each
 *   statement under the condition that this deletion is still recorded. A site's chunk takes
 *   rows from every table. A survey's walks each table's rows of the site in primary-key order
 *   from where the last chunk stopped (a survey's rows have no index of their own, so a chunk
 *   reads a bounded stretch rather than searching), takes each answer with its follow-up, tags
 *   and queued alerts in the same statement batch (the site's readers never see one without the
 *   other), and its rollups once its answers and impressions are gone. The chunk that finds
 *   nothing left removes the record.
 * - The request runs {@link REQUEST_CHUNKS} chunks itself, so a small site or survey is gone
 *   when it answers (204); a larger one answers 202 and a queue message (`hearken-deletions`)
 *   runs {@link CHUNKS_PER_RUN} more and sends the next; the cron sends a new message for a
 *   deletion idle for {@link STALLED_MS}. A chunk that fails changes nothing, and the next run
 *   starts from the last one that committed; two runs side by side take the same rows once.
 */

/** Rows one chunk deletes from a table at most: a few thousand index entries a table, far inside D1's 30 s a query. */
export const CHUNK_ROWS = 2000
/** Chunks the DELETE request runs itself. */
export const REQUEST_CHUNKS = 4
/** Chunks one queue message runs (three D1 queries each at most, inside the free plan's 50 per invocation). */
export const CHUNKS_PER_RUN = 12
/** A deletion whose last chunk is this old lost its message: the cron sends another. */
export const STALLED_MS = 5 * 60_000

/** What is being deleted: a site (`survey` null) or one of its surveys. The queue message is this. */
export interface DeletionTarget {
  site: string
  survey: string | null
}

/** A deletion under way, as the API shows it beside the error. */
export interface DeletionProgress {
  deleting: true
  startedAt: string
  /** Rows removed so far: answers, impressions, links, rollup rows… (what hangs off an answer goes with it, uncounted). */
  removed: number
}

export type DeletionRow = { site_id: string; survey_id: string | null; token_hash: string | null; started_at: number; cursor: string | null; removed: number }

/** Where a survey's walk through one table stands: the key of the last row of the site it read, or done. */
type Walk = Record<string, unknown[] | 'done'>

type Sql = { sql: string; params: (string | number | null)[] }

const tables = Object.entries(SITE_DATA)
const ANSWERS = 'responses'
/** Emptied in chunks: every table but those removed with the request and the record itself. */
const chunked = tables.filter(([, rule]) => !rule.atOnce && !rule.tombstone)
/** A survey's rows that hang off its answers: taken with them. */
const answerParts = tables.filter(([, rule]) => rule.answer !== undefined)
/** A survey's tables walked in key order (its rollups go after them, its answers' parts with the answers). */
const walked = chunked.filter(([, rule]) => rule.survey !== undefined && rule.answer === undefined && !rule.rollup)
const rollupTables = chunked.filter(([, rule]) => rule.rollup).map(([table]) => table)

/** The key columns after the site's: the order a survey's walk reads a table in. */
const walkKey = (table: string, rule: TableRule): readonly string[] => {
  if (rule.key[0] !== rule.site) throw new Error(`${table}: a survey's walk needs a key that starts with the site`)
  return rule.key.slice(1)
}
const marks = (count: number) => Array.from({ length: count }, () => '?').join(', ')

/** This deletion, as a condition every chunk's statement runs under (deleted and created again since: the chunk does nothing). */
const own = (row: DeletionRow): Sql => ({ sql: 'site_id = ? AND survey_id IS ? AND started_at = ?', params: [row.site_id, row.survey_id, row.started_at] })
const stillOwn = (row: DeletionRow): Sql => ({ sql: `EXISTS (SELECT 1 FROM deletions WHERE ${own(row).sql})`, params: own(row).params })
/** Adds what the statement before it removed to the deletion's count. */
const counted = (db: D1Database, row: DeletionRow) => db.prepare(`UPDATE deletions SET removed = removed + changes() WHERE ${own(row).sql}`).bind(...own(row).params)

export async function findDeletion(db: D1Database, target: DeletionTarget): Promise<DeletionRow | null> {
  return db
    .prepare('SELECT site_id, survey_id, token_hash, started_at, cursor, removed FROM deletions WHERE site_id = ? AND survey_id IS ?')
    .bind(target.site, target.survey)
    .first<DeletionRow>()
}

export const progressOf = (row: DeletionRow): DeletionProgress => ({ deleting: true, startedAt: new Date(Number(row.started_at)).toISOString(), removed: Number(row.removed) })

/** An error that carries the deletion's progress beside `error`. */
class DeletionError extends RequestError {
  readonly progress: DeletionProgress
  constructor(status: 409 | 410, message: string, progress: DeletionProgress) {
    super(status, 'deleting', message)
    this.progress = progress
  }
  override get body() {
    return { ...super.body, ...this.progress }
  }
}

const named = (target: DeletionTarget) => (target.survey === null ? `site ${target.site}` : `survey ${target.survey}`)
const logged = (target: DeletionTarget) => (target.survey === null ? named(target) : `${named(target)} of site ${target.site}`)
const since = (row: DeletionRow) => `since ${new Date(Number(row.started_at)).toISOString()}, ${Number(row.removed)} rows removed so far`

/** 410 for a site or survey being deleted: what any route of it answers its operator. */
export const beingDeleted = (target: DeletionTarget, row: DeletionRow): RequestError =>
  new DeletionError(410, `${named(target)} is being deleted (${since(row)}); its id can be used again once that is done`, progressOf(row))

/** 409 for creating a site or survey again while its deletion runs. */
export const stillDeleting = (target: DeletionTarget, row: DeletionRow): RequestError =>
  new DeletionError(409, `${named(target)} is still being deleted (${since(row)}); create it again once that is done (GET it to see how far it got)`, progressOf(row))

/**
 * Runs a write that creates a site or a survey; when the database refuses it because a deletion
 * of that id started in the meantime (migration 0013's triggers), a 409 saying so.
 */
export async function refusedWhileDeleting<T>(db: D1Database, target: DeletionTarget, write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (error) {
    if (!(error instanceof Error && /hearken: this (site|survey) is being deleted/.test(error.message))) throw error
    const row = (await findDeletion(db, target)) ?? (await findDeletion(db, { site: target.site, survey: null }))
    if (!row) throw error
    throw stillDeleting(target, row)
  }
}

/**
 * Records the deletion and removes at once what makes the target reachable, in one batch.
 * `tokenHash`: a site's operator token, kept with the record so its operator can still ask how far it got.
 */
export async function startDeletion(db: D1Database, target: DeletionTarget, tokenHash: string | null, now: number): Promise<void> {
  const reachable = tables.filter(([, rule]) => rule.atOnce && (target.survey === null || rule.survey !== undefined))
  await db.batch([
    db
      .prepare('INSERT OR IGNORE INTO deletions (site_id, survey_id, token_hash, started_at, updated_at) VALUES (?, ?, ?, ?, ?)')
      .bind(target.site, target.survey, target.survey === null ? tokenHash : null, now, now),
    ...reachable.map(([table, rule]) =>
      target.survey === null
        ? db.prepare(`DELETE FROM ${table} WHERE ${rule.site} = ?`).bind(target.site)
        : db.prepare(`DELETE FROM ${table} WHERE ${rule.site} = ? AND ${rule.survey} = ?`).bind(target.site, target.survey),
    ),
  ])
  forgetSite(target.site)
}

/** A site's chunk: up to `limit` rows from every table; the record goes when none is left. */
async function siteChunk(db: D1Database, row: DeletionRow, limit: number, now: number): Promise<boolean> {
  const guard = stillOwn(row)
  const statements = chunked.flatMap(([table, rule]) => [
    rule.rollup
      ? deleteRollupChunk(db, table, row.site_id, null, limit, guard)
      : db
          .prepare(`DELETE FROM ${table} WHERE (${rule.key.join(', ')}) IN (SELECT ${rule.key.join(', ')} FROM ${table} WHERE ${rule.site} = ? LIMIT ?) AND ${guard.sql}`)
          .bind(row.site_id, limit, ...guard.params),
    counted(db, row),
  ])
  const rows = chunked.filter(([, rule]) => !rule.rollup)
  const rollups = rollupRowsLeft(row.site_id, null)
  const left = [...rows.map(([table, rule]) => `EXISTS (SELECT 1 FROM ${table} WHERE ${rule.site} = ?)`), rollups.sql].join(' OR ')
  const results = await db.batch([
    ...statements,
    db.prepare(`UPDATE deletions SET updated_at = ? WHERE ${own(row).sql}`).bind(now, ...own(row).params),
    // The site's record, and those of its surveys' deletions: nothing of them is left either.
    db
      .prepare(`DELETE FROM deletions WHERE site_id = ? AND ${guard.sql} AND NOT (${left})`)
      .bind(row.site_id, ...guard.params, ...rows.map(() => row.site_id), ...rollups.params),
  ])
  return (results.at(-1)?.meta.changes ?? 0) > 0
}

const readWalk = (cursor: string | null): Walk => (cursor ? (JSON.parse(cursor) as Walk) : {})

/** For each table still walked, the key of the `limit`-th row of the site after where its walk stands (none: this is its last stretch). One query. */
async function stretchEnds(db: D1Database, row: DeletionRow, tables: [string, TableRule][], walk: Walk, limit: number): Promise<Record<string, unknown[] | undefined>> {
  const parts = tables.map(([table, rule]) => {
    const key = walkKey(table, rule)
    const after = walk[table] as unknown[] | undefined
    return {
      sql: `(SELECT json_array(${key.join(', ')}) FROM ${table} WHERE ${rule.site} = ?${after ? ` AND (${key.join(', ')}) > (${marks(key.length)})` : ''}
             ORDER BY ${key.join(', ')} LIMIT 1 OFFSET ?) AS ${table}`,
      params: [row.site_id, ...(after ?? []), limit - 1] as (string | number | null)[],
    }
  })
  const found = await db.prepare(`SELECT ${parts.map((part) => part.sql).join(', ')}`).bind(...parts.flatMap((part) => part.params)).first<Record<string, string | null>>()
  return Object.fromEntries(tables.map(([table]) => [table, found?.[table] ? (JSON.parse(found[table]) as unknown[]) : undefined]))
}

/**
 * A survey's chunk: the next stretch of up to `limit` rows of the site in each table still walked,
 * deleting the survey's among them; once every walk is done, up to `limit` rows of each of its
 * rollups, and the record when none is left.
 */
async function surveyChunk(db: D1Database, row: DeletionRow, limit: number, now: number): Promise<boolean> {
  const survey = row.survey_id!
  const walk = readWalk(row.cursor)
  const walking = walked.filter(([table]) => walk[table] !== 'done')
  const ends = walking.length ? await stretchEnds(db, row, walking, walk, limit) : {}
  const guard = stillOwn(row)
  const statements: D1PreparedStatement[] = []
  const next: Walk = { ...walk }
  for (const [table, rule] of walking) {
    const key = walkKey(table, rule).join(', ')
    const after = walk[table] as unknown[] | undefined
    const end = ends[table]
    const stretch: Sql = {
      sql: `${after ? ` AND (${key}) > (${marks(after.length)})` : ''}${end ? ` AND (${key}) <= (${marks(end.length)})` : ''}`,
      params: [...((after ?? []) as (string | number | null)[]), ...((end ?? []) as (string | number | null)[])],
    }
    const ofSurvey = `${rule.site} = ? AND ${rule.survey} = ?${stretch.sql}`
    if (table === ANSWERS) {
      for (const [part, partRule] of answerParts) {
        statements.push(
          db
            .prepare(`DELETE FROM ${part} WHERE ${partRule.site} = ? AND ${partRule.answer} IN (SELECT id FROM ${ANSWERS} WHERE ${ofSurvey}) AND ${guard.sql}`)
            .bind(row.site_id, row.site_id, survey, ...stretch.params, ...guard.params),
        )
      }
    }
    statements.push(db.prepare(`DELETE FROM ${table} WHERE ${ofSurvey} AND ${guard.sql}`).bind(row.site_id, survey, ...stretch.params, ...guard.params), counted(db, row))
    next[table] = end ?? 'done'
  }
  // Moves the walk on only from where this chunk read it: a run beside this one (the queue
  // delivers at least once, the cron may send another) has read the same stretch, and stops here.
  statements.push(db.prepare(`UPDATE deletions SET cursor = ?, updated_at = ? WHERE ${own(row).sql} AND cursor IS ?`).bind(JSON.stringify(next), now, ...own(row).params, row.cursor))
  const walksDone = walked.every(([table]) => next[table] === 'done')
  if (walksDone) {
    for (const table of rollupTables) statements.push(deleteRollupChunk(db, table, row.site_id, survey, limit, guard), counted(db, row))
    const left = rollupRowsLeft(row.site_id, survey)
    statements.push(emptiedMessages(db, row.site_id), db.prepare(`DELETE FROM deletions WHERE ${own(row).sql} AND NOT (${left.sql})`).bind(...own(row).params, ...left.params))
  }
  const results = await db.batch(statements)
  return walksDone && (results.at(-1)?.meta.changes ?? 0) > 0
}

/** Runs up to `chunks` chunks of the target's deletion; true when it is over (by these chunks or another run's). */
export async function runDeletion(db: D1Database, target: DeletionTarget, options: { chunks: number; chunkRows?: number; now: number }): Promise<boolean> {
  const limit = options.chunkRows ?? CHUNK_ROWS
  for (let chunk = 0; chunk < options.chunks; chunk++) {
    const row = await findDeletion(db, target)
    if (!row) return true
    if (await (row.survey_id === null ? siteChunk(db, row, limit, options.now) : surveyChunk(db, row, limit, options.now))) return true
  }
  return false
}

/** Sends the message that goes on with a deletion. A failure is logged: the deletion is recorded, and the cron takes it up. */
export async function sendDeletion(queue: Queue<DeletionTarget>, target: DeletionTarget): Promise<void> {
  try {
    await queue.send(target)
  } catch (error) {
    console.warn(`deleting ${logged(target)} not queued, the cron will go on with it:`, error instanceof Error ? error.message : error)
  }
}

/**
 * What `DELETE /v1/sites/{site}[/surveys/{survey}]` does: starts the deletion and runs a few
 * chunks. Null when it is over; else its progress, and a queue message goes on with it.
 */
export async function deleteInChunks(env: Env, target: DeletionTarget, tokenHash: string | null, now = Date.now()): Promise<DeletionProgress | null> {
  await startDeletion(env.DB, target, tokenHash, now)
  if (await runDeletion(env.DB, target, { chunks: REQUEST_CHUNKS, now })) return null
  await sendDeletion(env.DELETIONS, target)
  const row = await findDeletion(env.DB, target)
  return row ? progressOf(row) : null
}

const parseTarget = (body: unknown): DeletionTarget | null => {
  const { site, survey } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  return typeof site === 'string' && (survey === null || typeof survey === 'string') ? { site, survey } : null
}

/** The `hearken-deletions` consumer: each message runs a few chunks and sends the next until the deletion is over. */
export async function consumeDeletions(batch: MessageBatch<unknown>, env: Env, options: { clock?: () => number; chunks?: number; chunkRows?: number } = {}): Promise<void> {
  const clock = options.clock ?? Date.now
  for (const message of batch.messages) {
    const target = parseTarget(message.body)
    if (!target) {
      message.ack()
      continue
    }
    try {
      const over = await runDeletion(env.DB, target, { chunks: options.chunks ?? CHUNKS_PER_RUN, chunkRows: options.chunkRows, now: clock() })
      if (!over) await env.DELETIONS.send(target)
      message.ack()
    } catch (error) {
      // Nothing of a failed chunk committed: the retry starts from the last one that did.
      console.warn(`deleting ${logged(target)} stopped (attempt ${message.attempts}):`, error instanceof Error ? error.message : error)
      message.retry({ delaySeconds: Math.min(300, 5 * 2 ** (message.attempts - 1)) })
    }
  }
}

/** The cron's share: a new message for each deletion idle for {@link STALLED_MS} (its message was lost, or gave up). */
export async function sweepDeletions(env: Env, now: number): Promise<number> {
  const { results } = await env.DB.prepare(
    `UPDATE deletions SET updated_at = ?1 WHERE rowid IN (SELECT rowid FROM deletions WHERE updated_at < ?2 ORDER BY updated_at LIMIT 20)
     RETURNING site_id, survey_id`,
  )
    .bind(now, now - STALLED_MS)
    .all<{ site_id: string; survey_id: string | null }>()
  if (results.length) await env.DELETIONS.sendBatch(results.map((row) => ({ body: { site: row.site_id, survey: row.survey_id } satisfies DeletionTarget })))
  return results.length
}
