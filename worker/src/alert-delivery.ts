import { scoreBand, type SurveyType } from '../../sdk/protocol.ts'
import type { AlertItem } from './alert-text.ts'
import { toBase64url } from './crypto.ts'
import { take, type CallBudget } from './delivery-budget.ts'
import { pruneDeliveries, PRUNE_CALLS } from './delivery-pruning.ts'
import { digestContent } from './digests-content.ts'
import { webhookDigests } from './digests-settings.ts'
import { sendEmail } from './email-delivery.ts'
import { toFollowUp, type FollowUpStatus } from './follow-ups.ts'
import { nextSlot, PACES, robotOf, type Pace } from './pacing.ts'
import { findSite, type Site } from './sites.ts'
import { alertContent, WebhookConfigError, webhookRequest, type MessageContent } from './webhook-formats.ts'
import { readReply, type Reply, type ReplyVerdict } from './webhook-replies.ts'
import { subscribed, type AlertKind, type Webhook } from './webhooks.ts'

/**
 * Alerts on their way to webhooks, with their state in D1 (migration 0007):
 * - The queue delivers at least once; each alert is stored once per webhook
 *   (`alert_outbox`, keyed by webhook, kind and answer), so a redelivery changes nothing.
 * - An alert waits until its webhook may post (pacing.ts); alerts that wait together go out
 *   as one message (`webhook_messages`), and every alert goes in exactly one message.
 * - A message keeps its id on every attempt (Standard Webhooks' `webhook-id`) and is retried
 *   on a schedule of its own for more than a day; the receiver's answer is read per platform
 *   (webhook-replies.ts) and kept for the operator.
 * - One worker at a time sends for a webhook (a lease in `webhook_state`), and every post
 *   first claims a slot of its robot URL's pace in one statement (`webhook_attempts`), so limits
 *   hold when the queue runs consumers side by side and when several webhooks, of one site or
 *   many, post to the same robot; webhooks never wait on each other otherwise.
 * - When a webhook has to wait, a `flush` message on the queue wakes it at the right time;
 *   the cron sweeps up anything a lost wake-up left behind, most overdue first, within a budget
 *   of calls per run (delivery-budget.ts), and forgets old deliveries (delivery-pruning.ts).
 */

/** A queued alert: one answer, one webhook. */
export interface AlertMessage {
  kind: AlertKind
  site: string
  response: string
  webhook: string
}

/** A wake-up: send what is due for this webhook. */
export interface FlushMessage {
  kind: 'flush'
  site: string
  webhook: string
}

export type QueuedWork = AlertMessage | FlushMessage

/** The clock and the patience of a delivery run; tests pass their own. */
export interface DeliveryOptions {
  clock?: () => number
  /** How long a receiver has to answer (Standard Webhooks suggests 15 to 30 s). */
  timeoutMs?: number
  /** What this invocation may still spend; flushes stop short of it and leave the rest for later. */
  budget?: CallBudget
}

const LEASE_MS = 60_000
const DEFAULT_TIMEOUT_MS = 15_000
/** Messages one flush sends at most, to stay inside one invocation's D1 query budget; the rest wake it again. */
const SENDS_PER_FLUSH = 5
/** The longest a queue message can be delayed. */
const MAX_QUEUE_DELAY_S = 12 * 3600
/** A pace's window with no limit. */
const UNLIMITED = 1_000_000_000

/**
 * What a flush spends at most (delivery-budget.ts), counted from the code below: to start (the
 * lease, stuck messages) and to end (the release, a wake-up: its queue message and its record);
 * a look at what is due (one batch of four); one send (open a message 2, read what it says 1,
 * claim a slot 1, mark it sending 1, the post 1, its record 3).
 */
