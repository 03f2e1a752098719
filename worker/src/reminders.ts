import { queueAlert } from './alerts.ts'
import { findSite } from './sites.ts'

/**
 * The cron's job: every follow-up past its due time and still not resolved gets one reminder.
 * Marking and selecting happen in one UPDATE … RETURNING, so overlapping runs never remind twice.
 */
export async function remindOverdue(env: Env, now = Date.now()): Promise<number> {
  const { results } = await env.DB.prepare(
    `UPDATE follow_ups SET reminded_at = ?1
     WHERE rowid IN (SELECT rowid FROM follow_ups WHERE status != 'resolved' AND reminded_at IS NULL AND due_at < ?1 LIMIT 500)
     RETURNING site_id, response_id`,
  )
    .bind(now)
    .all<{ site_id: string; response_id: string }>()
  for (const row of results) {
    const site = await findSite(env.DB, row.site_id)
    if (site) await queueAlert(env, site, 'reminder', row.response_id)
  }
  return results.length
}
