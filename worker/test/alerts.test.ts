import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { AlertMessage } from '../src/alerts.ts'
import worker from '../src/index.ts'
import { asOperator, freshSite, postWith, recordingQueue } from './helpers.ts'
import { SECRETS } from './receiver-secrets.ts'

type Received = { path: string; headers: Record<string, string>; body: string; verified: boolean | null; status: number }

/**
 * Alerts are tested in two steps, neither of which waits on a timer: what ingest puts on the
 * queue (a recording queue takes the place of ALERTS), then what the consumer delivers when
 * the test hands it those messages and awaits it.
 */

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

/** Runs the queue consumer on these messages, as one attempt of the queue would, and waits for it. */
async function deliver(messages: AlertMessage[], attempts = 1) {
  const batch = createMessageBatch<AlertMessage>(
    'hearken-alerts',
    messages.map((body) => ({ id: `msg-${body.response}-${body.webhook}-${body.kind}`, timestamp: new Date(), attempts, body })),
  )
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
    const answer = { id: crypto.randomUUID(), site, survey: 'nps', score: 2, visitor: 'alerted', comment: 'Box <script>alert(1)</script> was crushed & wet' }
    const ALERTS = recordingQueue<AlertMessage>()
    expect((await postWith({ ALERTS }, '/v1/responses', answer)).status).toBe(201)
    expect(ALERTS.sent.map(({ body }) => body.webhook).sort()).toEqual(formats.map(([format]) => format).sort())
    expect(ALERTS.sent.every(({ body }) => body.kind === 'negative' && body.response === answer.id && body.site === site)).toBe(true)

    const result = await deliver(ALERTS.sent.map(({ body }) => body))
    expect(result.explicitAcks).toHaveLength(formats.length)
    for (const [format, path] of formats) {
      const deliveries = await received(path)
      expect(deliveries, format).toHaveLength(1)
      const [delivery] = deliveries
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

  it('are queued for unhappy answers only: never for happy or flagged ones', async () => {
    const { site, token } = await freshSite()
    await addWebhook(site, token, 'ops', 'json', `/json-quiet-${crypto.randomUUID().slice(0, 8)}`, SECRETS.json)
    const ALERTS = recordingQueue<AlertMessage>()
    await postWith({ ALERTS }, '/v1/responses', { id: crypto.randomUUID(), site, survey: 'nps', score: 9, visitor: 'q1' })
    await postWith({ ALERTS }, '/v1/responses', { id: crypto.randomUUID(), site, survey: 'nps', score: 0, visitor: 'q2' }, { 'user-agent': 'Googlebot/2.1' })
    const control = { id: crypto.randomUUID(), site, survey: 'nps', score: 1, visitor: 'q3' }
    await postWith({ ALERTS }, '/v1/responses', control)
    // The delay lets the follow-up comment arrive first; the test worker sets it to 0.
    expect(ALERTS.sent).toEqual([{ body: { kind: 'negative', site, response: control.id, webhook: 'ops' }, delaySeconds: 0 }])
  })

  it('retry a receiver that fails twice, which then gets exactly one delivery', async () => {
    const { site, token } = await freshSite()
    const path = `/flaky/${crypto.randomUUID().slice(0, 8)}`
    await addWebhook(site, token, 'flaky', 'json', path, SECRETS.json, ['reminder'])
    const answer = { id: crypto.randomUUID(), site, survey: 'nps', score: 3, visitor: 'r1' }
    await postWith({ ALERTS: recordingQueue() }, '/v1/responses', answer)
    const message: AlertMessage = { kind: 'negative', site, response: answer.id, webhook: 'flaky' }
    const first = await deliver([message], 1)
    expect(first.retryMessages).toHaveLength(1)
    expect(first.explicitAcks).toHaveLength(0)
    expect((await deliver([message], 2)).retryMessages).toHaveLength(1)
    const third = await deliver([message], 3)
    expect(third.explicitAcks).toHaveLength(1)
    const attempts = await received(path)
    expect(attempts.map((attempt) => attempt.status)).toEqual([500, 500, 200])
    // The same message id on every attempt lets a receiver drop a redelivery.
    expect(new Set(attempts.map((attempt) => attempt.headers['webhook-id'])).size).toBe(1)
  })

  it('raise a high-risk alert for a second unhappy answer from the same person within 30 days', async () => {
    const { site, token } = await freshSite()
    const path = `/json-risk-${crypto.randomUUID().slice(0, 8)}`
    await addWebhook(site, token, 'risk', 'json', path, SECRETS.json, ['high_risk'])
    const ALERTS = recordingQueue<AlertMessage>()
    const first = { id: crypto.randomUUID(), site, survey: 'nps', score: 2, visitor: 'device-a', user: 'u-77' }
    const second = { id: crypto.randomUUID(), site, survey: 'csat', score: 1, visitor: 'device-b', user: 'u-77' }
    await postWith({ ALERTS }, '/v1/responses', first)
    expect(ALERTS.sent).toEqual([])
    await postWith({ ALERTS }, '/v1/responses', second)
    expect(ALERTS.sent.map(({ body }) => body)).toEqual([{ kind: 'high_risk', site, response: second.id, webhook: 'risk' }])

    await deliver(ALERTS.sent.map(({ body }) => body))
    const deliveries = await received(path)
    expect(deliveries).toHaveLength(1)
    expect(JSON.parse(deliveries[0]!.body)).toMatchObject({ type: 'hearken.alert.high_risk', data: { response: { id: second.id, user: 'u-77' } } })
  })
})
