import pcorrtest from '@stdlib/stats-pcorrtest'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { ResponseInput } from '../../sdk/protocol.ts'
import { storeImpression, storeResponse } from '../src/ingest.ts'
import { findSite, saveSite } from '../src/sites.ts'
import { findSurvey } from '../src/surveys.ts'
import { asOperator, freshSite, statsOf } from './helpers.ts'

/** Stores answers at chosen instants, as if they had arrived then. */
async function answersAt(site: string, survey: string, answers: [at: string, score: number, extra?: Partial<ResponseInput>][]) {
  const siteRow = (await findSite(env.DB, site))!
  const surveyRow = (await findSurvey(env.DB, site, survey))!
  for (const [at, score, extra] of answers) {
    await storeResponse(env.DB, siteRow, surveyRow, { id: crypto.randomUUID(), site, survey, score, visitor: `s${crypto.randomUUID().slice(0, 8)}`, elapsedMs: 5000, ...extra }, {}, Date.parse(at))
  }
}

/** `count` answers on one day, with scores from `scoreOf`. */
const many = (count: number, at: string, scoreOf: (index: number) => number, extra: (index: number) => Partial<ResponseInput> = () => ({})) =>
  Array.from({ length: count }, (_, index): [string, number, Partial<ResponseInput>] => [at, scoreOf(index), extra(index)])

