import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { ResponseInput } from '../../sdk/protocol.ts'
import { storeResponse } from '../src/ingest.ts'
import { findSite } from '../src/sites.ts'
import { findSurvey } from '../src/surveys.ts'
import { asOperator, freshSite, statsOf } from './helpers.ts'

/** Stores answers at chosen instants, as if they had arrived then. */
async function answersAt(site: string, survey: string, answers: [at: string, score: number, extra?: Partial<ResponseInput>][]) {
  const siteRow = (await findSite(env.DB, site))!
  const surveyRow = (await findSurvey(env.DB, site, survey))!
  for (const [at, score, extra] of answers) {
    await storeResponse(env.DB, siteRow, surveyRow, { id: crypto.randomUUID(), site, survey, score, visitor: `s${crypto.randomUUID().slice(0, 8)}`, elapsedMs: 3000, ...extra }, {}, Date.parse(at))
  }
}

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
    expect(stats.nps).toMatchObject({ n: 2, score: 0, promoters: 1, detractors: 1 })
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

  it('compares with the previous period of the same length and says whether the change is significant', async () => {
    const { site, token } = await freshSite()
    const before = Array.from({ length: 60 }, (_, index): [string, number] => ['2026-06-05T06:00:00Z', index < 20 ? 10 : index < 40 ? 8 : 2])
    const after = Array.from({ length: 60 }, (_, index): [string, number] => ['2026-06-15T06:00:00Z', index < 50 ? 10 : 8])
    await answersAt(site, 'nps', [...before, ...after])
    const stats = await statsOf(site, token, 'survey=nps&from=2026-06-11&to=2026-06-20&compare=previous')
    expect(stats.comparison).toMatchObject({ from: '2026-06-01', to: '2026-06-10', change: 83.3, significant: true })
    expect(stats.comparison!.previous.nps).toMatchObject({ n: 60, score: 0 })

    const { site: other, token: otherToken } = await freshSite()
    await answersAt(other, 'nps', [['2026-06-05T06:00:00Z', 10], ['2026-06-05T06:00:00Z', 3], ['2026-06-15T06:00:00Z', 10]])
    const small = await statsOf(other, otherToken, 'survey=nps&from=2026-06-11&to=2026-06-20&compare=previous')
    expect(small.comparison).toMatchObject({ change: 100, significant: false })
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

  it.each([
    ['from=2026-13-01', 'from'],
    ['from=2026-02-01&to=2026-01-01', 'from'],
    ['from=2020-01-01&to=2026-01-01', 'from'],
    ['interval=year', 'interval'],
    ['compare=lastyear', 'compare'],
    ['flagged=maybe', 'flagged'],
  ])('rejects %s, naming the field', async (query, field) => {
    const { site, token } = await freshSite()
    const reply = await asOperator(`/v1/sites/${site}/stats?survey=nps&${query}`, token)
    expect(reply.status).toBe(400)
    expect((await reply.json<{ error: { field: string } }>()).error.field).toBe(field)
  })
})
