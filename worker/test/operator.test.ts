import { describe, expect, it } from 'vitest'
import { isSiteToken } from '../src/auth.ts'
import { sha256Hex } from '../src/crypto.ts'
import { ADMIN, ORIGIN, asOperator, call, freshSite } from './helpers.ts'

describe('sites', () => {
  it('are created only with the admin token, which returns the operator token once', async () => {
    const site = `pk_new${crypto.randomUUID().slice(0, 8)}`
    const body = JSON.stringify({ name: 'New shop', origins: ['https://shop.example.com'] })
    expect((await asOperator(`/v1/sites/${site}`, 'dev-operator-token', { method: 'PUT', body })).status).toBe(403)
    const created = await asOperator(`/v1/sites/${site}`, ADMIN, { method: 'PUT', body })
    expect(created.status).toBe(201)
    const { operatorToken, ...view } = await created.json<{ operatorToken: string; settings: { maskPii: boolean } }>()
    expect(operatorToken).toMatch(/^hk_[A-Za-z0-9_-]{43}$/)
    expect(view).toMatchObject({ site, name: 'New shop', timezone: 'UTC', origins: ['https://shop.example.com'] })
    expect(view.settings.maskPii).toBe(true)
    const read = await asOperator(`/v1/sites/${site}`, operatorToken)
    expect(await read.text()).not.toContain(operatorToken)
  })

  it('are changed by their operator; another site’s token is refused', async () => {
    const { site, token } = await freshSite()
    const other = await freshSite()
    const update = JSON.stringify({ name: 'Renamed', origins: [ORIGIN, 'https://m.example.com'], timezone: 'Asia/Taipei', settings: { capDays: 14 } })
    expect((await asOperator(`/v1/sites/${site}`, other.token, { method: 'PUT', body: update })).status).toBe(403)
    const changed = await asOperator(`/v1/sites/${site}`, token, { method: 'PUT', body: update })
    expect(changed.status).toBe(200)
    expect(await changed.json()).toMatchObject({ name: 'Renamed', timezone: 'Asia/Taipei', settings: { capDays: 14, maskPii: true } })
    const config = await (await call(`/v1/sites/${site}/config`)).json<{ capDays: number }>()
    expect(config.capDays).toBe(14)
  })

  it.each([
    [{ name: 'x', origins: ['https://shop.example.com/path'] }, 'origins[0]'],
    [{ name: 'x', origins: ['javascript:alert(1)'] }, 'origins[0]'],
    [{ name: 'x', origins: [] }, 'origins'],
    [{ name: 'x', origins: ['https://a.example'], timezone: 'Mars/Olympus' }, 'timezone'],
    [{ name: 'x', origins: ['https://a.example'], settings: { capDays: -1 } }, 'settings.capDays'],
    [{ origins: ['https://a.example'] }, 'name'],
  ])('reject %j naming %s', async (body, field) => {
    const { site, token } = await freshSite()
    const reply = await asOperator(`/v1/sites/${site}`, token, { method: 'PUT', body: JSON.stringify(body) })
    expect(reply.status).toBe(400)
    expect((await reply.json<{ error: { field: string } }>()).error.field).toBe(field)
  })

  it('rotate their token: the old one stops working', async () => {
    const { site, token } = await freshSite()
    const rotated = await asOperator(`/v1/sites/${site}/token`, token, { method: 'POST' })
    const { operatorToken } = await rotated.json<{ operatorToken: string }>()
    expect((await asOperator(`/v1/sites/${site}`, token)).status).toBe(403)
    expect((await asOperator(`/v1/sites/${site}`, operatorToken)).status).toBe(200)
  })

  it('never take a token from the query string', async () => {
    const reply = await call('/v1/sites/pk_demo/stats?survey=post-purchase-nps&token=dev-operator-token')
    expect(reply.status).toBe(401)
  })
})

