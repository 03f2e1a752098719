import PostalMime from 'postal-mime'
import { describe, expect, it } from 'vitest'
import type { AlertMessage } from '../src/alert-delivery.ts'
import { answer, putWebhook } from './alert-harness.ts'
import { digestHarness, EMAIL_FROM } from './digest-harness.ts'
import { open, signIn } from './dashboard-helpers.ts'
import { ADMIN, asOperator, freshSite, ORIGIN } from './helpers.ts'

/**
 * Email as a channel: an `email` webhook sends alerts (and digests, digest-formats.test.ts)
 * through the `send_email` binding, simulated locally by Miniflare, which parses each message
 * as Cloudflare would and refuses a bad one. What was sent is read back with postal-mime.
 */

const MINUTE = 60_000
const START = Date.UTC(2026, 2, 9, 1)

type Status = { paused: { reason: string } | null; waiting: number; recent: { status: string; attempts: number; lastError: string | null; alerts: number }[] }
const deliveries = async (site: string, token: string, webhook: string): Promise<Status> => (await asOperator(`/v1/sites/${site}/webhooks/${webhook}/deliveries`, token)).json<Status>()
const alert = (site: string, webhook: string, response: string): AlertMessage => ({ kind: 'negative', site, webhook, response })
const codeError = (code: string, message: string) => Object.assign(new Error(message), { code })

/** A site with an email webhook to an address of its own: webhooks sharing an address share its pace. */
async function emailSite(name = 'Test shop') {
  const { site, token } = await freshSite()
  if (name !== 'Test shop') await asOperator(`/v1/sites/${site}`, ADMIN, { method: 'PUT', body: JSON.stringify({ name, origins: [ORIGIN], timezone: 'Asia/Shanghai' }) })
  const put = await putWebhook(site, token, 'ops', { url: `mailto:ops-${site.slice(4)}@shop.example`, format: 'email' })
  expect(put.status).toBe(201)
  return { site, token }
}

