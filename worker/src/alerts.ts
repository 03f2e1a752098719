import type { AlertMessage } from './alert-delivery.ts'
import type { Site } from './sites.ts'
import { subscribed, type AlertKind } from './webhooks.ts'

export type { AlertMessage } from './alert-delivery.ts'

/**
 * Raising alerts: what ingest and the reminder cron put on the queue, one message per alert
 * and webhook. Storing, pacing, merging and sending them is alert-delivery.ts.
 */

/** The queue messages for an alert about an answer: one for every webhook of the site that wants this kind. */
export const alertMessages = (site: Pick<Site, 'id'> & { settings: Pick<Site['settings'], 'webhooks'> }, kind: AlertKind, responseId: string): AlertMessage[] =>
  site.settings.webhooks.filter((webhook) => subscribed(webhook, kind)).map((webhook) => ({ kind, site: site.id, response: responseId, webhook: webhook.id }))

/** Queues an alert about an answer for every webhook of the site that wants this kind. */
export async function queueAlert(env: Env, site: Site, kind: AlertKind, responseId: string, delaySeconds = 0): Promise<number> {
  const messages = alertMessages(site, kind, responseId).map((body) => ({ body, delaySeconds }))
  if (messages.length) await env.ALERTS.sendBatch(messages)
  return messages.length
}

/** A visitor or user's unhappy, unflagged answers in the last 30 days, this one included. */
export async function recentUnhappyAnswers(db: D1Database, siteId: string, responseId: string, now = Date.now()): Promise<number> {
  const row = await db
    .prepare(
      `SELECT COUNT(*) AS n FROM follow_ups f JOIN responses r ON r.site_id = f.site_id AND r.id = f.response_id
       WHERE f.site_id = ?1 AND f.created_at > ?3 AND (
         r.visitor_id = (SELECT visitor_id FROM responses WHERE site_id = ?1 AND id = ?2) OR
         r.user_id = (SELECT user_id FROM responses WHERE site_id = ?1 AND id = ?2))`,
    )
    .bind(siteId, responseId, now - 30 * 24 * 3600 * 1000)
    .first<number>('n')
  return row ?? 0
}

/**
 * An unhappy answer alerts its site's webhooks once the follow-up comment has had time to
 * arrive (ALERT_DELAY_SECONDS), and a second one from the same person within 30 days raises a
 * high-risk alert. The answer is stored already: a queue failure is logged, never turned into
 * a lost answer.
 */
export async function alertUnhappyAnswer(env: Env, site: Site, responseId: string): Promise<void> {
  try {
    const delay = Number(env.ALERT_DELAY_SECONDS) || 0
    await queueAlert(env, site, 'negative', responseId, delay)
    if ((await recentUnhappyAnswers(env.DB, site.id, responseId)) === 2) await queueAlert(env, site, 'high_risk', responseId, delay)
  } catch (error) {
    console.error('queueing an alert failed', error instanceof Error ? error.message : error)
  }
}