describe('GET /v1/sites/:site/stats', () => {
  it('counts days in the site timezone and fills every bucket of the series', async () => {
    const { site, token } = await freshSite()
    // 20:00 UTC on Jan 10 is 04:00 on Jan 11 in Shanghai.
    await answersAt(site, 'nps', [['2026-01-10T20:00:00Z', 10], ['2026-01-12T03:00:00Z', 2]])
    const stats = await statsOf(site, token, 'survey=nps&from=2026-01-10&to=2026-01-13')
    expect(stats.series.map((bucket) => [bucket.key, bucket.nps!.n])).toEqual([
      ['2026-01-10', 0],
      ['2026-01-11', 1],
      ['2026-01-12', 1],
      ['2026-01-13', 0],
    ])
    expect(stats.series[1]!.nps!.score).toBe(100)
    expect(stats.nps).toMatchObject({ n: 2, score: 0, promoters: 1, detractors: 1, shares: { promoters: 50, passives: 0, detractors: 50 } })
  })

  it('groups by ISO week and by month', async () => {
    const { site, token } = await freshSite()
    await answersAt(site, 'nps', [['2026-03-02T06:00:00Z', 9], ['2026-03-08T06:00:00Z', 9], ['2026-03-09T06:00:00Z', 3], ['2026-04-01T06:00:00Z', 8]])
    const weeks = await statsOf(site, token, 'survey=nps&from=2026-03-02&to=2026-03-15&interval=week')
    expect(weeks.series.map((bucket) => [bucket.key, bucket.nps!.n])).toEqual([
      ['2026-03-02', 2],
      ['2026-03-09', 1],
    ])
    const months = await statsOf(site, token, 'survey=nps&from=2026-03-01&to=2026-04-30&interval=month')
    expect(months.series.map((bucket) => [bucket.key, bucket.nps!.n])).toEqual([
      ['2026-03', 3],
      ['2026-04', 1],
    ])
  })

  it('filters by checkpoint and segment, and breaks down worst first', async () => {
    const { site, token } = await freshSite()
    await answersAt(site, 'nps', [
      ['2026-05-05T06:00:00Z', 10, { checkpoint: 'order_completed', segment: 'key' }],
      ['2026-05-05T06:00:00Z', 9, { checkpoint: 'order_completed', segment: 'new' }],
      ['2026-05-05T06:00:00Z', 1, { checkpoint: 'delivery_received', segment: 'new' }],
    ])
    const all = await statsOf(site, token, 'survey=nps&from=2026-05-01&to=2026-05-31')
    expect(all.byCheckpoint.map((group) => [group.key, group.nps!.score])).toEqual([
      ['delivery_received', -100],
      ['order_completed', 100],
    ])
    expect(all.bySegment.map((group) => [group.key, group.nps!.score])).toEqual([
      ['new', 0],
      ['key', 100],
    ])
    const newOnly = await statsOf(site, token, 'survey=nps&from=2026-05-01&to=2026-05-31&segment=new')
    expect(newOnly.nps!.n).toBe(2)
    const orders = await statsOf(site, token, 'survey=nps&from=2026-05-01&to=2026-05-31&checkpoint=order_completed')
    expect(orders.nps).toMatchObject({ n: 2, score: 100 })
  })

  it('puts first the group that is low even at its best, not a group of one unhappy answer', async () => {
    const { site, token } = await freshSite()
    // "one": a single detractor (−100, but the interval reaches +48.5). "many": 60 answers at −20.
    await answersAt(site, 'nps', [
      ['2026-05-05T06:00:00Z', 0, { segment: 'one' }],
      ...many(60, '2026-05-05T06:00:00Z', (i) => (i < 18 ? 10 : i < 30 ? 8 : 2), () => ({ segment: 'many' })),
    ])
    const stats = await statsOf(site, token, 'survey=nps&from=2026-05-01&to=2026-05-31')
    expect(stats.bySegment.map((group) => [group.key, group.nps!.score, group.nps!.n])).toEqual([
      ['many', -20, 60],
      ['one', -100, 1],
    ])
    expect(stats.bySegment[1]!.nps!.interval).toEqual([-98.5, 48.5])
  })

  it('compares with the previous period of the same length and says whether the change is significant', async () => {
    const { site, token } = await freshSite()
    const before = many(60, '2026-06-05T06:00:00Z', (index) => (index < 20 ? 10 : index < 40 ? 8 : 2))
    const after = many(60, '2026-06-15T06:00:00Z', (index) => (index < 50 ? 10 : 8))
    await answersAt(site, 'nps', [...before, ...after])
    const stats = await statsOf(site, token, 'survey=nps&from=2026-06-11&to=2026-06-20&compare=previous')
    expect(stats.comparison).toMatchObject({ kind: 'previous', from: '2026-06-01', to: '2026-06-10', change: 83.3, verdict: 'significant', significant: true, minAnswers: 30 })
    expect(stats.comparison!.pValue).toBeLessThan(0.001)
    expect(stats.comparison!.previous.nps).toMatchObject({ n: 60, score: 0 })

    const { site: other, token: otherToken } = await freshSite()
    await answersAt(other, 'nps', [['2026-06-05T06:00:00Z', 10], ['2026-06-05T06:00:00Z', 3], ['2026-06-15T06:00:00Z', 10]])
    const small = await statsOf(other, otherToken, 'survey=nps&from=2026-06-11&to=2026-06-20&compare=previous')
    expect(small.comparison).toMatchObject({ change: 100, verdict: 'directional', significant: false, pValue: null })
  })

  it('calls 1 v 1, 2 v 2 and 3 v 3 "directional", never significant', async () => {
    for (const k of [1, 2, 3]) {
      const { site, token } = await freshSite()
      await answersAt(site, 'nps', [...many(k, '2026-06-05T06:00:00Z', () => 0), ...many(k, '2026-06-15T06:00:00Z', () => 10)])
      const stats = await statsOf(site, token, 'survey=nps&from=2026-06-11&to=2026-06-20&compare=previous')
      expect(stats.comparison).toMatchObject({ change: 200, verdict: 'directional', significant: false })
    }
  })

  it('compares two periods the operator picks, before and after a fix, with the same rules', async () => {
    const { site, token } = await freshSite()
    const before = many(40, '2026-02-10T06:00:00Z', (i) => (i < 10 ? 10 : i < 20 ? 8 : 3))
    const gap = many(5, '2026-03-01T06:00:00Z', () => 0)
    const after = many(40, '2026-04-10T06:00:00Z', (i) => (i < 30 ? 10 : 8))
    await answersAt(site, 'nps', [...before, ...gap, ...after])
    const stats = await statsOf(site, token, 'survey=nps&from=2026-04-01&to=2026-04-30&compareFrom=2026-02-01&compareTo=2026-02-28')
    expect(stats.comparison).toMatchObject({ kind: 'chosen', from: '2026-02-01', to: '2026-02-28', change: 100, verdict: 'significant' })
    expect(stats.comparison!.previous.nps).toMatchObject({ n: 40, score: -25 })
    const thin = await statsOf(site, token, 'survey=nps&from=2026-04-01&to=2026-04-30&compareFrom=2026-03-01&compareTo=2026-03-31')
    expect(thin.comparison).toMatchObject({ kind: 'chosen', verdict: 'directional', change: 175 })
  })

  it('reports CSAT and CES with their goals', async () => {
    const { site, token } = await freshSite()
    await answersAt(site, 'csat', [['2026-07-01T06:00:00Z', 5], ['2026-07-01T06:00:00Z', 4], ['2026-07-01T06:00:00Z', 2]])
    await answersAt(site, 'ces', [['2026-07-01T06:00:00Z', 7], ['2026-07-01T06:00:00Z', 3]])
    const csat = await statsOf(site, token, 'survey=csat&from=2026-07-01&to=2026-07-01')
    expect(csat.csat).toMatchObject({ n: 3, satisfied: 2, score: 66.7, mean: 3.67 })
    expect(csat.goal).toEqual({ target: 85, met: false })
    const ces = await statsOf(site, token, 'survey=ces&from=2026-07-01&to=2026-07-01')
    expect(ces.ces).toMatchObject({ n: 2, satisfied: 1, score: 50 })
    expect(ces.goal).toBeNull()
  })

  it('says whether the NPS goal is met', async () => {
    const { site, token } = await freshSite()
    await answersAt(site, 'nps', [['2026-08-01T06:00:00Z', 10], ['2026-08-01T06:00:00Z', 9], ['2026-08-01T06:00:00Z', 7]])
    expect((await statsOf(site, token, 'survey=nps&from=2026-08-01&to=2026-08-01')).goal).toEqual({ target: 40, met: true })
  })

  it('counts flagged answers apart, includes them on request, and counts both sides of the response rate alike', async () => {
    const { site, token } = await freshSite()
    await answersAt(site, 'nps', [
      ['2026-08-01T06:00:00Z', 10],
      ['2026-08-01T06:00:00Z', 10],
      ['2026-08-01T06:00:00Z', 0, { elapsedMs: 100 }],
      ['2026-08-01T06:00:00Z', 0, { elapsedMs: 200 }],
    ])
    const siteRow = (await findSite(env.DB, site))!
    const surveyRow = (await findSurvey(env.DB, site, 'nps'))!
    for (let index = 0; index < 8; index++) {
      await storeImpression(env.DB, siteRow, surveyRow, { id: crypto.randomUUID(), site, survey: 'nps', kind: 'shown', ...(index < 6 ? { visitor: `seen${index}` } : {}) }, Date.parse('2026-08-01T06:00:00Z'))
    }
    // The two impressions without a visitor are flagged (incomplete) like the two fast answers.
    const left = await statsOf(site, token, 'survey=nps&from=2026-08-01&to=2026-08-01')
    expect(left).toMatchObject({ includesFlagged: false, flagged: 2, nps: { n: 2, score: 100 }, responseRate: { shown: 6, answered: 2, rate: 33.3 } })
    const counted = await statsOf(site, token, 'survey=nps&from=2026-08-01&to=2026-08-01&flagged=include')
    expect(counted).toMatchObject({ includesFlagged: true, flagged: 2, nps: { n: 4, score: 0 }, responseRate: { shown: 8, answered: 4, rate: 50 } })
  })

  it('finds the key driver from rollups alone, matching a recount of the raw answers', async () => {
    const { site, token } = await freshSite()
    // Seeded: the score follows the delivery rating (rated low); the product rating is high and unrelated.
    let state = 2026
    const next = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648)
    const answers = many(80, '2026-09-01T06:00:00Z', () => 0).map(([at]): [string, number, Partial<ResponseInput>] => {
      const delivery = 1 + Math.floor(next() * 3.5)
      const product = 3 + Math.floor(next() * 3)
      return [at, Math.max(0, Math.min(10, 2 * delivery + Math.round(next() * 4 - 1))), { dimensions: { delivery, product } }]
    })
    await answersAt(site, 'nps', answers)
    const stats = await statsOf(site, token, 'survey=nps&from=2026-09-01&to=2026-09-01')
    expect(stats.keyDrivers.advice).toEqual({ kind: 'fix_first', dimension: 'delivery', lowest: null, tied: [], statement: 'Delivery matters most and scores lowest: fix it first.' })
    const { results } = await env.DB.prepare('SELECT score, dimensions FROM responses WHERE site_id = ?').bind(site).all<{ score: number; dimensions: string }>()
    for (const driver of stats.keyDrivers.drivers) {
      const ratings = results.map((row) => (JSON.parse(row.dimensions) as Record<string, number>)[driver.id]!)
      const reference = pcorrtest(ratings, results.map((row) => row.score))
      expect(driver.n).toBe(80)
      expect(driver.withScore!.r).toBeCloseTo(reference.pcorr, 3)
    }
    expect(stats.keyDrivers.drivers.map((driver) => driver.id)).toEqual(['delivery', 'product'])
  })

  it('says from which day a new timezone applies, and does not re-count earlier days', async () => {
    const { site, token } = await freshSite()
    await answersAt(site, 'nps', [['2026-03-01T20:00:00Z', 10]])
    const siteRow = (await findSite(env.DB, site))!
    // Moved from Shanghai to UTC at 10:00 UTC on March 4 (the change is recorded by a trigger).
    await saveSite(env.DB, site, { name: siteRow.name, origins: siteRow.origins, timezone: 'UTC' }, siteRow, undefined, Date.parse('2026-03-04T10:00:00Z'))
    const spanning = await statsOf(site, token, 'survey=nps&from=2026-03-01&to=2026-03-31')
    expect(spanning.timezone).toEqual({ zone: 'UTC', changes: [{ day: '2026-03-04', from: 'Asia/Shanghai', to: 'UTC' }] })
    // The answer made at 20:00 UTC on March 1 still counts on March 2, its day in Shanghai.
    expect(spanning.series.find((bucket) => bucket.nps!.n > 0)!.key).toBe('2026-03-02')
    // Saving the site again with the same zone records nothing.
    await saveSite(env.DB, site, { name: 'Renamed', origins: siteRow.origins, timezone: 'UTC' }, (await findSite(env.DB, site))!, undefined, Date.parse('2026-03-20T10:00:00Z'))
    expect((await statsOf(site, token, 'survey=nps&from=2026-03-01&to=2026-03-31')).timezone.changes).toHaveLength(1)
    expect((await statsOf(site, token, 'survey=nps&from=2026-03-05&to=2026-03-31')).timezone.changes).toEqual([])
    expect((await statsOf(site, token, 'survey=nps&from=2026-03-05&to=2026-03-31&compareFrom=2026-02-01&compareTo=2026-02-28')).timezone.changes).toHaveLength(1)
  })

  it('exports the day each answer counts on, in the site timezone, beside its UTC time', async () => {
    const { site, token } = await freshSite()
    await answersAt(site, 'nps', [['2026-01-10T20:00:00Z', 10]])
    const csv = await (await asOperator(`/v1/sites/${site}/responses?format=csv`, token)).text()
    const [header, row] = csv.replace('\uFEFF', '').trim().split('\r\n')
    expect(header!.split(',').slice(0, 2)).toEqual(['created_at', 'day'])
    expect(row!.split(',').slice(0, 2)).toEqual(['2026-01-10T20:00:00.000Z', '2026-01-11'])
  })

  it('fills the driver rollup from the stored answers as migration 0009 does on upgrade', async () => {
    const { site } = await freshSite()
    await answersAt(site, 'nps', many(12, '2026-10-01T06:00:00Z', (i) => i % 11, (i) => ({ dimensions: { product: 1 + (i % 5), delivery: 1 + (i % 3) }, ...(i % 4 ? {} : { elapsedMs: 10 }) })))
    const snapshot = async () => (await env.DB.prepare('SELECT * FROM driver_rollups WHERE n != 0 ORDER BY site_id, survey_id, day, checkpoint, segment, flagged, dimension, score').all()).results
    const kept = await snapshot()
    expect(kept.length).toBeGreaterThan(0)
    const backfill = env.TEST_MIGRATIONS.find((migration) => migration.name.startsWith('0009_'))!.queries.find((query) => query.startsWith('INSERT INTO driver_rollups'))!
    await env.DB.batch([env.DB.prepare('DELETE FROM driver_rollups'), env.DB.prepare(backfill)])
    expect(await snapshot()).toEqual(kept)
  })

  it.each([
    ['from=2026-13-01', 'from'],
    ['from=2026-02-01&to=2026-01-01', 'from'],
    ['from=2020-01-01&to=2026-01-01', 'from'],
    ['from=9999-12-31', 'from'],
    ['from=9999-12-01&to=9999-12-31', 'to'],
    ['from=1999-12-31&to=2000-01-05', 'from'],
    ['to=garbage', 'to'],
    ['to=+010000-01-01', 'to'],
    ['interval=year', 'interval'],
    ['compare=lastyear', 'compare'],
    ['flagged=maybe', 'flagged'],
    ['compareFrom=2026-01-01', 'compareTo'],
    ['compareTo=2026-01-01', 'compareFrom'],
    ['compare=previous&compareFrom=2026-01-01&compareTo=2026-01-31', 'compare'],
    ['from=2026-01-10&to=2026-01-20&compareFrom=2026-01-15&compareTo=2026-01-25', 'compareFrom'],
    ['compareFrom=2026-02-01&compareTo=2026-01-01', 'compareFrom'],
    [`checkpoint=${'x'.repeat(65)}`, 'checkpoint'],
    ['segment=<script>', 'segment'],
    ['from=2099-01-01', 'from'],
    ['to=2000-01-10&compare=previous', 'compare'],
  ])('rejects %s, naming the field and, for a day, its form', async (query, field) => {
    const { site, token } = await freshSite()
    const reply = await asOperator(`/v1/sites/${site}/stats?survey=nps&${query}`, token)
    expect(reply.status).toBe(400)
    const { error } = await reply.json<{ error: { field: string; message: string } }>()
    expect(error.field).toBe(field)
    expect(error.message.startsWith(`${field} `)).toBe(true)
    if (/^(from|to|compareFrom|compareTo)$/.test(field) || query.includes('compare=previous')) expect(error.message).toContain('YYYY-MM-DD')
  })

  it('answers a to before any data, with no from, for the 30 days up to it that exist: the API, the follow-up metrics, the report and the dashboard', async () => {
    const { site, token } = await freshSite()
    const stats = await statsOf(site, token, 'survey=nps&to=2000-01-01')
    expect(stats).toMatchObject({ from: '2000-01-01', to: '2000-01-01', nps: { n: 0, score: null } })
    expect((await statsOf(site, token, 'survey=nps&to=2000-01-20')).from).toBe('2000-01-01')
    const metrics = await asOperator(`/v1/sites/${site}/follow-ups/metrics?to=2000-01-01`, token)
    expect(metrics.status).toBe(200)
    expect(await metrics.json()).toMatchObject({ from: '2000-01-01', to: '2000-01-01', opened: 0 })
    // The report compares with the previous period by default; before 2000 there is none, so it has no comparison.
    const report = await asOperator(`/v1/sites/${site}/report?survey=nps&to=2000-01-01`, token)
    expect(report.status).toBe(200)
    const { stats: reported } = await report.json<{ stats: { from: string; comparison?: unknown } }>()
    expect(reported.from).toBe('2000-01-01')
    expect(reported.comparison).toBeUndefined()
  })
})