const FLUSH_OPEN_CALLS = 2
const FLUSH_CLOSE_CALLS = 3
const CHECK_CALLS = 4
const SEND_CALLS = 9
/** findSite's batch of two statements. */
const SITE_CALLS = 2
/** forgetWebhookDeliveries' batch. */
const FORGET_CALLS = 4
/**
 * What one cron run's sweep spends at most: a fifth of the 1,000 subrequests of a Workers Paid
 * invocation, which the cron's other jobs share. A backlog beyond it goes in the next runs (and
 * through the wake-ups the sweep queues, each consumer run with a budget of its own).
 */
export const SWEEP_CALLS = 200
/** Webhooks one sweep looks at, the most overdue first. */
const SWEEP_WEBHOOKS = 20

/**
 * Delays after the 1st, 2nd, … failed attempt: Standard Webhooks' example schedule. The eighth
 * attempt comes 31½ hours after the first; after it a message counts as failed.
 */
export const RETRY_SCHEDULE_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000]

const KINDS: readonly string[] = ['negative', 'reminder', 'high_risk']

function parseWork(body: unknown): QueuedWork | null {
  if (typeof body !== 'object' || body === null) return null
  const { kind, site, webhook, response } = body as Record<string, unknown>
  if (typeof site !== 'string' || typeof webhook !== 'string') return null
  if (kind === 'flush') return { kind, site, webhook }
  if (typeof kind === 'string' && KINDS.includes(kind) && typeof response === 'string') return { kind: kind as AlertKind, site, webhook, response }
  return null
}

/**
 * Stores one alert for its webhook, once; false when it was there already, its answer is gone (or
 * its survey being deleted), or (for an unhappy answer or a reminder) its follow-up is: a re-answer
 * that closed it leaves nothing to tell.
 */
