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
 *
 * A run prepares at most {@link PER_RUN} digests. The ones it leaves, and any whose preparing
 * failed, it logs and records in `digest_backlog` (migration 0015): a recorded digest stays due
 * past its 24 hours until a run claims it, oldest first, so neither the ceiling nor a failure
 * skips a period; only a cron that was down for the whole window does.
 */

/** Digests (a site's period of one frequency) prepared per cron run, oldest due first; the rest are recorded for the next. */
const PER_RUN = 5
/** How long a digest row is kept: long past its period's window and its message's last retry. */
const KEEP_MS = 35 * 24 * 3600_000
/** How long a recorded digest stays due: less than {@link KEEP_MS}, so a claimed one is always found and never sent twice. */
const BACKLOG_MS = 30 * 24 * 3600_000
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

type BacklogRow = { site_id: string; webhook_id: string; frequency: DigestFrequency; period_from: string; period_to: string; due_at: number }

/**
 * Every digest due now on any site: those in their window, and those a run recorded for later
 * whose webhook still wants them. Sites are few beside answers: their rows are read whole.
 */
async function allDue(db: D1Database, now: number): Promise<DueDigest[]> {
  const [sites, backlog] = await db.batch<Record<string, unknown>>([
    db.prepare(`SELECT id, timezone, settings FROM sites WHERE settings LIKE '%"digests"%'`),
    db.prepare('SELECT site_id, webhook_id, frequency, period_from, period_to, due_at FROM digest_backlog WHERE due_at >= ? ORDER BY due_at').bind(now - BACKLOG_MS),
  ])
  const bySite = new Map(
    ((sites?.results ?? []) as SiteRow[]).map((row) => {
      const settings = JSON.parse(row.settings) as { webhooks?: Webhook[]; digests?: Partial<DigestSettings> }
      return [row.id, { id: row.id, timezone: row.timezone, webhooks: settings.webhooks ?? [], settings: { ...defaultDigestSettings, ...settings.digests } }]
    }),
  )
  const due = new Map<string, DueDigest>()
  const add = (digest: DueDigest) => {
    const id = JSON.stringify([digest.siteId, digest.frequency, digest.period.from])
    const known = due.get(id)
    if (!known) return void due.set(id, digest)
    for (const webhook of digest.webhooks) if (!known.webhooks.some((other) => other.id === webhook.id)) known.webhooks.push(webhook)
  }
  for (const site of bySite.values()) for (const digest of dueDigests(site, now)) add(digest)
  for (const row of (backlog?.results ?? []) as BacklogRow[]) {
    const site = bySite.get(row.site_id)
    const webhook = site?.webhooks.find((candidate) => candidate.id === row.webhook_id)
    // A webhook deleted or no longer wanting this frequency: its row is left to expire.
    if (!site || !webhook || !webhookDigests(webhook, site.settings).frequencies.includes(row.frequency)) continue
    add({ siteId: site.id, timezone: site.timezone, settings: site.settings, frequency: row.frequency, period: { from: row.period_from, to: row.period_to }, webhooks: [webhook], dueAt: Number(row.due_at) })
  }
  return [...due.values()]
}

