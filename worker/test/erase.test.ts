import { describe, expect, it } from 'vitest'
import { asOperator, freshSite, post, statsOf } from './helpers.ts'

describe('DELETE /v1/sites/:site/people/:id', () => {
  it('erases a visitor’s answers, impressions and their traces in every rollup', async () => {
    const { site, token } = await freshSite()
    const keep = { id: crypto.randomUUID(), site, survey: 'nps', score: 10, visitor: 'keeper' }
    await post('/v1/responses', keep)
    const before = await statsOf(site, token, 'survey=nps')

    const gone = { id: crypto.randomUUID(), site, survey: 'nps', score: 2, visitor: 'leaver', user: 'user-42' }
    await post('/v1/responses', gone)
    await post('/v1/responses', { ...gone, comment: 'bad', dimensions: { product: 1 } })
    await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'csat', score: 1, visitor: 'other-device', user: 'user-42' })
    await post('/v1/impressions', { id: crypto.randomUUID(), site, survey: 'nps', kind: 'shown', visitor: 'leaver' })

    const erased = await asOperator(`/v1/sites/${site}/people/leaver`, token, { method: 'DELETE' })
    expect(await erased.json()).toEqual({ person: 'leaver', erased: { responses: 1, impressions: 1 } })
    const byUser = await asOperator(`/v1/sites/${site}/people/user-42`, token, { method: 'DELETE' })
    expect((await byUser.json<{ erased: { responses: number } }>()).erased.responses).toBe(1)

    expect(await statsOf(site, token, 'survey=nps')).toEqual(before)
    expect((await statsOf(site, token, 'survey=csat')).csat!.n).toBe(0)
    const list = await (await asOperator(`/v1/sites/${site}/responses`, token)).json<{ responses: { id: string }[] }>()
    expect(list.responses.map((response) => response.id)).toEqual([keep.id])
  })
})
