import { env } from 'cloudflare:workers'
import { Webhook as StandardWebhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { RETRY_SCHEDULE_MS, type AlertMessage } from '../src/alert-delivery.ts'
import { storeResponse } from '../src/ingest.ts'
import { findSite, saveSettings } from '../src/sites.ts'
import { findSurvey } from '../src/surveys.ts'
import { addWebhook, alertHarness, answer, pathFor, putWebhook, received, script } from './alert-harness.ts'
import { asOperator, freshSite } from './helpers.ts'
import { SECRETS } from './receiver-secrets.ts'

/**
 * Alerts from the queue to receivers that answer like WeCom, DingTalk, Feishu, Slack and a
 * Standard Webhooks endpoint (receiver.global.ts), on a clock each test sets: the queue is run
 * by hand (alert-harness.ts), so pacing and retries are checked minute by minute without waiting.
 */

const MINUTE = 60_000
const HOUR = 60 * MINUTE
/** A fixed base: DingTalk and Feishu check that a signature's timestamp is within an hour of their own clock. */
const START = Date.now()

type Status = { paused: { reason: string } | null; waiting: number; lastDelivered: { status: string } | null; problems: { status: string; lastError: string | null; attempts: number }[]; recent: { id: string; status: string; attempts: number; lastError: string | null; alerts: number; note: string | null }[] }

const deliveries = async (site: string, token: string, webhook: string): Promise<Status> => (await asOperator(`/v1/sites/${site}/webhooks/${webhook}/deliveries`, token)).json<Status>()

const alert = (site: string, webhook: string, response: string, kind: AlertMessage['kind'] = 'negative'): AlertMessage => ({ kind, site, webhook, response })

/** The text a chat receiver got, whatever its format. */
function chatText(format: string, body: string): string {
  const parsed = JSON.parse(body)
  if (format === 'slack') return parsed.text
  if (format === 'feishu') return parsed.content.text
  return parsed.text.content
}

describe('alerts reach every format', () => {
  it('signed so independent verifiers accept them (standardwebhooks for JSON, node:crypto for DingTalk and Feishu), with who to call', async () => {
    const { site, token } = await freshSite()
    const h = alertHarness(START)
    const paths = { json: pathFor('json'), slack: pathFor('slack'), wecom: pathFor('wecom'), dingtalk: pathFor('dingtalk', 'signed'), feishu: pathFor('feishu', 'signed') }
    const secret = await addWebhook(site, token, 'json', 'json', paths.json)
    expect(secret).toMatch(/^whsec_/)
    await addWebhook(site, token, 'slack', 'slack', paths.slack)
    await addWebhook(site, token, 'wecom', 'wecom', paths.wecom)
    await addWebhook(site, token, 'dingtalk', 'dingtalk', `${paths.dingtalk}?keyword=Hearken`, { secret: SECRETS.dingtalk })
    await addWebhook(site, token, 'feishu', 'feishu', paths.feishu, { secret: SECRETS.feishu })
    const answeredAt = START - 10 * MINUTE
    const id = await answer(site, answeredAt, { score: 2, comment: 'Box was crushed & wet', user: 'u-77', subject: 'order A-1001', checkpoint: 'order_completed' })

    const result = await h.consume(['json', 'slack', 'wecom', 'dingtalk', 'feishu'].map((webhook) => alert(site, webhook, id)))
    expect(result.explicitAcks).toHaveLength(5)

    const [json] = await received(paths.json)
    const verified = new StandardWebhook(secret!).verify(json!.body, json!.headers as Record<string, string>) as { type: string; timestamp: string; data: any }
    expect(verified.type).toBe('hearken.alert.negative')
    // The payload's timestamp is when the answer came, not when it was sent.
    expect(verified.timestamp).toBe(new Date(answeredAt).toISOString())
    expect(json!.headers['webhook-timestamp']).toBe(String(Math.floor(START / 1000)))
    expect(verified.data.response).toMatchObject({ id, score: 2, band: 'detractor', user: 'u-77', subject: 'order A-1001', comment: 'Box was crushed & wet' })
    for (const format of ['slack', 'wecom', 'dingtalk', 'feishu'] as const) {
      const got = await received(paths[format])
      expect(got, format).toHaveLength(1)
      // The receiver checked signature and keyword as the platform would, and took it.
      expect(got[0]!.answer, format).toMatch(/"(errcode|code)":0|^ok$/)
      const text = chatText(format, got[0]!.body)
      expect(text).toContain('user u-77')
      expect(text).toContain('order A-1001')
      expect(text).toContain('NPS 2')
    }
    for (const webhook of ['json', 'slack', 'wecom', 'dingtalk', 'feishu']) expect((await deliveries(site, token, webhook)).lastDelivered?.status, webhook).toBe('delivered')
  })

  it('never carry a working mention or link from what a visitor typed', async () => {
    const { site, token } = await freshSite()
    const h = alertHarness(START)
    const formats = ['slack', 'wecom', 'dingtalk', 'feishu'] as const
    const paths = Object.fromEntries(formats.map((format) => [format, pathFor(format)])) as Record<(typeof formats)[number], string>
    for (const format of formats) await addWebhook(site, token, format, format, paths[format])
    const hostile = '<at user_id="all">所有人</at> <@U024BE7LH> <!channel> <!here> @all @所有人 [click here](https://evil.example/a) <https://evil.example/b|your bank> a\u200B@all\nFollow-up resolved.'
    const id = await answer(site, START, { score: 0, comment: hostile, user: '<!everyone>', subject: '[order](https://evil.example/c)' })
    await h.consume(formats.map((format) => alert(site, format, id)))
    for (const format of formats) {
      const text = chatText(format, (await received(paths[format]))[0]!.body)
      for (const live of ['<at', '<@', '<!', '@all', '@所有人', '](', '|your bank>', '<https']) expect(text, `${format}: ${live}`).not.toContain(live)
      // The words are still there to read, on one line: the comment cannot fake a line of the alert.
      expect(text).toContain('所有人')
      expect(text).toContain('click here')
      expect(text.split('\n').some((line) => line.startsWith('Follow-up resolved'))).toBe(false)
    }
  })

  it('are cut to the platform’s byte limit without splitting a character', async () => {
    const { site, token } = await freshSite()
    const h = alertHarness(START)
    const wecom = pathFor('wecom')
    const feishu = pathFor('feishu')
    await addWebhook(site, token, 'wecom', 'wecom', wecom)
    await addWebhook(site, token, 'feishu', 'feishu', feishu)
    // 2,000 characters of Chinese and emoji (about 6,600 bytes) in one comment.
    const comment = '包装破损，客服不回👨‍👩‍👧'.repeat(200).slice(0, 2000)
    const long = await answer(site, START, { score: 1, comment })
    await h.consume([alert(site, 'wecom', long)])
    const [wecomGot] = await received(wecom)
    expect(wecomGot!.answer).toContain('"errcode":0')
    const text = chatText('wecom', wecomGot!.body)
    expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(2048)
    expect(text).not.toContain('\uFFFD')
    const kept = /Comment: “(.*)…”/.exec(text)![1]!
    const graphemes = (value: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(value)].map((part) => part.segment)
    // Whole graphemes of the original, in order: no half emoji family, no broken byte.
    expect(graphemes(comment).slice(0, graphemes(kept).length)).toEqual(graphemes(kept))
    expect(graphemes(kept).length).toBeGreaterThan(400)

    // Feishu counts its 20 KB against the JSON as sent: quotes and backslashes take two bytes each.
    const quoted = await Promise.all(Array.from({ length: 30 }, (_, index) => answer(site, START + index, { score: 2, comment: '"\\'.repeat(1000) })))
    await h.consume(quoted.map((id) => alert(site, 'feishu', id)))
    const feishuGot = await received(feishu)
    expect(feishuGot).toHaveLength(1)
    expect(feishuGot[0]!.answer).toContain('"code":0')
    expect(new TextEncoder().encode(feishuGot[0]!.body).length).toBeLessThanOrEqual(20 * 1024)
    expect(chatText('feishu', feishuGot[0]!.body)).toMatch(/^\[Hearken · Test shop\] 30 unhappy answers in the last 1 minute, worst first:/)
  })
})

describe('a platform’s answer is read, not just its HTTP status', () => {
  for (const format of ['wecom', 'dingtalk', 'feishu', 'slack'] as const) {
    it(`${format}: a configuration error stops sending and shows the platform’s message; fixing the webhook sends what waited, merged`, async () => {
      const { site, token } = await freshSite()
      const h = alertHarness(START)
      const path = pathFor(format)
      await addWebhook(site, token, 'ops', format, path)
      await script(path, 'config')
      const first = await answer(site, START, { score: 3 })
      await h.consume([alert(site, 'ops', first)])
      const status = await deliveries(site, token, 'ops')
      expect(status.lastDelivered).toBeNull()
      expect(status.paused?.reason).toMatch(format === 'slack' ? /HTTP 404: no_service/ : /93000|310000|19022/)
      // Nothing more is sent while paused; the next alert waits instead of failing too.
      const second = await answer(site, START + MINUTE, { score: 1 })
      h.set(START + 5 * MINUTE)
      await h.consume([alert(site, 'ops', second)])
      await h.runUntil(START + HOUR)
      expect(await received(path)).toHaveLength(1)
      expect((await deliveries(site, token, 'ops')).waiting).toBe(1)
      // The operator fixes the webhook: the held message and the waiting alert go.
      expect((await putWebhook(site, token, 'ops', { url: `${env.RECEIVER_URL}${path}`, format })).status).toBe(200)
      await h.consume([{ kind: 'flush', site, webhook: 'ops' }])
      await h.runUntil(START + 2 * HOUR)
      const got = await received(path)
      expect(got.map((entry) => entry.status)).toEqual(format === 'slack' ? [404, 200, 200] : [200, 200, 200])
      const after = await deliveries(site, token, 'ops')
      expect(after.paused).toBeNull()
      expect(after.waiting).toBe(0)
      expect(after.recent.every((message) => message.status === 'delivered')).toBe(true)
    })
  }

  it('a rate-limit code waits for the platform’s window: DingTalk blocks for 10 minutes, WeCom for one', async () => {
    const { site, token } = await freshSite()
    const h = alertHarness(START)
    const dingtalk = pathFor('dingtalk')
    const wecom = pathFor('wecom')
    await addWebhook(site, token, 'ding', 'dingtalk', dingtalk)
    await addWebhook(site, token, 'wecom', 'wecom', wecom)
    await script(dingtalk, 'rate_limited')
    await script(wecom, 'rate_limited')
    const id = await answer(site, START, { score: 2 })
    await h.consume([alert(site, 'ding', id), alert(site, 'wecom', id)])
    await h.runUntil(START + 9 * MINUTE)
    expect((await received(dingtalk)).map((entry) => entry.status)).toHaveLength(1)
    const wecomAttempts = await received(wecom)
    expect(wecomAttempts).toHaveLength(2)
    expect((await deliveries(site, token, 'wecom')).lastDelivered?.status).toBe('delivered')
    await h.runUntil(START + 11 * MINUTE)
    expect(await received(dingtalk)).toHaveLength(2)
    const ding = await deliveries(site, token, 'ding')
    expect(ding.lastDelivered?.status).toBe('delivered')
    expect(ding.recent[0]!.attempts).toBe(2)
  })

  it('busy codes and 5xx are retried; 429 waits for Retry-After; 410 and a redirect (301, 302) pause the webhook, saying why; no answer times out; a slow one counts', async () => {
    const { site, token } = await freshSite()
    const h = alertHarness(START)
    const cases = {
      busy: { format: 'wecom', replies: ['busy'], attempts: 2 },
      down: { format: 'json', replies: ['http500'], attempts: 2 },
      limited: { format: 'slack', replies: ['http429'], attempts: 2 },
      gone: { format: 'json', replies: ['http410'], attempts: 1 },
      redirected: { format: 'json', replies: ['redirect'], attempts: 1 },
      moved: { format: 'wecom', replies: ['moved'], attempts: 1 },
      silent: { format: 'feishu', replies: ['hang'], attempts: 2 },
      slow: { format: 'dingtalk', replies: ['slow'], attempts: 1 },
    } as const
    const paths: Record<string, string> = {}
    for (const [name, { format, replies }] of Object.entries(cases)) {
      paths[name] = pathFor(format, name)
      await addWebhook(site, token, name, format, paths[name]!)
      await script(paths[name]!, ...replies)
    }
    const id = await answer(site, START, { score: 0 })
    await h.consume(Object.keys(cases).map((name) => alert(site, name, id)))
    // Slack asked for 120 s: nothing before that, though the schedule's first retry is at 5 s.
    await h.runUntil(START + 119_000)
    expect(await received(paths.limited!)).toHaveLength(1)
    await h.runUntil(START + 10 * MINUTE)
    for (const [name, { attempts }] of Object.entries(cases)) expect((await received(paths[name]!)).length, name).toBe(attempts)
    for (const name of ['busy', 'down', 'limited', 'silent', 'slow']) expect((await deliveries(site, token, name)).lastDelivered?.status, name).toBe('delivered')
    const gone = await deliveries(site, token, 'gone')
    expect(gone.paused?.reason).toContain('410')
    // A redirect is a wrong URL: one attempt, then paused with the reason, not retried for a day.
    const redirected = await deliveries(site, token, 'redirected')
    expect(redirected.paused?.reason).toBe('Receiver answered HTTP 302, a redirect to /elsewhere: redirects are not followed, so put the final URL in the webhook')
    expect(redirected.problems).toMatchObject([{ status: 'retrying', attempts: 1, lastError: redirected.paused!.reason }])
    const moved = await deliveries(site, token, 'moved')
    expect(moved.paused?.reason).toBe('WeCom answered HTTP 301, a redirect to https://hooks.example.com/new-home: redirects are not followed, so put the final URL in the webhook')
    expect(moved.problems).toMatchObject([{ status: 'retrying', attempts: 1, lastError: moved.paused!.reason }])
    await h.runUntil(START + 40 * HOUR)
    expect(await received(paths.redirected!)).toHaveLength(1)
    expect(await received(paths.moved!)).toHaveLength(1)
    expect(await received('/elsewhere')).toEqual([])
    // The operator puts the right URL in: the held alert goes.
    expect((await putWebhook(site, token, 'redirected', { url: `${env.RECEIVER_URL}${paths.redirected}`, format: 'json' })).status).toBe(200)
    await h.consume([{ kind: 'flush', site, webhook: 'redirected' }])
    expect((await received(paths.redirected!)).map((entry) => entry.status)).toEqual([302, 204])
    expect((await deliveries(site, token, 'redirected')).lastDelivered?.status).toBe('delivered')
  })

  it('a webhook whose stored secret is malformed fails alone: the others in the batch are delivered and every message is acked', async () => {
    const { site, token } = await freshSite()
    const h = alertHarness(START)
    const good = pathFor('json', 'good')
    await addWebhook(site, token, 'good', 'json', good)
    // A secret stored before secrets were checked, bypassing PUT.
    const row = (await findSite(env.DB, site))!
    await saveSettings(env.DB, row, { ...row.settings, webhooks: [...row.settings.webhooks, { id: 'broken', url: `${env.RECEIVER_URL}${pathFor('json', 'broken')}`, format: 'json', secret: 'whsec_%%%not-base64' }] })
    const ids = await Promise.all([1, 2, 3].map((n) => answer(site, START + n, { score: n })))
    const result = await h.consume(ids.flatMap((id) => [alert(site, 'broken', id), alert(site, 'good', id)]))
    expect(result.explicitAcks).toHaveLength(6)
    expect(result.retryMessages).toEqual([])
    expect(await received(good)).toHaveLength(3)
    expect((await deliveries(site, token, 'broken')).paused?.reason).toContain('no valid whsec_ signing secret')
  })
})

describe('delivery', () => {
  it('is exactly once per alert, whatever the queue redelivers or runs side by side', async () => {
    const { site, token } = await freshSite()
    const h = alertHarness(START)
    const path = pathFor('json')
    await addWebhook(site, token, 'ops', 'json', path)
    const id = await answer(site, START, { score: 2 })
    const message = alert(site, 'ops', id)
    await Promise.all([h.consume([message, message]), h.consume([message]), h.consume([message], 3)])
    await h.consume([message], 4)
    await h.runUntil(START + HOUR)
    const got = await received(path)
    expect(got).toHaveLength(1)
    const stored = await env.DB.prepare('SELECT COUNT(*) AS n FROM alert_outbox WHERE site_id = ?').bind(site).first<number>('n')
    expect(stored).toBe(1)
  })

  it('drops the unhappy-answer alert of a person who changed their mind before it went: nothing is left to follow up', async () => {
    const { site, token } = await freshSite()
    const h = alertHarness(START)
    const path = pathFor('json')
    await addWebhook(site, token, 'ops', 'json', path)
    const visitor = 'v-changed-mind'
    const id = await answer(site, START, { score: 2, visitor })
    // Within the hour the same visitor answers 9 instead: the untouched follow-up goes (ingest.ts).
    const stored = (await findSite(env.DB, site))!
    await storeResponse(env.DB, stored, (await findSurvey(env.DB, site, 'nps'))!, { id, site, survey: 'nps', score: 9, visitor, elapsedMs: 3000 }, {}, START + MINUTE)
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM follow_ups WHERE site_id = ?').bind(site).first<number>('n')).toBe(0)
    // The alert queued for the first score arrives after that: it is not stored, and nothing is sent.
    const result = await h.consume([alert(site, 'ops', id)])
    expect(result.explicitAcks).toHaveLength(1)
    await h.runUntil(START + HOUR)
    expect(await received(path)).toEqual([])
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM alert_outbox WHERE site_id = ?').bind(site).first<number>('n')).toBe(0)
  })

  it('keeps each platform’s pace: WeCom and DingTalk 20 a minute, Feishu 5 a second, Slack 1 a second', async () => {
    const { site, token } = await freshSite()
    const h = alertHarness(START)
    const limits = { wecom: [20, MINUTE], dingtalk: [20, MINUTE], feishu: [5, 1000], slack: [1, 1000] } as const
    for (const format of Object.keys(limits)) await addWebhook(site, token, format, format, pathFor(format))
    // Test alerts skip the merge window, so only the platform's own limit holds them back: 25 at once.
    for (let n = 0; n < 25; n++) for (const format of Object.keys(limits)) await env.DB.prepare(`INSERT INTO webhook_messages (id, site_id, webhook_id, alerts, test, status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, 0, 1, 'retrying', 0, ?, ?)`).bind(`msg_t${n}-${format}-${site}`, site, format, START, START).run()
    await h.consume(Object.keys(limits).map((format) => ({ kind: 'flush' as const, site, webhook: format })))
    await h.runUntil(START + 5 * MINUTE)
    for (const [format, [limit, window]] of Object.entries(limits)) {
      const { results } = await env.DB.prepare(`SELECT at FROM webhook_attempts a JOIN webhook_messages m ON m.id = a.message_id WHERE m.site_id = ? AND m.webhook_id = ? ORDER BY at`).bind(site, format).all<{ at: number }>()
      const times = results.map((row) => row.at)
      expect(times, format).toHaveLength(25)
      // Recounted from the raw attempts: no window of the platform's length holds more than its limit.
      for (const t of times) expect(times.filter((other) => other >= t && other < t + window).length, `${format} from ${t - START}`).toBeLessThanOrEqual(limit)
      // And not slower than needed: the first `limit` went at once.
      expect(times.slice(0, limit).every((t) => t === START), format).toBe(true)
    }
  }, 60_000)

  it('shares one robot’s pace between webhooks of two sites that post to the same URL, sending side by side', async () => {
    const first = await freshSite()
    const second = await freshSite()
    const h = alertHarness(START)
    const path = pathFor('wecom', 'shared')
    await addWebhook(first.site, first.token, 'ops', 'wecom', path)
    await addWebhook(second.site, second.token, 'team', 'wecom', path)
    const hooks = [[first.site, 'ops'], [second.site, 'team']] as const
    const testMessage = (site: string, webhook: string, n: number) =>
      env.DB.prepare(`INSERT INTO webhook_messages (id, site_id, webhook_id, alerts, test, status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, 0, 1, 'retrying', 0, ?, ?)`).bind(`msg_s${n}-${site}`, site, webhook, START, START).run()
    // One went alone first, so the two webhooks, sending in step, would reach the 20th slot together.
    await testMessage(first.site, 'ops', 0)
    await h.consume([{ kind: 'flush', site: first.site, webhook: 'ops' }])
    for (let n = 1; n < 25; n++) await testMessage(first.site, 'ops', n)
    for (let n = 0; n < 25; n++) await testMessage(second.site, 'team', n)
    // Two consumers at once, one per webhook, as the queue may run them.
    await Promise.all(hooks.map(([site, webhook]) => h.consume([{ kind: 'flush', site, webhook }])))
    await h.runUntil(START + 5 * MINUTE)
    const got = await received(path)
    expect(got).toHaveLength(50)
    const { results } = await env.DB.prepare(
      `SELECT at FROM webhook_attempts a JOIN webhook_messages m ON m.id = a.message_id WHERE (m.site_id = ? AND m.webhook_id = 'ops') OR (m.site_id = ? AND m.webhook_id = 'team') ORDER BY at`,
    )
      .bind(first.site, second.site)
      .all<{ at: number }>()
    const times = results.map((row) => row.at)
    expect(times).toHaveLength(50)
    // Recounted from the raw attempts of both webhooks: no minute holds more than WeCom's 20 for the robot.
    for (const t of times) expect(times.filter((other) => other >= t && other < t + MINUTE).length, `from ${t - START}`).toBeLessThanOrEqual(20)
    expect(times.filter((t) => t === START)).toHaveLength(20)
  }, 60_000)

  it('a platform’s block of a robot holds back every webhook on that URL: DingTalk’s 10 minutes after a rate-limit code', async () => {
    const first = await freshSite()
    const second = await freshSite()
    const h = alertHarness(START)
    const path = pathFor('dingtalk', 'shared')
    await addWebhook(first.site, first.token, 'ops', 'dingtalk', path)
    await addWebhook(second.site, second.token, 'team', 'dingtalk', path)
    await script(path, 'rate_limited')
    await h.consume([alert(first.site, 'ops', await answer(first.site, START, { score: 1 }))])
    h.set(START + MINUTE)
    await h.consume([alert(second.site, 'team', await answer(second.site, START + MINUTE, { score: 2 }))])
    await h.runUntil(START + 9 * MINUTE)
    expect((await received(path)).map((entry) => entry.answer)).toEqual([expect.stringContaining('130101')])
    await h.runUntil(START + 12 * MINUTE)
    expect((await received(path)).slice(1).map((entry) => entry.answer)).toEqual([expect.stringContaining('"errcode":0'), expect.stringContaining('"errcode":0')])
    for (const [site, token, webhook] of [[first.site, first.token, 'ops'], [second.site, second.token, 'team']] as const) {
      expect((await deliveries(site, token, webhook)).lastDelivered?.status, webhook).toBe('delivered')
    }
    const { results } = await env.DB.prepare(`SELECT m.webhook_id, a.at FROM webhook_attempts a JOIN webhook_messages m ON m.id = a.message_id WHERE m.site_id IN (?, ?) ORDER BY a.at`).bind(first.site, second.site).all<{ webhook_id: string; at: number }>()
    // Nothing went to the robot while it was blocked, from either webhook.
    expect(results.slice(1).every((row) => row.at >= START + 10 * MINUTE)).toBe(true)
  })

  it('merges a burst into one message a minute, worst first, and drops none', async () => {
    const { site, token } = await freshSite()
    const h = alertHarness(START)
    const path = pathFor('wecom')
    await addWebhook(site, token, 'ops', 'wecom', path)
    // 60 unhappy answers in 30 seconds, each alert arriving as it would.
    const ids: string[] = []
    for (let n = 0; n < 60; n++) {
      h.set(START + n * 500)
      const id = await answer(site, h.now(), { score: n === 37 ? 0 : 1 + (n % 6), comment: `answer ${n}` })
      ids.push(id)
      await h.consume([alert(site, 'ops', id)])
    }
    await h.runUntil(START + 10 * MINUTE)
    const got = await received(path)
    // The first alone, at once; the other 59 together when the minute since it was up.
    expect(got).toHaveLength(2)
    const digest = chatText('wecom', got[1]!.body)
    expect(digest).toMatch(/^\[Hearken · Test shop\] 59 unhappy answers in the last 1 minute, worst first:\n• NPS 0 on nps/)
    expect(digest).toContain('“answer 37”')
    const { results } = await env.DB.prepare('SELECT response_id, message_id FROM alert_outbox WHERE site_id = ?').bind(site).all<{ response_id: string; message_id: string | null }>()
    expect(results.map((row) => row.response_id).sort()).toEqual([...ids].sort())
    expect(new Set(results.map((row) => row.message_id)).size).toBe(2)
    expect(results.every((row) => row.message_id !== null)).toBe(true)
  }, 60_000)

  it('retries for more than a day, then shows the failure with the receiver’s answer; a retry sends it', async () => {
    const { site, token } = await freshSite()
    const h = alertHarness(START)
    const path = pathFor('json')
    await addWebhook(site, token, 'ops', 'json', path)
    await script(path, ...Array<'http500'>(RETRY_SCHEDULE_MS.length + 1).fill('http500'))
    const id = await answer(site, START, { score: 4 })
    await h.consume([alert(site, 'ops', id)])
    await h.runUntil(START + 40 * HOUR)
    const attempts = await received(path)
    expect(attempts).toHaveLength(RETRY_SCHEDULE_MS.length + 1)
    const { results } = await env.DB.prepare('SELECT at FROM webhook_attempts a JOIN webhook_messages m ON m.id = a.message_id WHERE m.site_id = ? ORDER BY at').bind(site).all<{ at: number }>()
    expect(results.at(-1)!.at - results[0]!.at).toBeGreaterThan(24 * HOUR)
    // One id on every attempt: a receiver can drop a redelivery.
    expect(new Set(attempts.map((entry) => entry.headers['webhook-id'])).size).toBe(1)
    const status = await deliveries(site, token, 'ops')
    expect(status.problems[0]).toMatchObject({ status: 'failed', attempts: RETRY_SCHEDULE_MS.length + 1, lastError: 'Receiver answered HTTP 500: internal error' })
    const retried = await asOperator(`/v1/sites/${site}/webhooks/ops/messages/${status.recent[0]!.id}/retry`, token, { method: 'POST' })
    expect(await retried.json()).toMatchObject({ status: 'delivered', lastError: null })
  })

  it('a test alert goes at once and says what the receiver said', async () => {
    const { site, token } = await freshSite()
    const path = pathFor('dingtalk')
    await addWebhook(site, token, 'ding', 'dingtalk', `${path}?keyword=Hearken`)
    const ok = await (await asOperator(`/v1/sites/${site}/webhooks/ding/test`, token, { method: 'POST' })).json<{ status: string }>()
    expect(ok.status).toBe('delivered')
    expect(chatText('dingtalk', (await received(path))[0]!.body)).toMatch(/^\[Hearken · Test shop\] Test alert/)
    const rejecting = pathFor('dingtalk')
    await addWebhook(site, token, 'strict', 'dingtalk', `${rejecting}?keyword=Refunds`)
    const refused = await (await asOperator(`/v1/sites/${site}/webhooks/strict/test`, token, { method: 'POST' })).json<{ status: string; lastError: string }>()
    expect(refused).toMatchObject({ status: 'retrying', lastError: 'DingTalk errcode 310000: keywords not in content' })
  })

  it('an alert the queue dead-lettered is stored by the dead-letter consumer, marked, and sent', async () => {
    const { site, token } = await freshSite()
    const h = alertHarness(START)
    const path = pathFor('slack')
    await addWebhook(site, token, 'ops', 'slack', path)
    const id = await answer(site, START, { score: 1 })
    const result = await h.consume([alert(site, 'ops', id)], 9, true)
    expect(result.explicitAcks).toHaveLength(1)
    expect(await received(path)).toHaveLength(1)
    const [message] = (await deliveries(site, token, 'ops')).recent
    expect(message).toMatchObject({ status: 'delivered', note: expect.stringContaining('dead-letter queue after 9 attempts') })
  })
})

describe('webhook settings', () => {
  const bad = [
    ['http://hooks.example.com/x', 'https'],
    ['https://169.254.169.254/latest/meta-data', 'public address'],
    ['https://10.1.2.3/hook', 'public address'],
    ['https://192.168.1.1/hook', 'public address'],
    ['https://100.64.0.1/hook', 'public address'],
    // 10.0.0.1 and 169.254.169.254 in decimal, hex and octal (loopback spellings are in webhook-url.test.ts: tests run in development).
    ['https://167772161/hook', 'public address'],
    ['https://0xa9fea9fe/latest/meta-data', 'public address'],
    ['https://0251.0376.0251.0376/latest', 'public address'],
    ['https://[::ffff:10.0.0.1]/hook', 'public address'],
    ['https://[fd00::1]/hook', 'public address'],
    ['https://metadata/computeMetadata', 'public address'],
    ['https://user:pass@hooks.example.com/x', 'user name'],
    ['https://printer.local/hook', 'public address'],
  ] as const
  it('refuse URLs that point inside a network, however they are spelled', async () => {
    const { site, token } = await freshSite()
    for (const [url, says] of bad) {
      const reply = await putWebhook(site, token, 'ops', { url, format: 'json' })
      expect(reply.status, url).toBe(400)
      expect((await reply.json<{ error: { message: string } }>()).error.message, url).toContain(says)
    }
    expect((await putWebhook(site, token, 'ops', { url: 'https://hooks.example.com/hearken', format: 'json' })).status).toBe(201)
  })

  it('check each secret against its platform, make whsec_ secrets for JSON and never show them again', async () => {
    const { site, token } = await freshSite()
    const url = 'https://hooks.example.com/h'
    expect((await putWebhook(site, token, 'a', { url, format: 'json', secret: 'plain-text-secret' })).status).toBe(400)
    expect((await putWebhook(site, token, 'a', { url, format: 'json', secret: 'whsec_c2hvcnQ=' })).status).toBe(400)
    expect((await putWebhook(site, token, 'b', { url, format: 'dingtalk', secret: 'not-a-dingtalk-secret' })).status).toBe(400)
    expect((await putWebhook(site, token, 'c', { url, format: 'wecom', secret: 'anything' })).status).toBe(400)
    const made = await (await putWebhook(site, token, 'a', { url, format: 'json' })).json<{ secret: string; hasSecret: boolean }>()
    expect(new StandardWebhook(made.secret)).toBeTruthy()
    expect(made.hasSecret).toBe(true)
    const again = await (await putWebhook(site, token, 'a', { url, format: 'json', events: ['reminder'] })).json<Record<string, unknown>>()
    expect(again.secret).toBeUndefined()
    const listed = await (await asOperator(`/v1/sites/${site}/webhooks`, token)).text()
    expect(listed).not.toContain(made.secret.slice(6, 20))
  })
})
