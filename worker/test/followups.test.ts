import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { storeResponse } from '../src/ingest.ts'
import { listContext, listResponses } from '../src/responses.ts'
import { findSite } from '../src/sites.ts'
import { findSurvey } from '../src/surveys.ts'
import { asOperator, freshSite, post } from './helpers.ts'

const HOUR = 3600_000

type Listed = { responses: { id: string; createdAt: string; tags: string[]; followUp: { status: string; assignee: string | null; notes: { text: string }[]; dueAt: string; overdue: boolean } | null }[] }

describe('follow-ups', () => {
  it('open for unhappy answers only, due 48 hours after the answer', async () => {
    const { site, token } = await freshSite()
    const unhappy = { id: crypto.randomUUID(), site, survey: 'nps', score: 6, visitor: 'f1', elapsedMs: 3000 }
    const passive = { id: crypto.randomUUID(), site, survey: 'nps', score: 7, visitor: 'f2', elapsedMs: 3000 }
    await post('/v1/responses', unhappy)
    await post('/v1/responses', passive)
    await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'csat', score: 2, visitor: 'f3', elapsedMs: 3000 })
    await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'nps', score: 0, visitor: 'f4', elapsedMs: 3000 }, { 'user-agent': 'curl/8.0' })
    const listed: Listed = await (await asOperator(`/v1/sites/${site}/responses?followUp=open`, token)).json()
    expect(listed.responses).toHaveLength(2)
    const nps = listed.responses.find((response) => response.id === unhappy.id)!
    // Due 48 hours after the answer itself, to the millisecond.
    expect(Date.parse(nps.followUp!.dueAt) - Date.parse(nps.createdAt)).toBe(48 * HOUR)
    expect(nps.followUp).toMatchObject({ status: 'open', assignee: null, notes: [], overdue: false })
    expect(listed.responses.map((response) => response.id)).not.toContain(passive.id)
  })

  it('are overdue from their due time on, and listed as such, on a clock the test sets', async () => {
    const { site } = await freshSite()
    const siteRow = (await findSite(env.DB, site))!
    const answeredAt = Date.UTC(2026, 2, 1, 9)
    const id = crypto.randomUUID()
    await storeResponse(env.DB, siteRow, (await findSurvey(env.DB, site, 'nps'))!, { id, site, survey: 'nps', score: 3, visitor: 'late1', elapsedMs: 3000 }, {}, answeredAt)
    const context = await listContext(env.DB, siteRow)
    const at = async (now: number) => {
      const all = await listResponses(env.DB, site, context, { flagged: 'include' }, 10, undefined, now)
      const overdue = await listResponses(env.DB, site, context, { flagged: 'include', followUp: 'overdue' }, 10, undefined, now)
      return { flag: all.responses[0]!.followUp!.overdue, listed: overdue.responses.map((response) => response.id) }
    }
    expect(await at(answeredAt + 48 * HOUR - 1)).toEqual({ flag: false, listed: [] })
    expect(await at(answeredAt + 48 * HOUR + 1)).toEqual({ flag: true, listed: [id] })
  })

  it('are moved along by PATCH: status, assignee, notes', async () => {
    const { site, token } = await freshSite()
    const answer = { id: crypto.randomUUID(), site, survey: 'nps', score: 2, visitor: 'p1', elapsedMs: 3000 }
    await post('/v1/responses', answer)
    const patch = (body: unknown) => asOperator(`/v1/sites/${site}/responses/${answer.id}`, token, { method: 'PATCH', body: JSON.stringify(body) })
    expect((await patch({ status: 'in_progress', assignee: 'mei@support' })).status).toBe(200)
    const noted = await (await patch({ note: 'Called the customer, refund sent' })).json<{ followUp: Listed['responses'][0]['followUp'] }>()
    expect(noted.followUp).toMatchObject({ status: 'in_progress', assignee: 'mei@support', notes: [{ text: 'Called the customer, refund sent' }] })
    const resolved = await (await patch({ status: 'resolved', assignee: '' })).json<{ followUp: { status: string; assignee: null } }>()
    expect(resolved.followUp).toMatchObject({ status: 'resolved', assignee: null })
    expect((await patch({ status: 'done' })).status).toBe(400)
    expect((await patch({})).status).toBe(400)
    expect((await asOperator(`/v1/sites/${site}/responses/${crypto.randomUUID()}`, token, { method: 'PATCH', body: '{"status":"open"}' })).status).toBe(404)
    const listed: Listed = await (await asOperator(`/v1/sites/${site}/responses?followUp=resolved`, token)).json()
    expect(listed.responses.map((response) => response.id)).toEqual([answer.id])
  })

  it('lists by band and by tag', async () => {
    const { site, token } = await freshSite()
    await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'nps', score: 1, comment: '快递太慢了', visitor: 't1', elapsedMs: 3000 })
    await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'nps', score: 10, comment: 'Great quality, 100% off_ok', visitor: 't2', elapsedMs: 3000 })
    const detractors: Listed = await (await asOperator(`/v1/sites/${site}/responses?survey=nps&band=detractor`, token)).json()
    expect(detractors.responses).toHaveLength(1)
    expect(detractors.responses[0]!.tags).toEqual(['problem', 'delivery'])
    const delivery: Listed = await (await asOperator(`/v1/sites/${site}/responses?tag=delivery`, token)).json()
    expect(delivery.responses).toHaveLength(1)
    const praise: Listed = await (await asOperator(`/v1/sites/${site}/responses?tag=praise`, token)).json()
    expect(praise.responses[0]!.tags).toEqual(['praise', 'quality'])
    expect((await asOperator(`/v1/sites/${site}/responses?band=detractor`, token)).status).toBe(400)
    expect((await asOperator(`/v1/sites/${site}/responses?tag=nope`, token)).status).toBe(400)
  })
})

describe('webhooks', () => {
  it('are added, listed without their secrets, replaced keeping the secret, and removed', async () => {
    const { site, token } = await freshSite()
    const put = (id: string, body: unknown) => asOperator(`/v1/sites/${site}/webhooks/${id}`, token, { method: 'PUT', body: JSON.stringify(body) })
    expect((await put('ops', { url: 'https://hooks.example.com/x', format: 'json', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })).status).toBe(201)
    expect((await put('ops', { url: 'https://hooks.example.com/y', format: 'json' })).status).toBe(200)
    const listed = await (await asOperator(`/v1/sites/${site}/webhooks`, token)).text()
    expect(listed).not.toContain('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')
    expect(JSON.parse(listed)).toEqual({ webhooks: [{ id: 'ops', url: 'https://hooks.example.com/y', format: 'json', hasSecret: true }] })
    expect(await (await asOperator(`/v1/sites/${site}`, token)).text()).not.toContain('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')
    expect((await put('bad', { url: 'ftp://x', format: 'json' })).status).toBe(400)
    expect((await put('bad', { url: 'https://x.example', format: 'pager' })).status).toBe(400)
    expect((await asOperator(`/v1/sites/${site}/webhooks/ops`, token, { method: 'DELETE' })).status).toBe(204)
    expect((await asOperator(`/v1/sites/${site}/webhooks/ops`, token, { method: 'DELETE' })).status).toBe(404)
  })
})
