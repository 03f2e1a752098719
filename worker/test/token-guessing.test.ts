import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { routes } from '../src/index.ts'
import { AUTH_ADDRESS_FAILURE_CAP, AUTH_FAILURE_CAP } from '../src/rate-limit.ts'
import { asOperator, freshSite } from './helpers.ts'

/**
 * Wrong operator tokens are slowed down on every route that reads one (issue 13): the routes are
 * walked from the worker's own route table, so a route added later without the counted check fails
 * here. The worker's clock is the test's own (only Date is faked), starting on a minute.
 */
const START = Date.UTC(2026, 4, 4, 10, 0, 0)
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(START)
})
afterEach(() => vi.useRealTimers())

/** The routes under `/v1/sites/:site` that pages call without a token. */
const PUBLIC_ROUTES = ['GET /v1/sites/:site/config']

let addresses = 0
/** An address of its own for each case, so one case's failures do not slow another's. */
const freshAddress = () => ({ 'cf-connecting-ip': `192.0.2.${++addresses}` })

/** A concrete path for a route pattern: `:site` the test site, any other parameter a placeholder. */
const pathOf = (pattern: string, site: string) => pattern.replace(/:site(\{[^}]*\})?/, site).replace(/:(\w+)(\{[^}]*\})?/g, (_, name: string) => (name === 'survey' ? 'nps' : `x${name}`))

describe('wrong operator tokens', () => {
  it('are counted on every route that asks for one: five a minute per address and site, then 429 whatever the token', { timeout: 120_000 }, async () => {
    const { site, token } = await freshSite()
    const operatorRoutes = [...new Map(routes.filter((route) => route.method !== 'ALL' && route.path.startsWith('/v1/sites/:site')).map((route) => [`${route.method} ${route.path}`, route])).values()]
    const open = []
    for (const route of operatorRoutes) {
      const path = pathOf(route.path, site)
      const anonymous = await asOperator(path, '', { method: route.method, headers: { authorization: '' } })
      if (anonymous.status !== 401) {
        open.push(`${route.method} ${route.path}`)
        continue
      }
      const from = freshAddress()
      const statuses = []
      for (let attempt = 0; attempt <= AUTH_FAILURE_CAP.minute; attempt++) statuses.push((await asOperator(path, `hk_wrong${attempt}`, { method: route.method, headers: from })).status)
      expect(statuses.slice(0, AUTH_FAILURE_CAP.minute).every((status) => status === 403 || status === 404), `${route.method} ${route.path}: ${statuses}`).toBe(true)
      expect(statuses.at(-1), `${route.method} ${route.path}: ${statuses}`).toBe(429)
      const right = await asOperator(path, token, { method: route.method, headers: from })
      expect(right.status, `${route.method} ${route.path} with the right token after the cap`).toBe(429)
    }
    // Only what pages read without a token answers without one; every other route, the site's own PUT included, asked and counted.
    expect(open).toEqual(PUBLIC_ROUTES)
    expect(operatorRoutes.length - open.length).toBeGreaterThan(15)
  })

  it('guessing the admin token by creating made-up sites is slowed the same way', async () => {
    const from = freshAddress()
    const statuses = []
    for (let attempt = 0; attempt <= AUTH_FAILURE_CAP.minute; attempt++) {
      const made = `pk_guess${attempt}${crypto.randomUUID().slice(0, 6)}`
      statuses.push((await asOperator(`/v1/sites/${made}`, `admin-guess-${attempt}`, { method: 'PUT', headers: from, body: JSON.stringify({ name: 'x', origins: ['https://x.example'] }) })).status)
    }
    expect(statuses).toEqual([403, 403, 403, 403, 403, 429])
  })

  it('cannot race past the cap: 40 guesses at once get five 403s and 429s for the rest', async () => {
    const { site, token } = await freshSite()
    const from = freshAddress()
    const replies = await Promise.all(Array.from({ length: 40 }, (_, attempt) => asOperator(`/v1/sites/${site}/stats?survey=nps`, `hk_parallel${attempt}`, { headers: from })))
    const statuses = replies.map((reply) => reply.status).sort()
    expect(statuses.filter((status) => status === 403)).toHaveLength(AUTH_FAILURE_CAP.minute)
    expect(statuses.filter((status) => status === 429)).toHaveLength(40 - AUTH_FAILURE_CAP.minute)
    expect((await asOperator(`/v1/sites/${site}/stats?survey=nps`, token, { headers: from })).status).toBe(429)
  })

  it('hold up one site’s operators at a shared address, not every site’s, and the right token is never counted', async () => {
    const a = await freshSite()
    const b = await freshSite()
    const office = freshAddress()
    for (let attempt = 0; attempt < 10; attempt++) expect((await asOperator(`/v1/sites/${a.site}`, a.token, { headers: office })).status).toBe(200)
    for (let attempt = 0; attempt < AUTH_FAILURE_CAP.minute; attempt++) await asOperator(`/v1/sites/${a.site}`, `stale${attempt}`, { headers: office })
    expect((await asOperator(`/v1/sites/${a.site}`, a.token, { headers: office })).status).toBe(429)
    expect((await asOperator(`/v1/sites/${b.site}`, b.token, { headers: office })).status).toBe(200)
    vi.setSystemTime(START + 60_000)
    expect((await asOperator(`/v1/sites/${a.site}`, a.token, { headers: office })).status).toBe(200)
  })

  it('never slow down a right token, however many requests an operator’s script sends at once', async () => {
    const { site, token } = await freshSite()
    const from = freshAddress()
    const replies = await Promise.all(Array.from({ length: 30 }, () => asOperator(`/v1/sites/${site}`, token, { headers: from })))
    expect(replies.map((reply) => reply.status)).toEqual(Array(30).fill(200))
  })

  it('spread over many sites, stop at the address-wide cap', async () => {
    const sites = await Promise.all(Array.from({ length: AUTH_ADDRESS_FAILURE_CAP.minute / AUTH_FAILURE_CAP.minute + 1 }, () => freshSite()))
    const guesser = freshAddress()
    for (const { site } of sites.slice(0, -1)) {
      for (let attempt = 0; attempt < AUTH_FAILURE_CAP.minute; attempt++) expect((await asOperator(`/v1/sites/${site}`, `spread${attempt}`, { headers: guesser })).status).toBe(403)
    }
    const last = sites.at(-1)!
    const refused = await asOperator(`/v1/sites/${last.site}`, 'spread-last', { headers: guesser })
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('60')
  })
})
