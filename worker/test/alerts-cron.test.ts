import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { sweepDeliveries, SWEEP_CALLS } from '../src/alert-delivery.ts'
import { DELIVERY_KEEP_MS, pruneDeliveries } from '../src/delivery-pruning.ts'
import { findSite, saveSettings } from '../src/sites.ts'
import type { Webhook } from '../src/webhooks.ts'
import { alertHarness, countingEnv, pathFor, received, whsecSecret } from './alert-harness.ts'
import { freshSite } from './helpers.ts'

/**
 * The cron's share of deliveries: the sweep of what lost wake-ups left, within a budget of calls
 * per run, and the pruning of old deliveries. The sweep reads every site's rows, so each test
 * runs in an era of its own, earlier than the tests before it: no earlier test's row is due.
 */

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** Webhooks posting to the test receiver, stored as a PUT would (one receiver path each). */
async function webhooks(site: string, ids: string[]): Promise<Record<string, string>> {
  const paths = Object.fromEntries(ids.map((id) => [id, pathFor('json', id)]))
  const row = (await findSite(env.DB, site))!
  const added: Webhook[] = ids.map((id) => ({ id, url: `${env.RECEIVER_URL}${paths[id]}`, format: 'json', secret: whsecSecret() }))
  await saveSettings(env.DB, row, { ...row.settings, webhooks: [...row.settings.webhooks, ...added] })
  return paths
}

/** Test messages waiting for a retry since `dueAt` (their wake-ups lost). */
async function due(site: string, webhook: string, count: number, dueAt: number): Promise<void> {
  await env.DB.batch(
    Array.from({ length: count }, (_, n) =>
      env.DB.prepare(`INSERT INTO webhook_messages (id, site_id, webhook_id, alerts, test, status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, 0, 1, 'retrying', 0, ?, ?)`).bind(
        `msg_${site}-${webhook}-${n}`,
        site,
        webhook,
        dueAt,
        dueAt,
      ),
    ),
  )
}

const arrivals = async (paths: Record<string, string>): Promise<number> => (await Promise.all(Object.values(paths).map((path) => received(path)))).reduce((sum, got) => sum + got.length, 0)

describe('the cron’s sweep', () => {
  it('is not starved by paused webhooks: with 25 paused ones holding older work, a live webhook gets its delivery', async () => {
    const era = Date.UTC(2003, 0, 1)
    const { site } = await freshSite()
    const paused = Array.from({ length: 25 }, (_, n) => `a${String(n).padStart(2, '0')}`)
    const paths = await webhooks(site, [...paused, 'z-live'])
    for (const webhook of paused) {
      // Paused by a configuration error a day ago, holding a message and a waiting alert.
      await due(site, webhook, 1, era - DAY)
      await env.DB.batch([
        env.DB.prepare(`INSERT INTO alert_outbox (site_id, webhook_id, kind, response_id, event_at, queued_at) VALUES (?, ?, 'negative', ?, ?, ?)`).bind(site, webhook, `r-${webhook}`, era - DAY, era - DAY),
        env.DB.prepare(`INSERT INTO webhook_state (site_id, webhook_id, paused_reason, paused_at) VALUES (?, ?, 'Receiver answered HTTP 302, a redirect', ?)`).bind(site, webhook, era - DAY),
      ])
    }
    // The live webhook's message was due a minute ago; its wake-up was lost.
    await due(site, 'z-live', 1, era - MINUTE)
    const h = alertHarness(era)
    expect(await sweepDeliveries(h.env, era, h.options)).toBe(1)
    const got = await received(paths['z-live']!)
    expect(got.map((entry) => entry.status)).toEqual([204])
    for (const webhook of paused) expect(await received(paths[webhook]!), webhook).toEqual([])
  })

  it('stays within its budget of calls each run and delivers a backlog beyond it over the next runs, each message once', async () => {
    const era = Date.UTC(2002, 0, 1)
    const h = alertHarness(era)
    const paths: Record<string, string> = {}
    const expected = new Map<string, number>()
    // 3 sites × 10 webhooks × 3 messages due: far more than one run may spend.
    for (let s = 0; s < 3; s++) {
      const { site } = await freshSite()
      const ids = Array.from({ length: 10 }, (_, n) => `hook${n}`)
      const added = await webhooks(site, ids)
      for (const id of ids) {
        await due(site, id, 3, era - HOUR + s * MINUTE)
        paths[`${site}/${id}`] = added[id]!
        expected.set(added[id]!, 3)
      }
    }
    const spent: number[] = []
    let delivered = 0
    for (let run = 0; run < 40 && delivered < 90; run++) {
      const now = era + run * 10 * MINUTE
      h.set(now)
      const { env: counting, counted } = countingEnv(h.env)
      await sweepDeliveries(counting, now, h.options)
      const total = await arrivals(paths)
      // Every D1 statement, every post and every queue message of the run, counted here.
      spent.push(counted.statements + counted.queued + (total - delivered))
      delivered = total
    }
    expect(delivered).toBe(90)
    expect(spent.length).toBeGreaterThan(1)
    for (const [run, calls] of spent.entries()) expect(calls, `run ${run}`).toBeLessThanOrEqual(SWEEP_CALLS)
    // Each message exactly once, and each webhook got its three.
    for (const [path, count] of expected) {
      const got = await received(path)
      expect(got.map((entry) => entry.status), path).toEqual(Array(count).fill(204))
      expect(new Set(got.map((entry) => entry.headers['webhook-id'])).size, path).toBe(count)
    }
    console.info(`sweep backlog of 90 messages on 30 webhooks: ${spent.length} runs, calls per run ${spent.join(', ')} (budget ${SWEEP_CALLS})`)
  }, 120_000)
})

