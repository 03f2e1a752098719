import { env } from 'cloudflare:workers'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_LIMITS } from '../src/rate-limit.ts'
import { ORIGIN, asOperator, fixedWindowLimiter, freshSite, postWith, statsOf } from './helpers.ts'

/**
 * Rate limits count items (answers, impressions), not requests, per site and client address and
 * per site and visitor, over a minute and an hour. The worker's clock is the test's own
 * (only Date is faked), so every run crosses the same windows on purpose.
 */
const START = Date.UTC(2026, 2, 2, 9, 0, 30)
let clock = START
const flood = fixedWindowLimiter(1_000_000, 60_000, () => clock)
const bindings = { FLOOD_LIMITER: flood }

beforeEach(() => {
  clock = START
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(clock)
})
afterEach(() => vi.useRealTimers())

const advance = (ms: number) => {
  clock += ms
  vi.setSystemTime(clock)
}

let counter = 0
const answer = (site: string, visitor = `v${++counter}`) => ({ id: crypto.randomUUID(), site, survey: 'nps', score: 0, visitor, elapsedMs: 4000 })
const from = (address: string) => ({ 'cf-connecting-ip': address })

async function storedIds(site: string): Promise<string[]> {
  const { results } = await env.DB.prepare('SELECT id FROM responses WHERE site_id = ? ORDER BY id').bind(site).all<{ id: string }>()
  return results.map((row) => row.id)
}

describe('answer limits', () => {
  it(`stop a client that makes up a visitor for every post at ${DEFAULT_LIMITS.answersPerAddressPerMinute} a minute, and open again the next minute`, { timeout: 60_000 }, async () => {
    const { site, token } = await freshSite()
    const stored: string[] = []
    for (let window = 0; window < 3; window++) {
      for (let index = 0; index < DEFAULT_LIMITS.answersPerAddressPerMinute; index++) {
        const body = answer(site)
        const reply = await postWith(bindings, '/v1/responses', body, from('203.0.113.9'))
        expect(reply.status, `minute ${window}, answer ${index + 1}`).toBe(201)
        stored.push(body.id)
      }
      const refused = await postWith(bindings, '/v1/responses', answer(site), from('203.0.113.9'))
      expect(refused.status).toBe(429)
      // Retry after the minute turns: 30 s into it, 30 s are left.
      expect(refused.headers.get('retry-after')).toBe('30')
      expect(refused.headers.get('access-control-allow-origin')).toBe(ORIGIN)
      expect((await refused.json<{ error: { code: string } }>()).error.code).toBe('rate_limited')
      // Another address is not held up by this one.
      expect((await postWith(bindings, '/v1/responses', answer(site), from(`198.51.100.${window}`))).status).toBe(201)
      advance(60_000)
    }
    expect((await storedIds(site)).length).toBe(3 * DEFAULT_LIMITS.answersPerAddressPerMinute + 3)
    for (const id of stored) expect(await storedIds(site)).toContain(id)
    expect((await statsOf(site, token, 'survey=nps')).nps!.n).toBe(3 * DEFAULT_LIMITS.answersPerAddressPerMinute + 3)
  })

  it(`hold an address to ${DEFAULT_LIMITS.answersPerAddressPerHour} an hour however its posts are spread`, { timeout: 60_000 }, async () => {
    const { site } = await freshSite()
    const perMinute = DEFAULT_LIMITS.answersPerAddressPerHour / 10
    let stored = 0
    for (let minute = 0; minute < 11; minute++) {
      const batch = { responses: Array.from({ length: perMinute / 2 }, () => answer(site)) }
      for (const _ of [0, 1]) {
        const reply = await postWith(bindings, '/v1/responses', { responses: batch.responses.map((item) => ({ ...item, id: crypto.randomUUID() })) }, from('203.0.113.10'))
        if (reply.status === 200) stored += (await reply.json<{ results: { status: string }[] }>()).results.filter((result) => result.status === 'stored').length
        else expect(reply.status).toBe(429)
      }
      advance(60_000)
    }
    expect(stored).toBe(DEFAULT_LIMITS.answersPerAddressPerHour)
    // At 09:11:30 the hour has 48.5 minutes left.
    const refused = await postWith(bindings, '/v1/responses', answer(site), from('203.0.113.10'))
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe(String(48 * 60 + 30))
    advance(49 * 60_000)
    expect((await postWith(bindings, '/v1/responses', answer(site), from('203.0.113.10'))).status).toBe(201)
  })

  it('count the items of 50-item batches: one visitor id stores its 10 a minute, the rest are refused and may be sent again later', async () => {
    const { site } = await freshSite()
    const first = Array.from({ length: 50 }, () => answer(site, 'batcher'))
    const reply = await postWith(bindings, '/v1/responses', { responses: first }, from('203.0.113.11'))
    expect(reply.status).toBe(200)
    expect(reply.headers.get('retry-after')).toBe('30')
    const { results } = await reply.json<{ results: { id: string; status: string; error?: { code: string } }[] }>()
    const cap = DEFAULT_LIMITS.answersPerVisitorPerMinute
    expect(results.slice(0, cap).every((result) => result.status === 'stored')).toBe(true)
    expect(results.slice(cap).every((result) => result.status === 'rejected' && result.error!.code === 'rate_limited')).toBe(true)
    expect(await storedIds(site)).toEqual(first.slice(0, cap).map((item) => item.id).sort())
    // A second batch in the same minute: nothing fits, the whole request waits.
    const again = await postWith(bindings, '/v1/responses', { responses: first.slice(cap) }, from('203.0.113.11'))
    expect(again.status).toBe(429)
    expect(again.headers.get('retry-after')).toBe('30')
    // The next minute, the client sends what was refused and the next 10 go in.
    advance(60_000)
    const later = await postWith(bindings, '/v1/responses', { responses: first.slice(cap) }, from('203.0.113.11'))
    const stored = (await later.json<{ results: { status: string }[] }>()).results.filter((result) => result.status === 'stored')
    expect(stored).toHaveLength(cap)
    expect(await storedIds(site)).toHaveLength(2 * cap)
  })

  it('count a batch of many visitors against the address: 50-item batches from one address stop at its cap', async () => {
    const { site } = await freshSite()
    const outcomes: string[] = []
    for (let request = 0; request < 3; request++) {
      const reply = await postWith(bindings, '/v1/responses', { responses: Array.from({ length: 50 }, () => answer(site)) }, from('203.0.113.12'))
      if (reply.status === 429) outcomes.push('429')
      else outcomes.push(...(await reply.json<{ results: { status: string }[] }>()).results.map((result) => result.status))
    }
    expect(outcomes.filter((status) => status === 'stored')).toHaveLength(DEFAULT_LIMITS.answersPerAddressPerMinute)
    expect(outcomes.at(-1)).toBe('429')
    expect(await storedIds(site)).toHaveLength(DEFAULT_LIMITS.answersPerAddressPerMinute)
  })

  it('group an IPv6 client by its /64, which it can fill with addresses at will', async () => {
    const { site } = await freshSite({ limits: { answersPerAddressPerMinute: 3 } })
    const addresses = ['2001:db8:1:2::1', '2001:db8:1:2:ffff::9', '2001:0db8:0001:0002:abcd:0:0:1', '2001:db8:1:2::77']
    const statuses = []
    for (const address of addresses) statuses.push((await postWith(bindings, '/v1/responses', answer(site), from(address))).status)
    expect(statuses).toEqual([201, 201, 201, 429])
    expect((await postWith(bindings, '/v1/responses', answer(site), from('2001:db8:1:3::1'))).status).toBe(201)
  })

  it('are tuned per site through settings.limits, and checked', async () => {
    const { site, token } = await freshSite()
    const put = (limits: unknown) => asOperator(`/v1/sites/${site}`, token, { method: 'PUT', body: JSON.stringify({ name: 'Test shop', origins: [ORIGIN], settings: { limits } }) })
    expect((await put({ answersPerVisitorPerMinute: 0 })).status).toBe(400)
    expect((await put({ answersPerVisitorPerMinute: 2 })).status).toBe(200)
    const statuses = []
    for (let index = 0; index < 3; index++) statuses.push((await postWith(bindings, '/v1/responses', answer(site, 'tuned'), from('203.0.113.13'))).status)
    expect(statuses).toEqual([201, 201, 429])
  })
})

