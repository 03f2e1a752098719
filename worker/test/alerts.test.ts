import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it, vi } from 'vitest'
import type { AlertMessage } from '../src/alerts.ts'
import worker from '../src/index.ts'
import { storeResponse } from '../src/ingest.ts'
import { remindOverdue } from '../src/reminders.ts'
import { findSite } from '../src/sites.ts'
import { findSurvey } from '../src/surveys.ts'
import { asOperator, freshSite, post } from './helpers.ts'
import { SECRETS } from './receiver-secrets.ts'

type Received = { path: string; headers: Record<string, string>; body: string; verified: boolean | null; status: number }

async function received(path: string): Promise<Received[]> {
  const all = await (await fetch(`${env.RECEIVER_URL}/_received`)).json<Received[]>()
  return all.filter((entry) => entry.path === path)
}

async function addWebhook(site: string, token: string, id: string, format: string, path: string, secret?: string, events?: string[]) {
  const reply = await asOperator(`/v1/sites/${site}/webhooks/${id}`, token, {
    method: 'PUT',
    body: JSON.stringify({ url: `${env.RECEIVER_URL}${path}`, format, secret, events }),
  })
  expect(reply.status).toBe(201)
}

/** Runs the queue consumer on one message, as the queue would on an attempt. */
async function deliver(message: AlertMessage, attempts = 1) {
  const batch = createMessageBatch<AlertMessage>('hearken-alerts', [{ id: `msg-${message.response}-${message.webhook}`, timestamp: new Date(), attempts, body: message }])
  const ctx = createExecutionContext()
  await worker.queue(batch, env)
  await waitOnExecutionContext(ctx)
  return getQueueResult(batch, ctx)
}

describe('alerts', () => {
  it('reach every format with a signature the receiver verifies on its own', async () => {
    const { site, token } = await freshSite()
    const unique = crypto.randomUUID().slice(0, 8)
    const formats = [
      ['json', `/json-${unique}`, SECRETS.json],
      ['slack', `/slack-${unique}`, undefined],
      ['wecom', `/wecom-${unique}`, undefined],
      ['dingtalk', `/dingtalk-${unique}`, SECRETS.dingtalk],
      ['feishu', `/feishu-${unique}`, SECRETS.feishu],
    ] as const
    for (const [format, path, secret] of formats) await addWebhook(site, token, format, format, path, secret)
    const answer = { id: crypto.randomUUID(), site, survey: 'nps', score: 2, visitor: 'alerted', elapsedMs: 3000, comment: 'Box <script>alert(1)</script> was crushed & wet' }
    expect((await post('/v1/responses', answer)).status).toBe(201)

    for (const [format, path] of formats) {
      await vi.waitFor(async () => expect(await received(path)).toHaveLength(1), { timeout: 10_000, interval: 200 })
      const [delivery] = await received(path)
      if (format === 'json' || format === 'dingtalk' || format === 'feishu') expect(delivery!.verified).toBe(true)
      const body = JSON.parse(delivery!.body)
      if (format === 'json') {
        expect(body).toMatchObject({ type: 'hearken.alert.negative', data: { site, response: { id: answer.id, score: 2, band: 'detractor', comment: answer.comment }, followUp: { status: 'open' } } })
        expect(delivery!.headers['webhook-id']).toBeTruthy()
      }
      if (format === 'slack') {
        expect(body.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; was crushed &amp; wet')
        expect(body.text).not.toContain('<script>')
      }
      if (format === 'wecom') expect(body).toMatchObject({ msgtype: 'text', text: { content: expect.stringContaining('NPS 2') } })
      if (format === 'dingtalk') expect(body.text.content).toContain('Unhappy answer')
      if (format === 'feishu') expect(body).toMatchObject({ msg_type: 'text', content: { text: expect.stringContaining('alerted') } })
    }
  })

  it('are not sent for happy or flagged answers', async () => {
    const { site, token } = await freshSite()
    const path = `/json-quiet-${crypto.randomUUID().slice(0, 8)}`
    await addWebhook(site, token, 'ops', 'json', path, SECRETS.json)
    await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'nps', score: 9, visitor: 'q1', elapsedMs: 3000 })
    await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'nps', score: 0, visitor: 'q2', elapsedMs: 3000 }, { 'user-agent': 'Googlebot/2.1' })
    const control = { id: crypto.randomUUID(), site, survey: 'nps', score: 1, visitor: 'q3', elapsedMs: 3000 }
    await post('/v1/responses', control)
    await vi.waitFor(async () => expect(await received(path)).toHaveLength(1), { timeout: 10_000, interval: 200 })
    expect(JSON.parse((await received(path))[0]!.body).data.response.id).toBe(control.id)
  })

  it('retry a receiver that fails twice, which then gets exactly one delivery', async () => {
    const { site, token } = await freshSite()
    const path = `/flaky/${crypto.randomUUID().slice(0, 8)}`
    await addWebhook(site, token, 'flaky', 'json', path, SECRETS.json, ['reminder'])
    const answer = { id: crypto.randomUUID(), site, survey: 'nps', score: 3, visitor: 'r1', elapsedMs: 3000 }
    await post('/v1/responses', answer)
    const message: AlertMessage = { kind: 'negative', site, response: answer.id, webhook: 'flaky' }
    const first = await deliver(message, 1)
    expect(first.retryMessages).toHaveLength(1)
    expect(first.explicitAcks).toHaveLength(0)
    expect((await deliver(message, 2)).retryMessages).toHaveLength(1)
    const third = await deliver(message, 3)
    expect(third.explicitAcks).toHaveLength(1)
    const attempts = await received(path)
    expect(attempts.map((attempt) => attempt.status)).toEqual([500, 500, 200])
    expect(attempts.filter((attempt) => attempt.status === 200)).toHaveLength(1)
    // The same message id on every attempt lets a receiver drop a redelivery.
    expect(new Set(attempts.map((attempt) => attempt.headers['webhook-id'])).size).toBe(1)
  })

  it('raise a high-risk alert for a second unhappy answer from the same person within 30 days', async () => {
    const { site, token } = await freshSite()
    const path = `/json-risk-${crypto.randomUUID().slice(0, 8)}`
    await addWebhook(site, token, 'risk', 'json', path, SECRETS.json, ['high_risk'])
    await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'nps', score: 2, visitor: 'device-a', elapsedMs: 3000, user: 'u-77' })
    await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'csat', score: 1, visitor: 'device-b', elapsedMs: 3000, user: 'u-77' })
    await vi.waitFor(async () => expect(await received(path)).toHaveLength(1), { timeout: 10_000, interval: 200 })
    expect(JSON.parse((await received(path))[0]!.body)).toMatchObject({ type: 'hearken.alert.high_risk', data: { response: { user: 'u-77' } } })
  })
})

