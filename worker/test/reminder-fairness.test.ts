import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { AlertMessage } from '../src/alert-delivery.ts'
import { remindOverdue } from '../src/reminders.ts'
import { alertHarness, putWebhook } from './alert-harness.ts'
import { freshSite } from './helpers.ts'

const HOUR = 3600_000

/** Overdue follow-ups straight into D1, in an era of this file's own (1999), so no other test's rows are due. */
async function overdue(site: string, count: number, firstDue: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, n) => `${site}-${String(n).padStart(4, '0')}`)
  await env.DB.batch(
    ids.map((id, n) =>
      env.DB.prepare(`INSERT INTO follow_ups (site_id, response_id, survey_id, due_at, created_at, updated_at) VALUES (?, ?, 'nps', ?, ?, ?)`).bind(site, id, firstDue + n * 1000, firstDue - 48 * HOUR, firstDue - 48 * HOUR),
    ),
  )
  return ids
}

async function withReminderWebhook() {
  const { site, token } = await freshSite()
  await putWebhook(site, token, 'ops', { url: 'https://hooks.example.com/ops', format: 'json', events: ['reminder'] })
  return site
}

describe('the reminder cron in batches', () => {
  it('is fair across sites and oldest first: a big backlog never holds back a small site', async () => {
    const now = Date.UTC(1999, 5, 1)
    const big = await withReminderWebhook()
    const small = await withReminderWebhook()
    const backlog = await overdue(big, 450, now - 40 * HOUR)
    const few = await overdue(small, 2, now - 10 * HOUR)
    const h = alertHarness(now)
    // One run handles four rounds of 100: the small site's two are in the first.
    expect(await remindOverdue(h.env, now)).toBe(400)
    const order = h.queued.map(({ body }) => (body as AlertMessage).response)
    expect(order.slice(0, 100)).toEqual(expect.arrayContaining(few))
    // The big site's come oldest due first.
    const bigOrder = order.filter((id) => id.startsWith(big))
    expect(bigOrder).toEqual(backlog.slice(0, 398))
    // The next run takes the rest, and nobody is reminded twice.
    expect(await remindOverdue(h.env, now + 600_000)).toBe(52)
    const all = h.queued.map(({ body }) => (body as AlertMessage).response)
    expect(new Set(all).size).toBe(452)
    expect(all).toHaveLength(452)
    expect(await remindOverdue(h.env, now + 1_200_000)).toBe(0)
  })

  it('sends, then marks: when the queue refuses, nothing is marked and the next run sends them', async () => {
    const now = Date.UTC(1999, 8, 1)
    const site = await withReminderWebhook()
    const ids = await overdue(site, 3, now - 5 * HOUR)
    const h = alertHarness(now)
    const refusing = { ...h.env, ALERTS: { ...h.env.ALERTS, sendBatch: async () => Promise.reject(new Error('queue unavailable')) } }
    await expect(remindOverdue(refusing, now)).rejects.toThrow('queue unavailable')
    const marked = await env.DB.prepare('SELECT COUNT(*) AS n FROM follow_ups WHERE site_id = ? AND reminded_at IS NOT NULL').bind(site).first<number>('n')
    expect(marked).toBe(0)
    expect(await remindOverdue(h.env, now + 600_000)).toBe(3)
    expect(h.queued.map(({ body }) => (body as AlertMessage).response).sort()).toEqual(ids)
  })
})
