/**
 * Retention, per site (`settings.retentionDays`, 0 keeps everything): the cron erases the
 * comment of every answer given more than that many days ago, and every follow-up note written
 * more than that many days ago. Scores, ratings, flags, the follow-up's status and the rollups
 * stay: no rollup counts text (rollups.ts), so every statistic reads exactly as before.
 *
 * Each cron run does a bounded amount: at most {@link ROUNDS} batches, each clearing at most
 * `rowsPerStatement` comments and as many notes per site, walking only rows that still hold text
 * (partial indexes of migration 0008). A backlog, when retention is first switched on, is worked
 * off over the following runs.
 */

const ROWS_PER_STATEMENT = 1000
const ROUNDS = 3
const DAY_MS = 24 * 3600 * 1000

/** What one run erased. */
export interface RetentionRun {
  comments: number
  notes: number
}

type SiteRetention = { id: string; days: number }

function statements(db: D1Database, site: SiteRetention, now: number, rows: number): [D1PreparedStatement, D1PreparedStatement] {
  const before = now - site.days * DAY_MS
  return [
    db
      .prepare(
        `UPDATE responses SET comment = NULL, updated_at = ?3 WHERE rowid IN (
           SELECT rowid FROM responses WHERE site_id = ?1 AND created_at < ?2 AND comment IS NOT NULL LIMIT ?4)`,
      )
      .bind(site.id, before, now, rows),
    db
      .prepare(
        `UPDATE follow_ups SET updated_at = ?3, notes = (
           SELECT COALESCE(json_group_array(json(value)), '[]') FROM json_each(follow_ups.notes) WHERE json_extract(value, '$.at') >= ?2)
         WHERE rowid IN (
           SELECT rowid FROM follow_ups WHERE site_id = ?1 AND notes != '[]' AND created_at < ?2
             AND EXISTS (SELECT 1 FROM json_each(follow_ups.notes) WHERE json_extract(value, '$.at') < ?2) LIMIT ?4)`,
      )
      .bind(site.id, before, now, rows),
  ]
}

/** The cron's share: erases what every site's retention says is due, rollups untouched. */
export async function applyRetention(env: Env, now: number, { rowsPerStatement = ROWS_PER_STATEMENT } = {}): Promise<RetentionRun> {
  const { results } = await env.DB.prepare(
    "SELECT id, json_extract(settings, '$.retentionDays') AS days FROM sites WHERE json_extract(settings, '$.retentionDays') > 0",
  ).all<SiteRetention>()
  const run: RetentionRun = { comments: 0, notes: 0 }
  let due = results
  for (let round = 0; round < ROUNDS && due.length > 0; round++) {
    const done = await env.DB.batch(due.flatMap((site) => statements(env.DB, site, now, rowsPerStatement)))
    const changed = done.map((result) => result.meta.changes)
    changed.forEach((count, index) => (index % 2 === 0 ? (run.comments += count) : (run.notes += count)))
    // Sites that filled a statement may have more; the others are done for this run.
    due = due.filter((_, index) => changed[2 * index] === rowsPerStatement || changed[2 * index + 1] === rowsPerStatement)
  }
  return run
}
