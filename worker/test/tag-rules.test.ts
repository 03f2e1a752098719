import { describe, expect, it } from 'vitest'
import { asOperator, freshSite } from './helpers.ts'

describe('tag rules through PUT /v1/sites/:site', () => {
  it('stores valid rules and refuses bad ones with a 400 naming the field, keeping the old ones', async () => {
    const { site, token } = await freshSite()
    const put = (tagRules: unknown) =>
      asOperator(`/v1/sites/${site}`, token, { method: 'PUT', body: JSON.stringify({ name: 'Test shop', origins: ['https://a.example'], settings: { tagRules } }) })
    const rules = [{ tag: 'coffee', keywords: ['espresso', '咖啡'] }, { tag: 'problem', keywords: ['cold'], whenNegated: 'count' }]
    expect((await put(rules)).status).toBe(200)

    const bad = await put([{ tag: 'coffee', keywords: ['espresso, latte'] }])
    expect(bad.status).toBe(400)
    const { error } = await bad.json<{ error: { code: string; field: string; message: string } }>()
    expect(error).toMatchObject({ code: 'invalid_field', field: 'settings.tagRules[0].keywords[0]' })
    expect(error.message).toContain('must be a word or a short phrase')

    const stored = await (await asOperator(`/v1/sites/${site}`, token)).json<{ settings: { tagRules: unknown } }>()
    expect(stored.settings.tagRules).toEqual(rules)
  })
})
