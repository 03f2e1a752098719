import { flushWebhook, type DeliveryOptions } from './alert-delivery.ts'
import { toBase64url } from './crypto.ts'
import { addDays, timeIn } from './dates.ts'
import { computeDigestData, type DigestData } from './digests-data.ts'
import { defaultDigestSettings, webhookDigests, type DigestSettings } from './digests-settings.ts'
import { FREQUENCIES, instantAt, periodOf, previousPeriod, type DigestFrequency } from './report-period.ts'
import { findSite, type Site } from './sites.ts'
import type { Period } from './stats.ts'
import type { Webhook } from './webhooks.ts'

/**
 * Digests, sent by the cron: for each site, frequency (daily, weekly, monthly) and webhook that
 * wants it, the period that ended last (in the site's timezone) once its hour has come
 * (`settings.digests.hour`, 08:00 by default) and for 24 hours after; a cron that was down
 * longer skips that period rather than send a stale one.
 *
 * Exactly once per period. The figures are computed first (reads only); then one D1 batch (one
 * transaction) inserts the digest row, keyed by site, webhook, frequency and period, and the
 * message that carries it, the message only if that very row was inserted. A second cron run, or
 * one running side by side, finds the row and sends nothing; a run that stops before the batch
 * left nothing behind, and the next run does it all; one that stops after it left a message due
 * now, which the delivery machinery (alert-delivery.ts) sends like any alert: one sender per
 * webhook at a time, paced, its reply read per platform, retried under the same message id.
 */

/** Digests (a site's period of one frequency) prepared per cron run, oldest due first; the rest wait 10 minutes for the next. */
const PER_RUN = 5
/** How long a digest row is kept: long past its period's window and its message's last retry. */
const KEEP_MS = 35 * 24 * 3600_000
/** How long after its hour a period's digest may still go. */
const WINDOW_DAYS = 1

type SiteRow = { id: string; timezone: string; settings: string }

/** One site's period of one frequency, due now, and the webhooks that want it. */
export interface DueDigest {
  siteId: string
  timezone: string
  settings: DigestSettings
  frequency: DigestFrequency
  period: Period
  webhooks: Webhook[]
  /** When its hour came. */
  dueAt: number
}

const hourText = (hour: number): string => `${String(hour).padStart(2, '0')}:00`

/** The periods of a site whose digest is due at `now`, with the webhooks that want each. */
export function dueDigests(site: { id: string; timezone: string; webhooks: Webhook[]; settings: DigestSettings }, now: number): DueDigest[] {
  const local = timeIn(site.timezone, now)
  const today = local.slice(0, 10)
  const due: DueDigest[] = []
  for (const frequency of FREQUENCIES) {
    const webhooks = site.webhooks.filter((webhook) => webhookDigests(webhook, site.settings).frequencies.includes(frequency))
    if (webhooks.length === 0) continue
    const period = previousPeriod(frequency, periodOf(frequency, today))
    const first = addDays(period.to, 1)
    // Wall-clock strings of one zone compare as times do.
    if (local < `${first} ${hourText(site.settings.hour)}` || local >= `${addDays(first, WINDOW_DAYS)} ${hourText(site.settings.hour)}`) continue
    due.push({ siteId: site.id, timezone: site.timezone, settings: site.settings, frequency, period, webhooks, dueAt: instantAt(site.timezone, first, site.settings.hour) })
  }
  return due
}

/** Every digest due now on any site. Sites are few beside answers: their rows are read whole. */
async function allDue(db: D1Database, now: number): Promise<DueDigest[]> {
  const { results } = await db.prepare(`SELECT id, timezone, settings FROM sites WHERE settings LIKE '%"digests"%'`).all<SiteRow>()
  return results.flatMap((row) => {
    const settings = JSON.parse(row.settings) as { webhooks?: Webhook[]; digests?: Partial<DigestSettings> }
    return dueDigests({ id: row.id, timezone: row.timezone, webhooks: settings.webhooks ?? [], settings: { ...defaultDigestSettings, ...settings.digests } }, now)
  })
}

const key = (siteId: string, webhookId: string, frequency: string, from: string) => JSON.stringify([siteId, webhookId, frequency, from])