/** Records digests for a later run (a digest recorded already keeps its first record). */
function recordForLater(db: D1Database, digests: DueDigest[], now: number): D1PreparedStatement[] {
  return digests.flatMap((digest) =>
    digest.webhooks.map((webhook) =>
      db
        .prepare(
          `INSERT INTO digest_backlog (site_id, webhook_id, frequency, period_from, period_to, due_at, deferred_at)
           VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        )
        .bind(digest.siteId, webhook.id, digest.frequency, digest.period.from, digest.period.to, digest.dueAt, now),
    ),
  )
}

/** Forgets the records of a digest's webhooks: in the batch that claims it, so a claimed digest is never recorded. */
function forgetRecorded(db: D1Database, digest: DueDigest, webhooks: Webhook[]): D1PreparedStatement[] {
  return webhooks.map((webhook) =>
    db.prepare('DELETE FROM digest_backlog WHERE site_id = ? AND webhook_id = ? AND frequency = ? AND period_from = ?').bind(digest.siteId, webhook.id, digest.frequency, digest.period.from),
  )
}

/**
 * Tidies the records: those a run side by side recorded after another claimed them go; those
 * past {@link BACKLOG_MS} (when the digest row that proves a send may be gone) go with a log line.
 */
async function tidyBacklog(db: D1Database, now: number): Promise<void> {
  const [, expired] = await db.batch<{ site_id: string; webhook_id: string; frequency: string; period_from: string }>([
    db.prepare(
      `DELETE FROM digest_backlog WHERE EXISTS (SELECT 1 FROM digests d WHERE d.site_id = digest_backlog.site_id AND d.webhook_id = digest_backlog.webhook_id
         AND d.frequency = digest_backlog.frequency AND d.period_from = digest_backlog.period_from)`,
    ),
    db.prepare('DELETE FROM digest_backlog WHERE due_at < ? RETURNING site_id, webhook_id, frequency, period_from').bind(now - BACKLOG_MS),
  ])
  for (const row of expired?.results ?? []) console.error(`digest dropped after 30 days unsent: site ${row.site_id}, webhook ${row.webhook_id}, ${row.frequency} from ${row.period_from}`)
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
    ]).concat(forgetRecorded(db, digest, webhooks)),
  )
  return messages.filter((_, index) => (results[index * 2]?.meta.changes ?? 0) === 1).map(({ webhook }) => webhook)
}

/**
 * The cron's share: prepares the digests due now (at most {@link PER_RUN}, oldest due first),
 * claims each once per webhook and sends it. Those left for later, and one that fails, are
 * logged and recorded, and a later run sends them; the others go on. Returns how many digests
 * (per webhook) this run claimed.
 */
export async function sendDueDigests(env: Env, now: number, options: DeliveryOptions & { perRun?: number } = {}): Promise<number> {
  const db = env.DB
  await db.prepare('DELETE FROM digests WHERE created_at < ?').bind(now - KEEP_MS).run()
  await tidyBacklog(db, now)
  const due = await allDue(db, now)
  const done = await claimed(db, due)
  const perRun = options.perRun ?? PER_RUN
  const pending = due
    .map((digest) => ({ ...digest, webhooks: digest.webhooks.filter((webhook) => !done.has(key(digest.siteId, webhook.id, digest.frequency, digest.period.from))) }))
    .filter((digest) => digest.webhooks.length > 0)
    .sort((a, b) => a.dueAt - b.dueAt || a.siteId.localeCompare(b.siteId) || a.frequency.localeCompare(b.frequency))
  const later = pending.slice(perRun)
  if (later.length) {
    await db.batch(recordForLater(db, later, now))
    console.warn(`${later.length} due digest(s) left for a later cron run (${perRun} a run), recorded in digest_backlog: ${later.map((digest) => `${digest.siteId} ${digest.frequency} ${digest.period.from}`).join(', ')}`)
  }
  let count = 0
  const results = await Promise.allSettled(
    pending.slice(0, perRun).map(async (digest) => {
      try {
        const site = await findSite(db, digest.siteId)
        if (!site) return
        const data = await computeDigestData(db, site, digest.settings, digest.frequency, digest.period, now)
        const won = await claimDigests(db, digest, data, digest.webhooks, now)
        count += won.length
        await flushAll(env, site, won, options)
      } catch (error) {
        await db.batch(recordForLater(db, [digest], now))
        throw error
      }
    }),
  )
  for (const result of results) if (result.status === 'rejected') console.error('a digest failed; recorded, a later run tries again', result.reason instanceof Error ? result.reason.message : result.reason)
  return count
}

/** Sends each claimed digest now, each webhook on its own (a failure there is the delivery machinery's to retry). */
async function flushAll(env: Env, site: Site, webhooks: Webhook[], options: DeliveryOptions): Promise<void> {
  const results = await Promise.allSettled(webhooks.map((webhook) => flushWebhook(env, site, webhook, options)))
  for (const result of results) if (result.status === 'rejected') console.error('sending a digest failed; the sweep retries it', result.reason instanceof Error ? result.reason.message : result.reason)
}