async function recordAlert(db: D1Database, alert: AlertMessage, now: number): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT INTO alert_outbox (site_id, webhook_id, kind, response_id, event_at, queued_at)
       SELECT r.site_id, ?2, ?3, r.id, CASE WHEN ?3 = 'reminder' THEN COALESCE(f.due_at, r.created_at) ELSE r.created_at END, ?5
       FROM responses r JOIN surveys s ON s.site_id = r.site_id AND s.id = r.survey_id
       LEFT JOIN follow_ups f ON f.site_id = r.site_id AND f.response_id = r.id
       WHERE r.site_id = ?1 AND r.id = ?4 AND (?3 = 'high_risk' OR f.response_id IS NOT NULL)
       ON CONFLICT DO NOTHING`,
    )
    .bind(alert.site, alert.webhook, alert.kind, alert.response, now)
    .run()
  return result.meta.changes === 1
}

/** What a queue message asks for, with its site and webhook (each site read once a batch); null when any of them is gone or malformed. */
const workLoader = (db: D1Database) => {
  const sites = new Map<string, Promise<Site | null>>()
  return async (body: unknown): Promise<{ work: QueuedWork; owner: Site; webhook: Webhook } | null> => {
    const work = parseWork(body)
    if (!work) return null
    if (!sites.has(work.site)) sites.set(work.site, findSite(db, work.site))
    const owner = await sites.get(work.site)!
    const webhook = owner?.settings.webhooks.find((candidate) => candidate.id === work.webhook)
    return owner && webhook ? { work, owner, webhook } : null
  }
}

/** Runs each webhook's flush on its own: one that throws or hangs never holds back another. */
async function flushAll(env: Env, targets: Map<string, { site: Site; webhook: Webhook }>, options: DeliveryOptions): Promise<void> {
  const results = await Promise.allSettled([...targets.values()].map(({ site, webhook }) => flushWebhook(env, site, webhook, options)))
  for (const result of results) if (result.status === 'rejected') console.error('flushing a webhook failed', result.reason instanceof Error ? result.reason.message : result.reason)
}

const key = (site: string, webhook: string) => `${site}\u0000${webhook}`

/**
 * The queue consumer: stores each alert (acked once stored, retried by the queue when D1 could
 * not take it), then sends what each webhook it touched may send now.
 */
export async function consumeAlerts(batch: MessageBatch<unknown>, env: Env, options: DeliveryOptions = {}): Promise<void> {
  const clock = options.clock ?? Date.now
  const load = workLoader(env.DB)
  const targets = new Map<string, { site: Site; webhook: Webhook }>()
  for (const message of batch.messages) {
    try {
      const found = await load(message.body)
      // The site, the webhook or the message's shape is gone or wrong: nothing to send, ever.
      if (!found || (found.work.kind !== 'flush' && !subscribed(found.webhook, found.work.kind))) {
        message.ack()
        continue
      }
      const { work, owner, webhook } = found
      if (work.kind !== 'flush') await recordAlert(env.DB, work, clock())
      targets.set(key(owner.id, webhook.id), { site: owner, webhook })
      message.ack()
    } catch (error) {
      console.warn(`alert message ${message.id} not stored (attempt ${message.attempts}):`, error instanceof Error ? error.message : error)
      message.retry({ delaySeconds: Math.min(300, 5 * 2 ** (message.attempts - 1)) })
    }
  }
  await flushAll(env, targets, options)
}

/**
 * The dead-letter queue's consumer: an alert the queue gave up on (D1 refused it every time)
 * is stored now, in a message marked as coming from there so the operator sees it, and sent.
 */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Env, options: DeliveryOptions = {}): Promise<void> {
  const clock = options.clock ?? Date.now
  const load = workLoader(env.DB)
  const targets = new Map<string, { site: Site; webhook: Webhook }>()
  for (const message of batch.messages) {
    try {
      const found = await load(message.body)
      if (found && found.work.kind !== 'flush' && (await recordAlert(env.DB, found.work, clock()))) {
        await openMessage(env.DB, found.owner.id, found.webhook.id, clock(), {
          only: found.work,
          note: `reached the dead-letter queue after ${message.attempts} attempts to store it; sent from there`,
        })
      }
      if (found) targets.set(key(found.owner.id, found.webhook.id), { site: found.owner, webhook: found.webhook })
      message.ack()
    } catch (error) {
      console.error(`dead-lettered alert ${message.id} not stored:`, error instanceof Error ? error.message : error)
      message.retry({ delaySeconds: 600 })
    }
  }
  await flushAll(env, targets, options)
}

const newMessageId = (): string => `msg_${toBase64url(crypto.getRandomValues(new Uint8Array(16)))}`

/**
 * Puts waiting alerts of a webhook into a new message, due now: all of them (merged), one (the
 * JSON format: one event each), or one named alert. Returns the message id, or null when none waited.
 */
async function openMessage(
  db: D1Database,
  siteId: string,
  webhookId: string,
  now: number,
  choose: { one?: boolean; only?: AlertMessage; note?: string } = {},
): Promise<string | null> {
  const id = newMessageId()
  const which = choose.only
    ? 'AND kind = ?4 AND response_id = ?5'
    : choose.one
      ? 'AND response_id = (SELECT response_id FROM alert_outbox WHERE site_id = ?1 AND webhook_id = ?2 AND message_id IS NULL ORDER BY queued_at, response_id LIMIT 1)'
      : ''
  const params = choose.only ? [choose.only.kind, choose.only.response] : []
  const [claimed] = await db.batch([
    db.prepare(`UPDATE alert_outbox SET message_id = ?3 WHERE site_id = ?1 AND webhook_id = ?2 AND message_id IS NULL ${which}`).bind(siteId, webhookId, id, ...params),
    db
      .prepare(
        `INSERT INTO webhook_messages (id, site_id, webhook_id, alerts, status, attempts, next_attempt_at, note, created_at)
         SELECT ?1, ?2, ?3, COUNT(*), 'retrying', 0, ?4, ?5, ?4 FROM alert_outbox WHERE message_id = ?1 HAVING COUNT(*) > 0`,
      )
      .bind(id, siteId, webhookId, now, choose.note ?? null),
  ])
  return claimed && claimed.meta.changes > 0 ? id : null
}

/** A test alert from the operator: a message with no answers behind it, sent now. */
export async function queueTestMessage(db: D1Database, siteId: string, webhookId: string, now: number): Promise<string> {
  const id = newMessageId()
  await db
    .prepare(`INSERT INTO webhook_messages (id, site_id, webhook_id, alerts, test, status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, 0, 1, 'retrying', 0, ?, ?)`)
    .bind(id, siteId, webhookId, now, now)
    .run()
  return id
}

type ItemRow = {
  kind: AlertKind
  event_at: number
  id: string
  survey_id: string
  survey_type: SurveyType
  score: number
  comment: string | null
  checkpoint: string
  segment: string
  visitor_id: string | null
  user_id: string | null
  subject: string | null
  created_at: number
  status: FollowUpStatus | null
  assignee: string | null
  notes: string | null
  due_at: number | null
}

/**
 * The alerts a message carries, read fresh at each attempt: an erased answer, one of a survey being
 * deleted, or one whose follow-up a re-answer closed, is no longer told.
 */
async function messageItems(db: D1Database, messageId: string, now: number): Promise<AlertItem[]> {
  const { results } = await db
    .prepare(
      `SELECT o.kind, o.event_at, r.id, r.survey_id, s.type AS survey_type, r.score, r.comment, r.checkpoint, r.segment,
         r.visitor_id, r.user_id, r.subject, r.created_at, f.status, f.assignee, f.notes, f.due_at
       FROM alert_outbox o
       JOIN responses r ON r.site_id = o.site_id AND r.id = o.response_id
       JOIN surveys s ON s.site_id = r.site_id AND s.id = r.survey_id
       LEFT JOIN follow_ups f ON f.site_id = r.site_id AND f.response_id = r.id
       WHERE o.message_id = ? AND (o.kind = 'high_risk' OR f.response_id IS NOT NULL)`,
    )
    .bind(messageId)
    .all<ItemRow>()
  return results.map((row) => {
    const type = row.survey_type
    return {
      kind: row.kind,
      responseId: row.id,
      survey: row.survey_id,
      type,
      score: row.score,
      band: scoreBand(type, row.score),
      comment: row.comment,
      checkpoint: row.checkpoint,
      segment: row.segment,
      visitor: row.visitor_id,
      user: row.user_id,
      subject: row.subject,
      createdAt: row.created_at,
      eventAt: row.event_at,
      followUp: row.status ? toFollowUp({ status: row.status, assignee: row.assignee, notes: row.notes ?? '[]', due_at: row.due_at ?? 0 }, now) : null,
    }
  })
}

/** Reads at most `limit` bytes of a body: a receiver is not trusted to answer briefly. */
async function readStart(response: Response, limit = 4096): Promise<string> {
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  while (size < limit) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    size += value.length
  }
  await reader.cancel().catch(() => undefined)
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) bytes.set(chunk, (offset += chunk.length) - chunk.length)
  return new TextDecoder().decode(bytes.slice(0, limit))
}

/** One attempt: the request, the answer, and what it means. Never throws. */
async function attempt(env: Env, site: Site, webhook: Webhook, content: MessageContent, messageId: string, now: number, timeoutMs: number): Promise<{ verdict: ReplyVerdict; status: number | null }> {
  if (webhook.format === 'email') return { verdict: await sendEmail(env, webhook, site.name, content.email(), messageId, now, timeoutMs), status: null }
  let request
  try {
    request = await webhookRequest(webhook, content, messageId, now)
  } catch (error) {
    const message = error instanceof WebhookConfigError ? error.message : `the webhook's settings cannot be used: ${error instanceof Error ? error.message : String(error)}`
    return { verdict: { outcome: 'config', message }, status: null }
  }
  try {
    const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) })
    const reply: Reply = { status: response.status, body: await readStart(response), retryAfter: response.headers.get('retry-after'), location: response.headers.get('location') }
    return { verdict: readReply(webhook.format, reply, now), status: response.status }
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
    return { verdict: { outcome: 'retry', message: timedOut ? `no answer within ${timeoutMs / 1000} s` : `could not connect: ${error instanceof Error ? error.message : String(error)}` }, status: null }
  }
}