describe('pruning old deliveries', () => {
  it('forgets messages that ended more than 30 days ago with their alerts, keeps the rest and each webhook’s last delivery, a bounded amount a run', async () => {
    const now = Date.UTC(2001, 0, 1)
    const { site } = await freshSite()
    const old = now - DELIVERY_KEEP_MS - HOUR
    const recent = now - DELIVERY_KEEP_MS + HOUR
    const rows: [id: string, webhook: string, status: string, at: number, alerts: number][] = [
      ['old-delivered', 'a', 'delivered', old, 2],
      ['old-delivered-2', 'a', 'delivered', old + 1, 1],
      ['last-delivered', 'a', 'delivered', old + 2, 1],
      ['old-failed', 'a', 'failed', old, 3],
      ['recent-delivered', 'b', 'delivered', recent, 1],
      ['recent-failed', 'b', 'failed', recent - MINUTE, 1],
      ['old-retrying', 'a', 'retrying', old - 10 * DAY, 1],
      // The only delivery b ever had before the recent one is old: it goes; b's last is the recent one.
      ['b-old-delivered', 'b', 'delivered', old - DAY, 1],
    ]
    for (const [id, webhook, status, at, alerts] of rows) {
      await env.DB.prepare(
        `INSERT INTO webhook_messages (id, site_id, webhook_id, alerts, status, attempts, next_attempt_at, last_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)`,
      )
        .bind(`${site}-${id}`, site, webhook, alerts, status, status === 'retrying' ? now : null, at, at - MINUTE)
        .run()
      for (let n = 0; n < alerts; n++) {
        await env.DB.prepare(`INSERT INTO alert_outbox (site_id, webhook_id, kind, response_id, event_at, queued_at, message_id) VALUES (?, ?, 'negative', ?, ?, ?, ?)`)
          .bind(site, webhook, `${id}-${n}`, at - HOUR, at - HOUR, `${site}-${id}`)
          .run()
      }
    }
    await env.DB.batch(
      [now - 2 * DAY, now - DAY - 1, now - DAY + 1, now - MINUTE].map((at) =>
        env.DB.prepare(`INSERT INTO webhook_attempts (robot, at, message_id, site_id, outcome) VALUES ('robot-prune', ?, 'm', ?, 'delivered')`).bind(at, site),
      ),
    )
    // At most 4 rows a run (a message counts as one plus its alerts): the oldest first, over several runs.
    const runs = []
    for (let run = 0; run < 10; run++) {
      const pruned = await pruneDeliveries(env.DB, now, { messageRows: 4, attempts: 1 })
      runs.push(pruned)
      if (pruned.messages === 0 && pruned.attempts === 0) break
    }
    for (const run of runs) expect(run.attempts).toBeLessThanOrEqual(1)
    for (const run of runs) expect(run.messages + run.alerts).toBeLessThanOrEqual(4)
    expect(runs.length).toBeGreaterThan(2)
    const { results: messages } = await env.DB.prepare('SELECT id FROM webhook_messages WHERE site_id = ? ORDER BY id').bind(site).all<{ id: string }>()
    expect(messages.map((row) => row.id.slice(site.length + 1))).toEqual(['last-delivered', 'old-retrying', 'recent-delivered', 'recent-failed'])
    const { results: alerts } = await env.DB.prepare('SELECT response_id FROM alert_outbox WHERE site_id = ? ORDER BY response_id').bind(site).all<{ response_id: string }>()
    expect(alerts.map((row) => row.response_id)).toEqual(['last-delivered-0', 'old-retrying-0', 'recent-delivered-0', 'recent-failed-0'])
    const { results: attempts } = await env.DB.prepare(`SELECT at FROM webhook_attempts WHERE robot = 'robot-prune' ORDER BY at`).all<{ at: number }>()
    expect(attempts.map((row) => row.at)).toEqual([now - DAY + 1, now - MINUTE])
  })

  it('runs in the cron’s sweep', async () => {
    const now = Date.UTC(2000, 6, 1)
    const { site } = await freshSite()
    const at = now - DELIVERY_KEEP_MS - DAY
    await env.DB.batch(
      ['x', 'y'].map((id, n) =>
        env.DB.prepare(`INSERT INTO webhook_messages (id, site_id, webhook_id, alerts, status, attempts, last_attempt_at, created_at) VALUES (?, ?, 'ops', 0, 'delivered', 1, ?, ?)`).bind(`${site}-${id}`, site, at + n, at),
      ),
    )
    const h = alertHarness(now)
    await sweepDeliveries(h.env, now, h.options)
    const { results } = await env.DB.prepare('SELECT id FROM webhook_messages WHERE site_id = ?').bind(site).all<{ id: string }>()
    expect(results.map((row) => row.id)).toEqual([`${site}-y`])
  })
})