describe('the reminder cron', () => {
  it('reminds exactly the overdue, unresolved follow-ups, once each', async () => {
    const { site, token } = await freshSite()
    const siteRow = (await findSite(env.DB, site))!
    const survey = (await findSurvey(env.DB, site, 'nps'))!
    const now = Date.now()
    const at = (hoursAgo: number, score: number) => {
      const id = crypto.randomUUID()
      return storeResponse(env.DB, siteRow, survey, { id, site, survey: 'nps', score, visitor: `c${id.slice(0, 6)}`, elapsedMs: 3000 }, {}, now - hoursAgo * 3600_000).then(() => id)
    }
    const overdue = await at(50, 2)
    const resolved = await at(60, 1)
    await at(10, 0)
    await at(70, 9)
    await asOperator(`/v1/sites/${site}/responses/${resolved}`, token, { method: 'PATCH', body: '{"status":"resolved"}' })

    await remindOverdue(env, now)
    const reminded = await env.DB.prepare('SELECT response_id FROM follow_ups WHERE site_id = ? AND reminded_at IS NOT NULL').bind(site).all<{ response_id: string }>()
    expect(reminded.results.map((row) => row.response_id)).toEqual([overdue])
    const again = await env.DB.prepare('SELECT COUNT(*) AS n FROM follow_ups WHERE site_id = ? AND reminded_at IS NOT NULL').bind(site).first<number>('n')
    await remindOverdue(env, now + 1000)
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM follow_ups WHERE site_id = ? AND reminded_at IS NOT NULL').bind(site).first<number>('n')).toBe(again)
  })

  it('runs from the scheduled handler', async () => {
    const { site } = await freshSite()
    const id = crypto.randomUUID()
    const siteRow = (await findSite(env.DB, site))!
    await storeResponse(env.DB, siteRow, (await findSurvey(env.DB, site, 'csat'))!, { id, site, survey: 'csat', score: 1, visitor: 'cron1', elapsedMs: 3000 }, {}, Date.now() - 49 * 3600_000)
    await worker.scheduled(createScheduledController({ cron: '*/10 * * * *' }), env)
    const row = await env.DB.prepare('SELECT reminded_at FROM follow_ups WHERE site_id = ? AND response_id = ?').bind(site, id).first<{ reminded_at: number | null }>()
    expect(row!.reminded_at).not.toBeNull()
  })
})
