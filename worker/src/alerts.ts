import { scoreBand } from '../../sdk/protocol.ts'
import { toFollowUp, unhappySql } from './follow-ups.ts'
import { findSite, type Site } from './sites.ts'
import { findSurvey } from './surveys.ts'
import type { AlertKind, Webhook } from './webhooks.ts'
import { webhookRequest, type AlertContent } from './webhook-formats.ts'

/** One alert for one webhook: retried on its own, so a failing receiver never repeats another's. */
export interface AlertMessage {
  kind: AlertKind
  site: string
  response: string
  webhook: string
}

const subscribed = (webhook: Webhook, kind: AlertKind): boolean => !webhook.events || webhook.events.includes(kind)

/** Queues an alert about an answer for every webhook of the site that wants this kind. */
export async function queueAlert(env: Env, site: Site, kind: AlertKind, responseId: string, delaySeconds = 0): Promise<number> {
  const messages = site.settings.webhooks
    .filter((webhook) => subscribed(webhook, kind))
    .map((webhook) => ({ body: { kind, site: site.id, response: responseId, webhook: webhook.id } satisfies AlertMessage, delaySeconds }))
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
 * visitor and user indexes (UNION ALL: a plain UNION makes SQLite walk the site's whole primary
 * key to merge by id), so it costs the same at 100 k follow-ups as at 1 k.
 */
export function unhappyAnswersStatement(db: D1Database, siteId: string, responseIds: readonly string[], now: number): D1PreparedStatement {
  const theirs = (column: string) => `SELECT p.id FROM responses p JOIN surveys s ON s.site_id = p.site_id AND s.id = p.survey_id
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

const headlines: Record<AlertKind, string> = {
  negative: 'Unhappy answer',
  reminder: 'Follow-up overdue',
  high_risk: 'High-risk customer: a second unhappy answer in 30 days',
}

/** What an alert says about a stored answer, or null when the answer is gone (erased). */
async function alertContent(db: D1Database, site: Site, message: AlertMessage, dashboardUrl: string): Promise<AlertContent | null> {
  const row = await db
    .prepare(
      `SELECT r.*, f.status, f.assignee, f.notes, f.due_at FROM responses r LEFT JOIN follow_ups f ON f.site_id = r.site_id AND f.response_id = r.id
       WHERE r.site_id = ? AND r.id = ?`,
    )
    .bind(site.id, message.response)
    .first<Record<string, string | number | null>>()
  if (!row) return null
  const survey = await findSurvey(db, site.id, String(row.survey_id))
  const type = survey?.type ?? 'nps'
  const score = Number(row.score)
  const followUp = row.status ? toFollowUp({ status: row.status as 'open', assignee: row.assignee as string | null, notes: String(row.notes ?? '[]'), due_at: Number(row.due_at) }) : null
  const who = row.user_id ?? row.visitor_id ?? 'anonymous visitor'
  const parts = [
    `[Hearken · ${site.name}] ${headlines[message.kind]}: ${type.toUpperCase()} ${score} on ${row.survey_id}${row.checkpoint ? ` (${row.checkpoint})` : ''} from ${who}.`,
    row.comment ? `Comment: “${row.comment}”` : 'No comment.',
    followUp ? `Follow-up ${followUp.status.replace('_', ' ')}, due ${followUp.dueAt.slice(0, 16).replace('T', ' ')} UTC${followUp.assignee ? `, assigned to ${followUp.assignee}` : ''}.` : '',
    dashboardUrl,
  ]
  return {
    type: `hearken.alert.${message.kind}`,
    text: parts.filter(Boolean).join('\n'),
    data: {
      kind: message.kind,
      site: site.id,
      survey: row.survey_id,
      response: {
        id: row.id,
        score,
        band: scoreBand(type, score),
        comment: row.comment,
        checkpoint: row.checkpoint,
        segment: row.segment,
        visitor: row.visitor_id,
        user: row.user_id,
        createdAt: new Date(Number(row.created_at)).toISOString(),
      },
      followUp,
      ...(dashboardUrl ? { dashboardUrl } : {}),
    },
  }
}

/**
 * The queue consumer: delivers each alert to its webhook. A receiver that fails (network,
 * non-2xx) gets the message again later with growing delays; after the queue's retries it
 * lands in the dead-letter queue, so nothing is lost while a receiver is down.
 */
export async function deliverAlerts(batch: MessageBatch<AlertMessage>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const site = await findSite(env.DB, message.body.site)
    const webhook = site?.settings.webhooks.find((candidate) => candidate.id === message.body.webhook)
    const content = site && webhook ? await alertContent(env.DB, site, message.body, env.PUBLIC_URL ? `${env.PUBLIC_URL.replace(/\/+$/, '')}/dashboard?site=${site.id}` : '') : null
    // The site, the webhook or the answer is gone: nothing to say any more.
    if (!site || !webhook || !content) {
      message.ack()
      continue
    }
    const request = await webhookRequest(webhook, content, message.id, Date.now())
    try {
      const reply = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, signal: AbortSignal.timeout(10_000) })
      if (!reply.ok) throw new Error(`HTTP ${reply.status}`)
      message.ack()
    } catch (error) {
      console.warn(`alert ${message.id} to webhook ${webhook.id} failed (attempt ${message.attempts}):`, error instanceof Error ? error.message : error)
      message.retry({ delaySeconds: Math.min(600, 10 * 2 ** (message.attempts - 1)) })
    }
  }
}