describe('impression limits', () => {
  it('are counted apart from answers, so a flood of impressions neither stops answers nor gets past its own cap', async () => {
    const { site } = await freshSite({ limits: { impressionsPerAddressPerMinute: 120 } })
    const shown = () => ({ id: crypto.randomUUID(), site, survey: 'nps', kind: 'shown', visitor: `i${++counter}` })
    let stored = 0
    for (let request = 0; request < 3; request++) {
      const reply = await postWith(bindings, '/v1/impressions', { impressions: Array.from({ length: 50 }, shown) }, from('203.0.113.14'))
      expect(reply.status).toBe(200)
      stored += (await reply.json<{ results: { status: string }[] }>()).results.filter((result) => result.status === 'stored').length
    }
    expect(stored).toBe(120)
    expect((await postWith(bindings, '/v1/impressions', shown(), from('203.0.113.14'))).status).toBe(429)
    expect((await postWith(bindings, '/v1/responses', answer(site), from('203.0.113.14'))).status).toBe(201)
    const count = await env.DB.prepare('SELECT COUNT(*) AS n FROM impressions WHERE site_id = ?').bind(site).first<number>('n')
    expect(count).toBe(120)
  })
})

describe('the flood shield', () => {
  it('answers 429 at the edge for floods about sites the isolate does not hold, before they read D1', async () => {
    const shield = { FLOOD_LIMITER: fixedWindowLimiter(2, 60_000, () => clock) }
    const made_up = () => ({ ...answer('pk_nobody'), site: `pk_made${++counter}` })
    const statuses = []
    for (let index = 0; index < 3; index++) statuses.push((await postWith(shield, '/v1/responses', made_up(), from('203.0.113.15'))).status)
    expect(statuses).toEqual([404, 404, 429])
  })

  it('refuses at once, without D1, what would count against an address this isolate saw full', async () => {
    const { site } = await freshSite({ limits: { answersPerAddressPerMinute: 2 } })
    let batches = 0
    const counting = new Proxy(env.DB, {
      get: (target, name) => (name === 'batch' ? (statements: D1PreparedStatement[]) => (batches++, target.batch(statements)) : (Reflect.get(target, name) as (...args: unknown[]) => unknown).bind(target)),
    })
    const bound = { ...bindings, DB: counting }
    const statuses = []
    for (let index = 0; index < 5; index++) statuses.push((await postWith(bound, '/v1/responses', answer(site), from('203.0.113.16'))).status)
    expect(statuses).toEqual([201, 201, 429, 429, 429])
    // The site's first load, one batch for each of the first three posts (the third refused), none for the last two.
    expect(batches).toBe(4)
    advance(60_000)
    expect((await postWith(bound, '/v1/responses', answer(site), from('203.0.113.16'))).status).toBe(201)
    expect(await storedIds(site)).toHaveLength(3)
  })
})
