import { alertMessages } from './alerts.ts'
import type { Webhook } from './webhooks.ts'

/** Follow-ups handled per round: one SELECT, one read of their sites, one UPDATE, and queue batches of 100. */
const ROUND = 100
/** Rounds per cron run, so a run stays far inside D1's per-invocation query limit (50 on the free plan). */
const ROUNDS = 4
/** Messages per `sendBatch` (the queue takes at most 100). */
const QUEUE_BATCH = 100

/**
 * The cron's job: every follow-up past its due time and still not resolved gets one reminder.
 * - Fair and oldest first: each round takes every site's oldest overdue follow-up, then every
 *   site's second, and so on, so one site's backlog never holds back another's.
 * - Send, then mark: the reminders are queued first and marked sent after. A run that stops in
 *   between queues them again next time, and the consumer stores each alert once
 *   (alert-delivery.ts), so nobody is reminded twice and nobody is skipped.
 */
export async function remindOverdue(env: Env, now = Date.now()): Promise<number> {
  let reminded = 0
  for (let round = 0; round < ROUNDS; round++) {
    const { results } = await env.DB.prepare(
      `SELECT site_id, response_id FROM (
         SELECT site_id, response_id, due_at, ROW_NUMBER() OVER (PARTITION BY site_id ORDER BY due_at, response_id) AS turn
         FROM follow_ups WHERE status != 'resolved' AND reminded_at IS NULL AND due_at < ?1)
       ORDER BY turn, due_at, site_id, response_id LIMIT ?2`,
    )
      .bind(now, ROUND)
      .all<{ site_id: string; response_id: string }>()
    if (results.length === 0) break
    const siteIds = [...new Set(results.map((row) => row.site_id))]
    const { results: sites } = await env.DB.prepare('SELECT id, settings FROM sites WHERE id IN (SELECT value FROM json_each(?))')
      .bind(JSON.stringify(siteIds))
      .all<{ id: string; settings: string }>()
    const webhooks = new Map(sites.map((site) => [site.id, ((JSON.parse(site.settings) as { webhooks?: Webhook[] }).webhooks ?? [])]))
    const messages = results.flatMap((row) => alertMessages({ id: row.site_id, settings: { webhooks: webhooks.get(row.site_id) ?? [] } }, 'reminder', row.response_id))
    for (let start = 0; start < messages.length; start += QUEUE_BATCH) {
      await env.ALERTS.sendBatch(messages.slice(start, start + QUEUE_BATCH).map((body) => ({ body })))
    }
    await env.DB.prepare(
      `UPDATE follow_ups SET reminded_at = ?1 WHERE reminded_at IS NULL AND (site_id, response_id) IN
         (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?2))`,
    )
      .bind(now, JSON.stringify(results.map((row) => [row.site_id, row.response_id])))
      .run()
    reminded += results.length
    if (results.length < ROUND) break
  }
  return reminded
}
