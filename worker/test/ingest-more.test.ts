import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { asOperator, freshSite, post, statsOf } from './helpers.ts'

const visitor = () => `v${crypto.randomUUID().slice(0, 8)}`
const answer = (site: string, overrides: Record<string, unknown> = {}) => ({
  id: crypto.randomUUID(),
  site,
  survey: 'nps',
  score: 9,
  visitor: visitor(),
  elapsedMs: 4000,
  ...overrides,
})

describe('follow-ups: a later post of the same id', () => {
  it('merges the comment and ratings into the stored answer without counting it again', async () => {
    const { site, token } = await freshSite()
    const first = answer(site, { score: 4 })
    expect((await post('/v1/responses', first)).status).toBe(201)
    const followUp = await post('/v1/responses', { ...first, comment: 'Parcel came late', dimensions: { product: 5, delivery: 1 } })
    expect(followUp.status).toBe(200)
    expect(await followUp.json()).toEqual({ id: first.id, status: 'updated' })
    // Sent twice (a retry): still one answer, ratings counted once.
    await post('/v1/responses', { ...first, comment: 'Parcel came late', dimensions: { product: 5, delivery: 1 } })

    const stats = await statsOf(site, token, 'survey=nps')
    expect(stats.nps).toMatchObject({ n: 1, detractors: 1 })
    expect(stats.dimensions).toEqual([
      { id: 'product', n: 1, mean: 5 },
      { id: 'delivery', n: 1, mean: 1 },
    ])
    // Weighted 3:1 → (3·100 + 1·0) / 4
    expect(stats.compositeIndex).toBe(75)
    const list = await (await asOperator(`/v1/sites/${site}/responses`, token)).json<{ responses: { comment: string; score: number }[] }>()
    expect(list.responses).toMatchObject([{ comment: 'Parcel came late', score: 4 }])
  })

  it('never lets another visitor change the score (the card’s own change is in fatigue.test.ts)', async () => {
    const { site, token } = await freshSite()
    const first = answer(site, { score: 10 })
    await post('/v1/responses', first)
    await post('/v1/responses', { ...first, score: 0, comment: 'changed my mind', visitor: visitor() })
    expect((await statsOf(site, token, 'survey=nps')).nps).toMatchObject({ n: 1, promoters: 1, detractors: 0 })
  })

  it('rejects ratings for dimensions the survey does not have', async () => {
    const { site } = await freshSite()
    const reply = await post('/v1/responses', answer(site, { dimensions: { price: 3 } }))
    expect(reply.status).toBe(400)
    expect((await reply.json<{ error: { field: string } }>()).error.field).toBe('dimensions.price')
  })
})

describe('POST /v1/impressions', () => {
  it('counts shown cards once per id and gives the response rate', async () => {
    const { site, token } = await freshSite()
    const shown = { id: crypto.randomUUID(), site, survey: 'nps', kind: 'shown', visitor: visitor() }
    expect((await post('/v1/impressions', shown)).status).toBe(201)
    expect((await post('/v1/impressions', shown)).status).toBe(200)
    const batch = await post('/v1/impressions', {
      impressions: [
        { id: crypto.randomUUID(), site, survey: 'nps', kind: 'shown', visitor: visitor() },
        { id: crypto.randomUUID(), site, survey: 'nps', kind: 'shown', visitor: visitor() },
        { id: crypto.randomUUID(), site, survey: 'nps', kind: 'dismissed', visitor: visitor() },
      ],
    })
    expect(batch.status).toBe(200)
    await post('/v1/responses', answer(site))
    const stats = await statsOf(site, token, 'survey=nps')
    expect(stats.responseRate).toEqual({ shown: 3, answered: 1, rate: 33.3 })
  })

  it('rejects an unknown kind', async () => {
    const { site } = await freshSite()
    const reply = await post('/v1/impressions', { id: crypto.randomUUID(), site, survey: 'nps', kind: 'clicked' })
    expect(reply.status).toBe(400)
    expect((await reply.json<{ error: { field: string } }>()).error.field).toBe('kind')
  })
})