/** The digests among `due` already claimed, as keys. */
async function claimed(db: D1Database, due: DueDigest[]): Promise<Set<string>> {
  const wanted = due.flatMap((digest) => digest.webhooks.map((webhook) => [digest.siteId, webhook.id, digest.frequency, digest.period.from]))
  if (wanted.length === 0) return new Set()
  const { results } = await db
    .prepare(
      `SELECT site_id, webhook_id, frequency, period_from FROM digests WHERE (site_id, webhook_id, frequency, period_from) IN
         (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]') FROM json_each(?))`,
    )
    .bind(JSON.stringify(wanted))
    .all<{ site_id: string; webhook_id: string; frequency: string; period_from: string }>()
  return new Set(results.map((row) => key(row.site_id, row.webhook_id, row.frequency, row.period_from)))
}

const newMessageId = (): string => `msg_${toBase64url(crypto.getRandomValues(new Uint8Array(16)))}`

/**
 * Claims a digest for each webhook, with the message that carries it, in one batch: a webhook
 * whose row exists already gets nothing. Returns the webhooks whose digest this call claimed.
 */
export async function claimDigests(db: D1Database, digest: DueDigest, data: DigestData, webhooks: Webhook[], now: number): Promise<Webhook[]> {
  const messages = webhooks.map((webhook) => ({ webhook, id: newMessageId(), lang: webhookDigests(webhook, digest.settings).lang }))
  const json = JSON.stringify(data)
  const results = await db.batch(
    messages.flatMap(({ webhook, id, lang }) => [
      db
        .prepare(
          `INSERT INTO digests (site_id, webhook_id, frequency, period_from, period_to, lang, message_id, data, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        )
        .bind(digest.siteId, webhook.id, digest.frequency, digest.period.from, digest.period.to, lang, id, json, now),
      db
        .prepare(
          `INSERT INTO webhook_messages (id, site_id, webhook_id, alerts, digest, status, attempts, next_attempt_at, created_at)
           SELECT message_id, site_id, webhook_id, 0, 1, 'retrying', 0, ?2, ?2 FROM digests WHERE message_id = ?1`,
        )
        .bind(id, now),
    ]),
  )
  return messages.filter((_, index) => (results[index * 2]?.meta.changes ?? 0) === 1).map(({ webhook }) => webhook)
}

/**
 * The cron's share: prepares the digests due now (at most {@link PER_RUN}, oldest due first),
 * claims each once per webhook and sends it. One digest that fails is logged and tried again at
 * the next run; the others go on. Returns how many digests (per webhook) this run claimed.
 */
export async function sendDueDigests(env: Env, now: number, options: DeliveryOptions & { perRun?: number } = {}): Promise<number> {
  const db = env.DB
  await db.prepare('DELETE FROM digests WHERE created_at < ?').bind(now - KEEP_MS).run()
  const due = await allDue(db, now)
  const done = await claimed(db, due)
  const pending = due
    .map((digest) => ({ ...digest, webhooks: digest.webhooks.filter((webhook) => !done.has(key(digest.siteId, webhook.id, digest.frequency, digest.period.from))) }))
    .filter((digest) => digest.webhooks.length > 0)
    .sort((a, b) => a.dueAt - b.dueAt || a.siteId.localeCompare(b.siteId))
    .slice(0, options.perRun ?? PER_RUN)
  let count = 0
  const results = await Promise.allSettled(
    pending.map(async (digest) => {
      const site = await findSite(db, digest.siteId)
      if (!site) return
      const data = await computeDigestData(db, site, digest.settings, digest.frequency, digest.period, now)
      const won = await claimDigests(db, digest, data, digest.webhooks, now)
      count += won.length
      await flushAll(env, site, won, options)
    }),
  )
  for (const result of results) if (result.status === 'rejected') console.error('a digest failed; the next run tries again', result.reason instanceof Error ? result.reason.message : result.reason)
  return count
}

/** Sends each claimed digest now, each webhook on its own (a failure there is the delivery machinery's to retry). */
async function flushAll(env: Env, site: Site, webhooks: Webhook[], options: DeliveryOptions): Promise<void> {
  const results = await Promise.allSettled(webhooks.map((webhook) => flushWebhook(env, site, webhook, options)))
  for (const result of results) if (result.status === 'rejected') console.error('sending a digest failed; the sweep retries it', result.reason instanceof Error ? result.reason.message : result.reason)
}
