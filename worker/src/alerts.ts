import type { AlertMessage } from './alert-delivery.ts'
import { unhappySql } from './follow-ups.ts'
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

/** How far back a person's unhappy answers count towards a high-risk alert. */
const HIGH_RISK_WINDOW_MS = 30 * 24 * 3600 * 1000

/**
 * For each of `responseIds` whose follow-up was opened at `now` (in the same batch, just
 * before): how many unhappy answers that passed the abuse checks the same person (visitor or
 * user id) gave in the 30 days up to it, itself included. Counted from the answers themselves,
 * never from follow-ups (an operator may open those by hand on any answer), and driven by the
 * visitor and user indexes, named (left to itself SQLite prefers the time index and reads a month
 * of the site's answers), and with UNION ALL (a plain UNION walks the site's primary key to merge
 * by id), so it costs the same at 100 k follow-ups as at 1 k.
 */
export function unhappyAnswersStatement(db: D1Database, siteId: string, responseIds: readonly string[], now: number): D1PreparedStatement {
  const index = { visitor_id: 'responses_by_visitor', user_id: 'responses_by_user' }
  const theirs = (column: keyof typeof index) => `SELECT p.id FROM responses p INDEXED BY ${index[column]} JOIN surveys s ON s.site_id = p.site_id AND s.id = p.survey_id
    WHERE p.site_id = r.site_id AND p.${column} = r.${column} AND p.created_at > r.created_at - ${HIGH_RISK_WINDOW_MS} AND p.created_at <= r.created_at AND ${unhappySql('p', 's')}`
  return db
    .prepare(
      `SELECT r.id, (SELECT COUNT(DISTINCT id) FROM (${theirs('visitor_id')} UNION ALL ${theirs('user_id')})) AS unhappy
       FROM follow_ups f JOIN responses r ON r.site_id = f.site_id AND r.id = f.response_id
       WHERE f.site_id = ?1 AND f.response_id IN (SELECT value FROM json_each(?2)) AND f.created_at = ?3`,
    )
    .bind(siteId, JSON.stringify(responseIds), now)
}

/**
 * An unhappy answer alerts its site's webhooks once the follow-up comment has had time to
 * arrive (ALERT_DELAY_SECONDS), and a second one from the same person within 30 days
 * (`unhappyInWindow`, from {@link unhappyAnswersStatement}) raises a high-risk alert. The
 * answer is stored already: a queue failure is logged, never turned into a lost answer.
 */
export async function alertUnhappyAnswer(env: Env, site: Site, responseId: string, unhappyInWindow: number): Promise<void> {
  try {
    const delay = Number(env.ALERT_DELAY_SECONDS) || 0
    await queueAlert(env, site, 'negative', responseId, delay)
    if (unhappyInWindow === 2) await queueAlert(env, site, 'high_risk', responseId, delay)
  } catch (error) {
    console.error('queueing an alert failed', error instanceof Error ? error.message : error)
  }
}