describe('email alerts', () => {
  it('arrive as one readable email per alert, a burst merged after five minutes, visitor text escaped', async () => {
    const { site, token } = await emailSite('星巴克 · 上海')
    const h = digestHarness(START)
    const first = await answer(site, START - MINUTE, { score: 2, comment: '包装破损 <script>alert(1)</script> 客服不回 👨‍👩‍👧', user: 'u-77', subject: 'order A-1001' })
    await h.consume([alert(site, 'ops', first)])
    expect(h.emails).toHaveLength(1)
    const mail = await PostalMime.parse(h.emails[0]!.raw)
    expect(mail.from).toEqual({ address: EMAIL_FROM, name: 'Hearken · 星巴克 · 上海' })
    expect(mail.subject).toBe('[Hearken · 星巴克 · 上海] Unhappy answer: NPS 2 on nps from user u-77 · re order A-1001.')
    expect(mail.text).toContain('Comment: “包装破损 ＜script＞alert(1)＜/script＞ 客服不回 👨‍👩‍👧”')
    expect(mail.html).toContain('包装破损 ＜script＞alert(1)＜/script＞')
    expect(mail.html).not.toContain('<script')
    expect(mail.html).toContain('<a href="https://hearken.test/dashboard?site=')

    // Two more within five minutes of the first wait, and go together.
    const more = [await answer(site, START + MINUTE, { score: 0 }), await answer(site, START + 2 * MINUTE, { score: 5 })]
    h.set(START + 2 * MINUTE)
    await h.consume(more.map((id) => alert(site, 'ops', id)))
    expect(h.emails).toHaveLength(1)
    await h.runUntil(START + 6 * MINUTE)
    expect(h.emails).toHaveLength(2)
    const merged = await PostalMime.parse(h.emails[1]!.raw)
    expect(merged.subject).toMatch(/^\[Hearken · 星巴克 · 上海\] 2 unhappy answers in the last \d+ minutes, worst first:$/)
    expect(merged.text).toMatch(/NPS 0[^\n]*\n• NPS 5/)
    expect((await deliveries(site, token, 'ops')).recent.map((message) => [message.status, message.alerts])).toEqual([['delivered', 2], ['delivered', 1]])
  })

  it('are written in the webhook’s language, or else the site’s digest language', async () => {
    const { site, token } = await freshSite({ digests: { frequencies: [], lang: 'zh-TW' } })
    expect((await putWebhook(site, token, 'cn', { url: `mailto:cn-${site.slice(4)}@shop.example`, format: 'email', lang: 'zh-CN' })).status).toBe(201)
    expect((await putWebhook(site, token, 'tw', { url: `mailto:tw-${site.slice(4)}@shop.example`, format: 'email' })).status).toBe(201)
    const h = digestHarness(START)
    const id = await answer(site, START - MINUTE, { score: 1, user: 'u-8' })
    await h.consume([alert(site, 'cn', id), alert(site, 'tw', id)])
    const mails = await Promise.all(h.emails.map((email) => PostalMime.parse(email.raw)))
    const byLang = Object.fromEntries(mails.map((mail) => [/<html lang="([^"]+)"/.exec(mail.html ?? '')?.[1], mail]))
    expect(Object.keys(byLang).sort()).toEqual(['zh-CN', 'zh-TW'])
    expect(byLang['zh-CN']!.subject).toContain('不满意的回答')
    expect(byLang['zh-CN']!.text).toContain('用户 u-8')
    expect(byLang['zh-TW']!.subject).toContain('不滿意的回答')
  })

  it('read the binding’s errors: a rate limit waits, a refused recipient pauses the webhook, a missing sender says what to set', async () => {
    const { site, token } = await emailSite()
    const h = digestHarness(START)
    h.failNextEmails(codeError('E_RATE_LIMIT_EXCEEDED', 'Rate limit exceeded'))
    const id = await answer(site, START, { score: 1 })
    await h.consume([alert(site, 'ops', id)])
    expect(h.emails).toHaveLength(0)
    expect((await deliveries(site, token, 'ops')).recent[0]).toMatchObject({ status: 'retrying', lastError: 'Email E_RATE_LIMIT_EXCEEDED: Rate limit exceeded' })
    // Inside the platform's minute nothing goes; after it, the same message does.
    await h.runUntil(START + 50_000)
    expect(h.emails).toHaveLength(0)
    await h.runUntil(START + 2 * MINUTE)
    expect(h.emails).toHaveLength(1)
    expect((await deliveries(site, token, 'ops')).recent[0]).toMatchObject({ status: 'delivered', attempts: 2 })

    h.failNextEmails(codeError('E_RECIPIENT_NOT_ALLOWED', 'Recipient is not in allowed_destination_addresses'))
    const refused = await answer(site, h.now() + MINUTE, { score: 1 })
    h.set(h.now() + 10 * MINUTE)
    await h.consume([alert(site, 'ops', refused)])
    const paused = await deliveries(site, token, 'ops')
    expect(paused.paused?.reason).toBe('Email E_RECIPIENT_NOT_ALLOWED: Recipient is not in allowed_destination_addresses')
    expect(h.emails).toHaveLength(1)

    const bare = digestHarness(START, { EMAIL_FROM: '' })
    const other = await emailSite()
    await bare.consume([alert(other.site, 'ops', await answer(other.site, START, { score: 1 }))])
    expect((await deliveries(other.site, other.token, 'ops')).paused?.reason).toMatch(/^Email needs a sender: set EMAIL_FROM/)
    expect(bare.emails).toHaveLength(0)
  })
})

describe('email webhooks', () => {
  it('take mailto: and one plain address, no secret; digests and language are checked', async () => {
    const { site, token } = await freshSite()
    const refused: [Record<string, unknown>, string][] = [
      [{ url: 'https://hooks.example.com/x', format: 'email' }, 'url'],
      [{ url: 'mailto:a@shop.example,b@shop.example', format: 'email' }, 'url'],
      [{ url: 'mailto:a@shop.example?bcc=c@evil.example', format: 'email' }, 'url'],
      [{ url: 'mailto:"Ops" <a@shop.example>', format: 'email' }, 'url'],
      [{ url: 'mailto:a@shop.example%0D%0ABcc:c@evil.example', format: 'email' }, 'url'],
      [{ url: 'mailto:a@localhost', format: 'email' }, 'url'],
      [{ url: 'mailto:a@shop.example', format: 'json' }, 'url'],
      [{ url: 'mailto:a@shop.example', format: 'email', secret: 'whsec_abc' }, 'secret'],
      [{ url: 'mailto:a@shop.example', format: 'email', digests: ['hourly'] }, 'digests[0]'],
      [{ url: 'mailto:a@shop.example', format: 'email', lang: 'fr' }, 'lang'],
    ]
    for (const [body, field] of refused) {
      const reply = await putWebhook(site, token, 'mail', body)
      expect(reply.status, JSON.stringify(body)).toBe(400)
      expect((await reply.json<{ error: { field: string } }>()).error.field, JSON.stringify(body)).toBe(field)
    }
    const ok = await putWebhook(site, token, 'mail', { url: 'mailto:ops.team+cx@mail.shop.example', format: 'email', digests: ['weekly', 'monthly'], lang: 'zh-TW', events: [] })
    expect(ok.status).toBe(201)
    expect(await ok.json()).toEqual({ id: 'mail', url: 'mailto:ops.team+cx@mail.shop.example', format: 'email', digests: ['weekly', 'monthly'], lang: 'zh-TW', events: [], hasSecret: false })
    // The alerts page says where it goes and which digests it gets, the address shown whole.
    const page = await open('/dashboard/alerts?lang=en', await signIn(site, token))
    expect(page.html).toContain('<code>mailto:ops.team+cx@mail.shop.example</code>')
    expect(page.html).toContain('Digests: weekly, monthly')
  })

  it('site digest settings are checked and filled with their defaults', async () => {
    const { site, token } = await freshSite()
    const put = (digests: unknown) => asOperator(`/v1/sites/${site}`, token, { method: 'PUT', body: JSON.stringify({ name: 'Test shop', origins: [ORIGIN], settings: { digests } }) })
    for (const [digests, field] of [
      [{ hour: 24 }, 'settings.digests.hour'],
      [{ frequencies: ['yearly'] }, 'settings.digests.frequencies[0]'],
      [{ lang: 'ja' }, 'settings.digests.lang'],
      [{ surveys: ['no spaces'] }, 'settings.digests.surveys[0]'],
      ['weekly', 'settings.digests'],
    ] as const) {
      const reply = await put(digests)
      expect(reply.status, JSON.stringify(digests)).toBe(400)
      expect((await reply.json<{ error: { field: string } }>()).error.field).toBe(field)
    }
    const reply = await put({ frequencies: ['weekly', 'weekly'] })
    expect(reply.status).toBe(200)
    expect((await reply.json<{ settings: { digests: unknown } }>()).settings.digests).toEqual({ frequencies: ['weekly'], lang: 'en', hour: 8 })
  })
})