/** A small, fixed jitter per message (0–10 % of the delay), so retries of a burst spread out yet stay reproducible. */
const jitter = (messageId: string, delay: number): number => {
  let hash = 0
  for (const char of messageId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0
  return Math.round(((hash % 1000) / 10_000) * delay)
}

type MessageRow = { id: string; attempts: number; test: number; digest: number; next_attempt_at: number | null; status: string }
type StateRow = { blocked_until: number; paused_reason: string | null; last_message_at: number; wake_at: number | null }

/**
 * Sends what is due for one webhook, within its pace: first messages due for a retry (and
 * tests), then the alerts waiting for it, merged into one message for chat robots once the
 * merge window since its last message has passed. Leaves a wake-up for whatever has to wait.
 */
export async function flushWebhook(env: Env, site: Site, webhook: Webhook, options: DeliveryOptions = {}): Promise<void> {
  const db = env.DB
  const clock = options.clock ?? Date.now
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const budget = options.budget
  // A flush starts only if it can end cleanly and send once; otherwise a later run does it.
  if (!take(budget, FLUSH_OPEN_CALLS + FLUSH_CLOSE_CALLS + CHECK_CALLS + SEND_CALLS)) return
  const pace = PACES[webhook.format]
  const robot = await robotOf(webhook.url)
  const leaseId = newMessageId()
  const start = clock()
  const lease = await db
    .prepare(
      `INSERT INTO webhook_state (site_id, webhook_id, lease_until, lease_id) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (site_id, webhook_id) DO UPDATE SET lease_until = ?3, lease_id = ?4,
         wake_at = CASE WHEN wake_at <= ?5 THEN NULL ELSE wake_at END
       WHERE webhook_state.lease_until <= ?5
       RETURNING blocked_until, paused_reason, last_message_at, wake_at`,
    )
    .bind(site.id, webhook.id, start + LEASE_MS, leaseId, start)
    .first<StateRow>()
  if (!lease) {
    // Another worker is sending for this webhook; look again shortly in case it finished before our alert was stored.
    await wake(env, site.id, webhook.id, start + 5000, start, null)
    return
  }
  const state = { ...lease }
  let wakeAt: number | null = null
  try {
    // A message left "sending" by a worker that stopped mid-attempt is due again, under the same id.
    await db
      .prepare(`UPDATE webhook_messages SET status = 'retrying', next_attempt_at = ?3 WHERE site_id = ?1 AND webhook_id = ?2 AND status = 'sending'`)
      .bind(site.id, webhook.id, start)
      .run()
    let exhausted = true
    for (let sent = 0; sent < SENDS_PER_FLUSH && !state.paused_reason; sent++) {
      const prepaid = sent === 0
      if (!prepaid && !take(budget, CHECK_CALLS)) break
      const now = clock()
      const [attempts, block, due, waiting] = await db.batch([
        db.prepare('SELECT at FROM webhook_attempts WHERE robot = ? AND at > ?').bind(robot, now - 60_000),
        // A block the platform set for this robot, whichever webhook's attempt got it.
        db.prepare('SELECT MAX(blocked_until) AS until FROM webhook_attempts WHERE robot = ? AND blocked_until > ?').bind(robot, now),
        db
          .prepare(`SELECT id, attempts, test, digest, next_attempt_at, status FROM webhook_messages WHERE site_id = ? AND webhook_id = ? AND status = 'retrying' ORDER BY next_attempt_at, created_at LIMIT 1`)
          .bind(site.id, webhook.id),
        db.prepare('SELECT COUNT(*) AS n FROM alert_outbox WHERE site_id = ? AND webhook_id = ? AND message_id IS NULL').bind(site.id, webhook.id),
      ])
      state.blocked_until = Math.max(state.blocked_until, (block!.results as { until: number | null }[])[0]?.until ?? 0)
      const slot = Math.max(nextSlot(pace, (attempts!.results as { at: number }[]).map((row) => row.at), now), state.blocked_until)
      const retry = (due!.results as MessageRow[])[0]
      const waitingCount = (waiting!.results as { n: number }[])[0]?.n ?? 0
      const retryAt = retry ? Math.max(slot, retry.next_attempt_at ?? now) : null
      const freshAt = waitingCount > 0 ? Math.max(slot, state.last_message_at + pace.mergeWindowMs) : null
      const soonest = [retryAt, freshAt].filter((at): at is number => at !== null).sort((a, b) => a - b)[0]
      if (soonest === undefined || soonest > now) {
        exhausted = false
        if (soonest !== undefined) wakeAt = soonest
        break
      }
      if (!prepaid && !take(budget, SEND_CALLS)) break
      let messageId: string
      let attemptsSoFar = 0
      let test = false
      let digest = false
      if (retryAt !== null && retryAt <= now) {
        messageId = retry!.id
        attemptsSoFar = retry!.attempts
        test = retry!.test === 1
        digest = retry!.digest === 1
      } else {
        const opened = await openMessage(db, site.id, webhook.id, now, { one: pace.mergeWindowMs === 0 })
        if (!opened) continue
        messageId = opened
        state.last_message_at = now
      }
      // When another webhook on this robot took the slot first, nothing is sent; the next look finds when.
      await sendMessage(env, site, webhook, { robot, pace }, { id: messageId, attempts: attemptsSoFar, test, digest }, state, now, timeoutMs)
    }
    // Out of sends for this run with more maybe due: the next run picks up at once.
    if (exhausted && wakeAt === null && !state.paused_reason) wakeAt = clock()
  } finally {
    await db
      .prepare(
        `UPDATE webhook_state SET lease_until = 0, lease_id = NULL, blocked_until = ?4, last_message_at = ?5
         WHERE site_id = ?1 AND webhook_id = ?2 AND lease_id = ?3`,
      )
      .bind(site.id, webhook.id, leaseId, state.blocked_until, state.last_message_at)
      .run()
  }
  if (wakeAt !== null) await wake(env, site.id, webhook.id, wakeAt, clock(), state.wake_at)
}

/**
 * Claims the robot's next slot by recording the attempt, in one statement, so two workers (or two
 * webhooks on the same robot) never both take the last one: the insert happens only while every
 * window has room and no block holds. Returns the attempt's row, or null when refused.
 */
async function claimSlot(db: D1Database, robot: string, pace: Pace, messageId: string, siteId: string, now: number): Promise<number | null> {
  const row = await db
    .prepare(
      `INSERT INTO webhook_attempts (robot, at, message_id, site_id, outcome)
       SELECT ?1, ?2, ?3, ?4, 'sending'
       WHERE (SELECT COUNT(*) FROM webhook_attempts WHERE robot = ?1 AND at > ?2 - 60000) < ?5
         AND (SELECT COUNT(*) FROM webhook_attempts WHERE robot = ?1 AND at > ?2 - 1000) < ?6
         AND NOT EXISTS (SELECT 1 FROM webhook_attempts WHERE robot = ?1 AND blocked_until > ?2)
       RETURNING rowid AS attempt`,
    )
    .bind(robot, now, messageId, siteId, pace.perMinute ?? UNLIMITED, pace.perSecond ?? UNLIMITED)
    .first<{ attempt: number }>()
  return row?.attempt ?? null
}

/** One attempt at one message, once its robot has a slot, and its record: the message's new state, the attempt (for pacing and blocks), the webhook's state. */
async function sendMessage(
  env: Env,
  site: Site,
  webhook: Webhook,
  target: { robot: string; pace: Pace },
  message: { id: string; attempts: number; test: boolean; digest: boolean },
  state: StateRow,
  now: number,
  timeoutMs: number,
): Promise<void> {
  const db = env.DB
  const { id: messageId, attempts: attemptsSoFar, test } = message
  const items = test || message.digest ? [] : await messageItems(db, messageId, now)
  const dashboardUrl = env.PUBLIC_URL ? `${env.PUBLIC_URL.replace(/\/+$/, '')}/dashboard?site=${encodeURIComponent(site.id)}` : ''
  // A digest says what was computed when its period was claimed (digests.ts), the same on every attempt.
  const content = message.digest ? await digestContent(db, messageId, env.PUBLIC_URL) : test || items.length ? alertContent(site.id, { siteName: site.name, items, dashboardUrl, test, now, lang: webhookDigests(webhook, site.settings.digests).lang }) : null
  if (!content) {
    // Every answer it was about has been erased (or the digest forgotten with its webhook): there is nothing left to say.
    await db.batch([db.prepare('DELETE FROM alert_outbox WHERE message_id = ?').bind(messageId), db.prepare('DELETE FROM webhook_messages WHERE id = ?').bind(messageId)])
    return
  }
  const attemptRow = await claimSlot(db, target.robot, target.pace, messageId, site.id, now)
  if (attemptRow === null) return
  await db.prepare(`UPDATE webhook_messages SET status = 'sending', next_attempt_at = ? WHERE id = ?`).bind(now + LEASE_MS, messageId).run()
  const { verdict, status } = await attempt(env, site, webhook, content, messageId, now, timeoutMs)
  const attempts = attemptsSoFar + 1
  // A rate limit blocks the robot, for every webhook that posts to it.
  let blockedUntil: number | null = null
  let next: { status: 'delivered' | 'retrying' | 'failed'; at: number | null }
  switch (verdict.outcome) {
    case 'delivered':
      next = { status: 'delivered', at: null }
      break
    case 'retry': {
      if (verdict.rateLimited && verdict.afterMs) blockedUntil = now + verdict.afterMs
      const delay = RETRY_SCHEDULE_MS[attemptsSoFar]
      next = delay === undefined ? { status: 'failed', at: null } : { status: 'retrying', at: now + Math.max(delay + jitter(messageId, delay), verdict.afterMs ?? 0) }
      break
    }
    case 'rejected':
      next = { status: 'failed', at: null }
      break
    case 'config':
    case 'gone':
      // Held, not failed: it goes when the operator fixes the webhook or resumes it.
      state.paused_reason = verdict.message
      next = { status: 'retrying', at: now }
      break
  }
  if (blockedUntil !== null) state.blocked_until = Math.max(state.blocked_until, blockedUntil)
  await db.batch([
    db
      .prepare(`UPDATE webhook_messages SET status = ?2, attempts = ?3, next_attempt_at = ?4, last_attempt_at = ?5, last_status = ?6, last_error = ?7 WHERE id = ?1`)
      .bind(messageId, next.status, attempts, next.at, now, status, verdict.outcome === 'delivered' ? null : verdict.message),
    db.prepare('UPDATE webhook_attempts SET outcome = ?2, blocked_until = ?3 WHERE rowid = ?1').bind(attemptRow, verdict.outcome, blockedUntil),
    ...(state.paused_reason
      ? [db.prepare('UPDATE webhook_state SET paused_reason = ?3, paused_at = ?4 WHERE site_id = ?1 AND webhook_id = ?2').bind(site.id, webhook.id, state.paused_reason, now)]
      : []),
  ])
}

/** Queues a wake-up for `at`, unless one is queued for that time or earlier already. */
async function wake(env: Env, siteId: string, webhookId: string, at: number, now: number, queuedFor: number | null): Promise<void> {
  if (queuedFor !== null && queuedFor > now && queuedFor <= at) return
  const delaySeconds = Math.min(MAX_QUEUE_DELAY_S, Math.max(0, Math.ceil((at - now) / 1000)))
  try {
    await env.ALERTS.send({ kind: 'flush', site: siteId, webhook: webhookId } satisfies FlushMessage, { delaySeconds })
    await env.DB.prepare('UPDATE webhook_state SET wake_at = ? WHERE site_id = ? AND webhook_id = ?').bind(now + delaySeconds * 1000, siteId, webhookId).run()
  } catch (error) {
    // The cron's sweep sends what a lost wake-up would have.
    console.warn('queueing a wake-up failed', error instanceof Error ? error.message : error)
  }
}

/**
 * The cron's share: flushes the webhooks whose work is most overdue (a lost wake-up's), within
 * {@link SWEEP_CALLS}, and forgets old deliveries. Paused webhooks are left out (what they hold
 * waits for the operator, and must not take the slots of webhooks that can send), as are those
 * another worker is sending for or whose robot is blocked.
 */
export async function sweepDeliveries(env: Env, now: number, options: DeliveryOptions & { calls?: number } = {}): Promise<number> {
  const budget: CallBudget = { left: options.calls ?? SWEEP_CALLS }
  take(budget, 1 + PRUNE_CALLS)
  const { results } = await env.DB.prepare(
    `SELECT d.site_id, d.webhook_id, MIN(d.due_at) AS due_at FROM (
       SELECT site_id, webhook_id, MIN(queued_at) AS due_at FROM alert_outbox WHERE message_id IS NULL GROUP BY site_id, webhook_id
       UNION ALL
       SELECT site_id, webhook_id, MIN(next_attempt_at) FROM webhook_messages WHERE status IN ('retrying', 'sending') GROUP BY site_id, webhook_id) d
     LEFT JOIN webhook_state st ON st.site_id = d.site_id AND st.webhook_id = d.webhook_id
     WHERE st.paused_reason IS NULL AND COALESCE(st.lease_until, 0) <= ?1 AND COALESCE(st.blocked_until, 0) <= ?1
     GROUP BY d.site_id, d.webhook_id
     HAVING MIN(d.due_at) <= ?1
     ORDER BY due_at, d.site_id, d.webhook_id
     LIMIT ?2`,
  )
    .bind(now, SWEEP_WEBHOOKS)
    .all<{ site_id: string; webhook_id: string }>()
  const sites = new Map<string, Site | null>()
  const targets = new Map<string, { site: Site; webhook: Webhook }>()
  for (const row of results) {
    if (!sites.has(row.site_id)) {
      if (!take(budget, SITE_CALLS)) break
      sites.set(row.site_id, await findSite(env.DB, row.site_id))
    }
    const owner = sites.get(row.site_id)
    const webhook = owner?.settings.webhooks.find((candidate) => candidate.id === row.webhook_id)
    if (owner && webhook) targets.set(key(owner.id, webhook.id), { site: owner, webhook })
    else if (take(budget, FORGET_CALLS)) await forgetWebhookDeliveries(env.DB, row.site_id, row.webhook_id)
  }
  await flushAll(env, targets, { ...options, budget })
  await pruneDeliveries(env.DB, now)
  return targets.size
}

/** Drops everything on its way to a webhook that no longer exists. */
export async function forgetWebhookDeliveries(db: D1Database, siteId: string, webhookId: string): Promise<void> {
  await db.batch(
    ['alert_outbox', 'webhook_messages', 'webhook_state', 'digests'].map((table) => db.prepare(`DELETE FROM ${table} WHERE site_id = ? AND webhook_id = ?`).bind(siteId, webhookId)),
  )
}
