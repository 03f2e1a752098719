import { flushWebhook, queueTestMessage, type DeliveryOptions } from './alert-delivery.ts'
import { RequestError } from './errors.ts'
import type { Site } from './sites.ts'
import type { Webhook } from './webhooks.ts'

/**
 * What an operator sees of a webhook's deliveries, and what they can do about them: send a
 * test alert, retry a message, resume a paused webhook. The API and the dashboard share these.
 */

export type MessageStatus = 'sending' | 'retrying' | 'delivered' | 'failed'

/** One message to a webhook as the operator reads it. */
export interface DeliveredMessage {
  id: string
  alerts: number
  test: boolean
  /** It carries a digest (digests.ts), not alerts. */
  digest: boolean
  status: MessageStatus
  attempts: number
  createdAt: string
  lastAttemptAt: string | null
  nextAttemptAt: string | null
  /** The receiver's HTTP status on the last attempt; null when it did not answer. */
  lastStatus: number | null
  /** What the platform said when it did not take the message. */
  lastError: string | null
  note: string | null
}

export interface WebhookDeliveryStatus {
  /** Why nothing is being sent (a configuration error, 410 Gone), or null. */
  paused: { reason: string; at: string } | null
  /** Alerts waiting for their turn (pacing) or for the webhook to be resumed. */
  waiting: number
  lastDelivered: DeliveredMessage | null
  /** The latest messages that failed or are being retried, newest first. */
  problems: DeliveredMessage[]
  recent: DeliveredMessage[]
}

type Row = {
  id: string
  alerts: number
  test: number
  digest: number
  status: MessageStatus
  attempts: number
  created_at: number
  last_attempt_at: number | null
  next_attempt_at: number | null
  last_status: number | null
  last_error: string | null
  note: string | null
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

const toMessage = (row: Row): DeliveredMessage => ({
  id: row.id,
  alerts: row.alerts,
  test: row.test === 1,
  digest: row.digest === 1,
  status: row.status,
  attempts: row.attempts,
  createdAt: iso(row.created_at)!,
  lastAttemptAt: iso(row.last_attempt_at),
  nextAttemptAt: row.status === 'retrying' || row.status === 'sending' ? iso(row.next_attempt_at) : null,
  lastStatus: row.last_status,
  lastError: row.last_error,
  note: row.note,
})

const COLUMNS = 'id, alerts, test, digest, status, attempts, created_at, last_attempt_at, next_attempt_at, last_status, last_error, note'

export async function deliveryStatus(db: D1Database, siteId: string, webhookId: string): Promise<WebhookDeliveryStatus> {
  const [state, waiting, delivered, problems, recent] = await db.batch([
    db.prepare('SELECT paused_reason, paused_at FROM webhook_state WHERE site_id = ? AND webhook_id = ?').bind(siteId, webhookId),
    db.prepare('SELECT COUNT(*) AS n FROM alert_outbox WHERE site_id = ? AND webhook_id = ? AND message_id IS NULL').bind(siteId, webhookId),
    db
      .prepare(`SELECT ${COLUMNS} FROM webhook_messages WHERE site_id = ? AND webhook_id = ? AND status = 'delivered' ORDER BY last_attempt_at DESC LIMIT 1`)
      .bind(siteId, webhookId),
    db
      .prepare(
        `SELECT ${COLUMNS} FROM webhook_messages WHERE site_id = ? AND webhook_id = ? AND (status = 'failed' OR (status = 'retrying' AND attempts > 0))
         ORDER BY created_at DESC LIMIT 10`,
      )
      .bind(siteId, webhookId),
    db.prepare(`SELECT ${COLUMNS} FROM webhook_messages WHERE site_id = ? AND webhook_id = ? ORDER BY created_at DESC LIMIT 10`).bind(siteId, webhookId),
  ])
  const pause = (state!.results as { paused_reason: string | null; paused_at: number | null }[])[0]
  return {
    paused: pause?.paused_reason ? { reason: pause.paused_reason, at: iso(pause.paused_at)! } : null,
    waiting: (waiting!.results as { n: number }[])[0]?.n ?? 0,
    lastDelivered: (delivered!.results as Row[]).map(toMessage)[0] ?? null,
    problems: (problems!.results as Row[]).map(toMessage),
    recent: (recent!.results as Row[]).map(toMessage),
  }
}

async function readMessage(db: D1Database, siteId: string, webhookId: string, messageId: string): Promise<DeliveredMessage> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM webhook_messages WHERE id = ? AND site_id = ? AND webhook_id = ?`).bind(messageId, siteId, webhookId).first<Row>()
  if (!row) throw new RequestError(404, 'unknown_message', `no message ${messageId} to this webhook`, 'message')
  return toMessage(row)
}

/** Lifts a pause (the operator changed or resumed the webhook): held messages and waiting alerts may go. */
export async function unpause(db: D1Database, siteId: string, webhookId: string): Promise<void> {
  await db.prepare('UPDATE webhook_state SET paused_reason = NULL, paused_at = NULL WHERE site_id = ? AND webhook_id = ?').bind(siteId, webhookId).run()
}

/** Sends a test alert now (or as soon as the platform's limit allows) and tells how it went. */
export async function sendTestAlert(env: Env, site: Site, webhook: Webhook, options: DeliveryOptions = {}): Promise<DeliveredMessage> {
  const now = (options.clock ?? Date.now)()
  await unpause(env.DB, site.id, webhook.id)
  const id = await queueTestMessage(env.DB, site.id, webhook.id, now)
  await flushWebhook(env, site, webhook, options)
  return readMessage(env.DB, site.id, webhook.id, id)
}

/** Sends a failed (or waiting) message again now, with a fresh retry schedule, and tells how it went. */
export async function retryMessage(env: Env, site: Site, webhook: Webhook, messageId: string, options: DeliveryOptions = {}): Promise<DeliveredMessage> {
  const now = (options.clock ?? Date.now)()
  const updated = await env.DB.prepare(
    `UPDATE webhook_messages SET status = 'retrying', attempts = 0, next_attempt_at = ? WHERE id = ? AND site_id = ? AND webhook_id = ? AND status IN ('failed', 'retrying')`,
  )
    .bind(now, messageId, site.id, webhook.id)
    .run()
  if (updated.meta.changes === 0) {
    const message = await readMessage(env.DB, site.id, webhook.id, messageId)
    throw new RequestError(409, 'not_retryable', `message ${messageId} is ${message.status}: only failed or waiting messages can be retried`, 'message')
  }
  await unpause(env.DB, site.id, webhook.id)
  await flushWebhook(env, site, webhook, options)
  return readMessage(env.DB, site.id, webhook.id, messageId)
}

/** Resumes a paused webhook: what it held goes now, paced as usual. */
export async function resumeWebhook(env: Env, site: Site, webhook: Webhook, options: DeliveryOptions = {}): Promise<WebhookDeliveryStatus> {
  await unpause(env.DB, site.id, webhook.id)
  await flushWebhook(env, site, webhook, options)
  return deliveryStatus(env.DB, site.id, webhook.id)
}