describe('batches', () => {
  it('report per item and store only the good ones', async () => {
    const { site, token } = await freshSite()
    const good = answer(site, { score: 10 })
    const reply = await post('/v1/responses', {
      responses: [good, answer(site, { score: 11 }), answer(site, { survey: 'nope' }), { id: 'x' }],
    })
    expect(reply.status).toBe(200)
    const { results } = await reply.json<{ results: { status: string; error?: { field: string } }[] }>()
    expect(results.map((result) => result.status)).toEqual(['stored', 'rejected', 'rejected', 'rejected'])
    expect(results[1]!.error!.field).toBe('responses[1].score')
    expect(results[2]!.error!.field).toBe('responses[2].survey')
    expect(results[3]!.error!.field).toBe('responses[3].id')
    expect((await statsOf(site, token, 'survey=nps')).nps!.n).toBe(1)
  })

  it('refuse more than 50 items and mixed sites', async () => {
    const { site } = await freshSite()
    const many = Array.from({ length: 51 }, () => answer(site))
    expect((await post('/v1/responses', { responses: many })).status).toBe(400)
    const mixed = await post('/v1/responses', { responses: [answer(site), answer('pk_demo', { survey: 'post-purchase-nps' })] })
    expect(mixed.status).toBe(400)
  })
})

describe('cleaning', () => {
  it('flags implausibly fast answers, bots and repeats, leaves them out of scores, and keeps them in exports', async () => {
    const { site, token } = await freshSite()
    const regular = answer(site, { score: 10, elapsedMs: 4000 })
    await post('/v1/responses', regular)
    await post('/v1/responses', answer(site, { score: 0, elapsedMs: 200 }))
    await post('/v1/responses', answer(site, { score: 0 }), { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1)' })
    await post('/v1/responses', answer(site, { score: 0, visitor: regular.visitor }))

    const stats = await statsOf(site, token, 'survey=nps')
    expect(stats.nps).toMatchObject({ n: 1, promoters: 1, score: 100 })
    expect((await statsOf(site, token, 'survey=nps&flagged=include')).nps!.n).toBe(4)

    const list = await (await asOperator(`/v1/sites/${site}/responses`, token)).json<{ responses: { flags: string[] }[] }>()
    expect(list.responses.map((response) => response.flags.join(' ')).sort()).toEqual(['', 'bot', 'fast', 'repeat'])
  })
})

describe('cleaning within one batch', () => {
  it('flags the second answer of a visitor in the same batch as a repeat, and the first of a retried batch not at all', async () => {
    const { site } = await freshSite()
    const first = answer(site, { visitor: 'twice-in-one' })
    const second = answer(site, { visitor: 'twice-in-one' })
    const other = answer(site)
    await post('/v1/responses', { responses: [first, second, other] })
    // The same batch again (a retry) plus a third answer: only the new one is a repeat, once more.
    const third = answer(site, { visitor: 'twice-in-one' })
    await post('/v1/responses', { responses: [first, third] })
    const { results } = await env.DB.prepare('SELECT id, flags FROM responses WHERE site_id = ?').bind(site).all<{ id: string; flags: string }>()
    const flags = Object.fromEntries(results.map((row) => [row.id, row.flags]))
    expect(flags).toEqual({ [first.id]: '', [second.id]: 'repeat', [other.id]: '', [third.id]: 'repeat' })
  })
})

describe('privacy', () => {
  it('masks emails, phone numbers and id numbers in comments before storing them', async () => {
    const { site, token } = await freshSite()
    await post('/v1/responses', answer(site, { comment: 'Call me on 13800138000 or mail li.lei@example.cn' }))
    const row = await env.DB.prepare('SELECT comment FROM responses WHERE site_id = ?').bind(site).first<{ comment: string }>()
    expect(row!.comment).toBe('Call me on [phone] or mail [email]')
    const csv = await (await asOperator(`/v1/sites/${site}/responses?format=csv`, token)).text()
    expect(csv).not.toContain('13800138000')
  })

  it('keeps comments as typed when the site turns masking off', async () => {
    const { site } = await freshSite({ maskPii: false })
    await post('/v1/responses', answer(site, { comment: 'mail li.lei@example.cn' }))
    const row = await env.DB.prepare('SELECT comment FROM responses WHERE site_id = ?').bind(site).first<{ comment: string }>()
    expect(row!.comment).toBe('mail li.lei@example.cn')
  })
})
