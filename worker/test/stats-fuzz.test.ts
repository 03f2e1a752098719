import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asOperator, call, freshSite, post } from './helpers.ts'
import { signIn } from './dashboard-helpers.ts'

/**
 * Every parameter of the stats API and of the dashboard, fuzzed (seeded): whatever an operator
 * types, a scanner sends or a link mangles, the answer is a 200 or a 4xx naming the field, never
 * a 5xx and never a request that does not finish (`?from=9999-12-31` once looped for ever).
 */

/** Values that have broken date code before, beside random text. */
const nasty = fc.constantFrom(
  '', ' ', 'garbage', '9999-12-31', '9999-12-01', '0000-01-01', '1999-12-31', '2000-01-01', '2100-12-31', '2101-01-01', '+010000-01-01', '-000001-01-01',
  '2026-02-30', '2026-13-01', '2026-1-1', '2026-01-01T00:00', '20260101', '2026-01-01\u0000', '%00', '\uFFFF', 'null', 'undefined', '-1', '1e309', 'NaN',
  'day', 'week', 'month', 'year', 'previous', 'include', 'exclude', 'only', 'detractor', 'low', 'open', 'overdue', 'en', 'zh-CN', 'x'.repeat(5000),
  '2026-01-01', '2026-01-31', '2025-12-01', '2026-06-30', 'nps', 'csat', 'ces', 'order_completed', 'new',
)
const value = fc.oneof(nasty, fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }))

const STATS_FIELDS = ['survey', 'from', 'to', 'interval', 'compare', 'compareFrom', 'compareTo', 'flagged', 'checkpoint', 'segment'] as const
const DASHBOARD_FIELDS = [...STATS_FIELDS, 'band', 'tag', 'followUp', 'cursor', 'lang', 'saved'] as const

/** A query string with some of `fields` set to fuzzed values (a field may repeat). */
const queryOf = (fields: readonly string[]) =>
  fc.array(fc.tuple(fc.constantFrom(...fields), value), { maxLength: 8 }).map((pairs) => new URLSearchParams(pairs).toString())

let site = ''
let token = ''
let cookie = ''

beforeAll(async () => {
  ;({ site, token } = await freshSite())
  for (let index = 0; index < 6; index++) {
    await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'nps', score: index * 2, visitor: `f${index}`, segment: 'new', dimensions: { product: 1 + (index % 5) }, comment: 'late delivery' })
  }
  cookie = await signIn(site, token)
})

/** The slowest answer seen, so a regression towards a hang shows before it becomes one. */
let slowest = 0
const timed = async (request: () => Promise<Response>) => {
  const started = performance.now()
  const reply = await request()
  await reply.arrayBuffer()
  slowest = Math.max(slowest, performance.now() - started)
  return reply
}

afterAll(() => console.info(`fuzzed stats, dashboard and export requests: slowest answer ${Math.round(slowest)} ms`))

describe('fuzzed parameters', () => {
  it('GET …/stats answers 200 or a 4xx that names the field', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(queryOf(STATS_FIELDS), async (query) => {
        const params = new URLSearchParams(query)
        if (!params.has('survey') && query.length % 2 === 0) params.set('survey', 'nps')
        const reply = await timed(() => asOperator(`/v1/sites/${site}/stats?${params}`, token))
        expect([200, 400, 404], `${reply.status} for ?${params}`).toContain(reply.status)
        if (reply.status === 400) {
          const body = await (await asOperator(`/v1/sites/${site}/stats?${params}`, token)).json<{ error: { field?: string } }>()
          expect(STATS_FIELDS as readonly string[]).toContain(body.error.field)
        }
      }),
      { numRuns: 250, seed: 1612 },
    )
  })

  it('GET /dashboard answers 200 or a 4xx page', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(queryOf(DASHBOARD_FIELDS), async (query) => {
        const reply = await timed(() => call(`/dashboard?${query}`, { headers: { cookie } }))
        expect([200, 400, 404], `${reply.status} for ?${query}`).toContain(reply.status)
        expect(reply.headers.get('content-type')).toContain('text/html')
      }),
      { numRuns: 250, seed: 1613 },
    )
  })

  it('GET /dashboard/export.csv answers 200 or a 4xx page', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(queryOf(DASHBOARD_FIELDS), async (query) => {
        const reply = await timed(() => call(`/dashboard/export.csv?${query}`, { headers: { cookie } }))
        expect([200, 400, 404], `${reply.status} for ?${query}`).toContain(reply.status)
      }),
      { numRuns: 100, seed: 1614 },
    )
  })

  it('the cases an operator reported: ?from=9999-12-31 and ?to=garbage are 400s naming the field', async () => {
    for (const [query, field] of [['from=9999-12-31', 'from'], ['to=garbage', 'to'], ['from=9999-12-01&to=9999-12-31', 'to']]) {
      const api = await asOperator(`/v1/sites/${site}/stats?survey=nps&${query}`, token)
      expect(api.status).toBe(400)
      expect((await api.json<{ error: { field: string } }>()).error.field).toBe(field)
      const page = await call(`/dashboard?survey=nps&${query}`, { headers: { cookie } })
      expect(page.status).toBe(400)
      expect(await page.text()).toContain(`${field} must be a date as YYYY-MM-DD from 2000-01-01 to 2100-12-31`)
    }
  })

  it('a CSV export with a filter the listing refuses is a 400 before any byte of CSV, not a broken download', async () => {
    const api = await asOperator(`/v1/sites/${site}/responses?format=csv&survey=nps&tag=nope`, token)
    expect(api.status).toBe(400)
    expect((await api.json<{ error: { field: string } }>()).error.field).toBe('tag')
    const page = await call('/dashboard/export.csv?survey=nps&tag=nope', { headers: { cookie } })
    expect(page.status).toBe(400)
    expect(await page.text()).toContain('no tag named nope')
  })
})