describe('surveys', () => {
  it('are created, read, replaced and deleted, and the public config shows only their public part', async () => {
    const { site, token } = await freshSite({ segments: [{ id: 'key', when: [{ prop: 'plan', op: 'eq', value: 'gold' }] }] })
    const survey = {
      type: 'nps',
      checkpoints: ['delivery_received'],
      question: { en: 'How likely…?', 'zh-CN': '您有多大可能…？' },
      followUp: { detractor: { en: 'What went wrong?' } },
      targeting: { segments: ['key'], conditions: [{ prop: 'amount', op: 'gt', value: 100 }] },
      sampling: { key: 1, default: 0.1 },
      cooldownDays: 90,
      goal: { target: 50 },
      maxAnswersPerVisitor: 2,
    }
    const put = await asOperator(`/v1/sites/${site}/surveys/delivery`, token, { method: 'PUT', body: JSON.stringify(survey) })
    expect(put.status).toBe(201)
    expect(await (await asOperator(`/v1/sites/${site}/surveys/delivery`, token)).json()).toMatchObject({ id: 'delivery', goal: { target: 50 } })
    const config = await (await call(`/v1/sites/${site}/config`)).json<{ surveys: Record<string, unknown>[] }>()
    const served = config.surveys.find((candidate) => candidate.id === 'delivery')!
    expect(served).toMatchObject({ sampling: { key: 1, default: 0.1 }, cooldownDays: 90 })
    expect(served).not.toHaveProperty('goal')
    expect(served).not.toHaveProperty('maxAnswersPerVisitor')
    expect(JSON.stringify(config)).not.toContain('dimensionWeights')

    const replaced = await asOperator(`/v1/sites/${site}/surveys/delivery`, token, { method: 'PUT', body: JSON.stringify({ ...survey, cooldownDays: 30 }) })
    expect(replaced.status).toBe(200)
    const typeChange = await asOperator(`/v1/sites/${site}/surveys/delivery`, token, { method: 'PUT', body: JSON.stringify({ ...survey, type: 'csat' }) })
    expect(typeChange.status).toBe(409)
    expect((await asOperator(`/v1/sites/${site}/surveys/delivery`, token, { method: 'DELETE' })).status).toBe(204)
    expect((await asOperator(`/v1/sites/${site}/surveys/delivery`, token)).status).toBe(404)
  })

  it.each([
    [{ type: 'stars', checkpoints: ['a'], question: { en: 'q' } }, 'type'],
    [{ type: 'nps', checkpoints: [], question: { en: 'q' } }, 'checkpoints'],
    [{ type: 'nps', checkpoints: ['a'], question: { 'zh-CN': 'q' } }, 'question.en'],
    [{ type: 'nps', checkpoints: ['a'], question: { en: 'q' }, sampling: { key: 2 } }, 'sampling.key'],
    [{ type: 'nps', checkpoints: ['a'], question: { en: 'q' }, targeting: { conditions: [{ prop: 'a', op: 'like', value: 1 }] } }, 'targeting.conditions[0].op'],
    [{ type: 'nps', checkpoints: ['a'], question: { en: 'q' }, placement: 'inline' }, 'container'],
    [{ type: 'nps', checkpoints: ['a'], question: { en: 'q' }, dimensionWeights: { speed: 1 } }, 'dimensionWeights.speed'],
    [{ type: 'nps', checkpoints: ['a'], question: { en: 'q' }, targeting: { segments: ['key'] } }, 'targeting.segments'],
    [{ type: 'nps', checkpoints: ['a'], question: { en: 'q' }, sampling: { key: 0.5 } }, 'sampling.key'],
  ])('reject %j naming %s', async (body, field) => {
    const { site, token } = await freshSite()
    const reply = await asOperator(`/v1/sites/${site}/surveys/bad`, token, { method: 'PUT', body: JSON.stringify(body) })
    expect(reply.status).toBe(400)
    expect((await reply.json<{ error: { field: string } }>()).error.field).toBe(field)
  })
})

describe('segments a survey names', () => {
  const survey = (targeting: object, sampling?: object) =>
    JSON.stringify({ type: 'nps', checkpoints: ['order_completed'], question: { en: 'q' }, targeting, ...(sampling && { sampling }) })

  it('must be defined by the site first, and the refusal says which and what the site defines', async () => {
    const { site, token } = await freshSite({ segments: [{ id: 'new', when: [{ prop: 'accountAgeDays', op: 'lte', value: 30 }] }] })
    const refused = await asOperator(`/v1/sites/${site}/surveys/vip`, token, { method: 'PUT', body: survey({ segments: ['new', 'key', 'vip'] }) })
    expect(refused.status).toBe(400)
    expect((await refused.json<{ error: { code: string; field: string; message: string } }>()).error).toEqual({
      code: 'invalid_field',
      field: 'targeting.segments',
      message: "targeting.segments names segments the site does not define: key, vip (it defines: new, other); add them to the site's settings.segments first",
    })
    expect((await asOperator(`/v1/sites/${site}/surveys/vip`, token)).status).toBe(404)

    // `other` (visitors no rule matches) and sampling's `default` need no definition.
    const accepted = await asOperator(`/v1/sites/${site}/surveys/vip`, token, { method: 'PUT', body: survey({ segments: ['new', 'other'] }, { new: 1, other: 0.5, default: 0.1 }) })
    expect(accepted.status).toBe(201)
  })

  it('stay defined while a survey names them: a site update that drops one is refused and changes nothing', async () => {
    const segments = [{ id: 'new', when: [{ prop: 'accountAgeDays', op: 'lte', value: 30 }] }, { id: 'key', when: [{ prop: 'plan', op: 'eq', value: 'gold' }] }]
    const { site, token } = await freshSite({ segments })
    expect((await asOperator(`/v1/sites/${site}/surveys/vip`, token, { method: 'PUT', body: survey({ segments: ['key'] }, { new: 0.5 }) })).status).toBe(201)
    const current = await (await asOperator(`/v1/sites/${site}`, token)).json<{ name: string; origins: string[] }>()
    const update = (kept: typeof segments) =>
      asOperator(`/v1/sites/${site}`, token, { method: 'PUT', body: JSON.stringify({ name: current.name, origins: current.origins, settings: { segments: kept } }) })
    const refused = await update([segments[0]!])
    expect(refused.status).toBe(400)
    expect((await refused.json<{ error: { field: string; message: string } }>()).error).toMatchObject({ field: 'settings.segments', message: expect.stringContaining('must keep key: survey vip') })
    expect((await update([segments[1]!])).status).toBe(400)
    const config = await (await call(`/v1/sites/${site}/config`, { headers: { origin: ORIGIN } })).json<{ segments: { id: string }[] }>()
    expect(config.segments.map((segment) => segment.id)).toEqual(['new', 'key'])
    // Adding one, or keeping both, is fine.
    expect((await update([...segments, { id: 'vip', when: [{ prop: 'plan', op: 'eq', value: 'vip' }] }])).status).toBe(200)
  })
})

describe('the demo token', () => {
  it('works only when the worker runs as development', async () => {
    const hash = await sha256Hex('dev-operator-token')
    expect(await isSiteToken({ HEARKEN_ENV: 'development' } as Env, hash, 'dev-operator-token')).toBe(true)
    expect(await isSiteToken({ HEARKEN_ENV: 'production' } as Env, hash, 'dev-operator-token')).toBe(false)
  })
})
