import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { AlertMessage } from '../src/alerts.ts'
import { ORIGIN, asOperator, call, fixedWindowLimiter, freshSite, postWith, recordingQueue, statsOf } from './helpers.ts'

/** Follow-ups and high-risk alerts decided from stored answers; who an answer is about. */
const WORKER_ORIGIN = 'https://hearken.test'
const uuid = () => crypto.randomUUID()
let address = 0
const bindings = () => ({ FLOOD_LIMITER: fixedWindowLimiter(1_000_000, 60_000, () => 0), ALERTS: recordingQueue<AlertMessage>() })
const fresh = () => ({ 'cf-connecting-ip': `192.0.2.${++address % 250}` })

async function withWebhook() {
  const made = await freshSite()
  const reply = await asOperator(`/v1/sites/${made.site}/webhooks/team`, made.token, { method: 'PUT', body: JSON.stringify({ url: `${env.RECEIVER_URL}/json`, format: 'json' }) })
  expect(reply.status).toBeLessThan(300)
  return made
}

const followUpOf = (site: string, id: string) =>
  env.DB.prepare('SELECT status, due_at, created_at FROM follow_ups WHERE site_id = ? AND response_id = ?').bind(site, id).first<{ status: string; due_at: number; created_at: number }>()

describe('follow-ups', () => {
  it('are never opened by flagged answers (bot, fast, repeat, incomplete)', async () => {
    const { site } = await freshSite()
    const bound = bindings()
    const unhappy = (extra: Record<string, unknown> = {}) => ({ id: uuid(), site, survey: 'nps', score: 1, visitor: `f${uuid().slice(0, 6)}`, elapsedMs: 3000, ...extra })
    const real = unhappy({ visitor: 'twice' })
    const cases = [
      [unhappy(), { 'user-agent': 'curl/8.4.0' }],
      [unhappy({ elapsedMs: 200 }), {}],
      [unhappy({ visitor: undefined }), {}],
      [real, {}],
      [unhappy({ visitor: 'twice' }), {}],
    ] as const
    for (const [body, headers] of cases) expect((await postWith(bound, '/v1/responses', body, { ...fresh(), ...headers })).status).toBe(201)
    const { results } = await env.DB.prepare('SELECT response_id FROM follow_ups WHERE site_id = ?').bind(site).all<{ response_id: string }>()
    expect(results.map((row) => row.response_id)).toEqual([real.id])
  })

  it('opened by hand on an answer without one are due after the survey’s followUpHours', async () => {
    const { site, token } = await freshSite()
    const survey = await (await asOperator(`/v1/sites/${site}/surveys/nps`, token)).json<Record<string, unknown>>()
    const { id: _id, ...definition } = survey
    expect((await asOperator(`/v1/sites/${site}/surveys/nps`, token, { method: 'PUT', body: JSON.stringify({ ...definition, followUpHours: 6 }) })).status).toBeLessThan(300)
    const happy = { id: uuid(), site, survey: 'nps', score: 10, visitor: 'glad', elapsedMs: 3000 }
    await postWith(bindings(), '/v1/responses', happy, fresh())
    const before = Date.now()
    const patched = await asOperator(`/v1/sites/${site}/responses/${happy.id}`, token, { method: 'PATCH', body: JSON.stringify({ assignee: 'li@support' }) })
    const { followUp } = await patched.json<{ followUp: { dueAt: string } }>()
    const due = Date.parse(followUp.dueAt) - before
    expect(due).toBeGreaterThanOrEqual(6 * 3600_000 - 1000)
    expect(due).toBeLessThanOrEqual(6 * 3600_000 + 1000)
  })
})

describe('high-risk alerts', () => {
  it('count unhappy answers themselves: a follow-up opened by hand on a happy answer does not make the next unhappy one a second', async () => {
    const { site, token } = await withWebhook()
    const bound = bindings()
    const happy = { id: uuid(), site, survey: 'nps', score: 10, visitor: 'mixed', user: 'u-1', elapsedMs: 3000 }
    await postWith(bound, '/v1/responses', happy, fresh())
    await asOperator(`/v1/sites/${site}/responses/${happy.id}`, token, { method: 'PATCH', body: JSON.stringify({ note: 'Asked for a call' }) })
    await postWith(bound, '/v1/responses', { id: uuid(), site, survey: 'nps', score: 2, visitor: 'mixed-2', user: 'u-1', elapsedMs: 3000 }, fresh())
    expect(bound.ALERTS.sent.map((message) => message.body.kind)).toEqual(['negative'])
  })

  it('count only answers that passed the abuse checks, by visitor or user id, and fire on the second', async () => {
    const { site } = await withWebhook()
    const bound = bindings()
    // A bot's unhappy answer claiming the user: flagged, so it counts for nothing.
    await postWith(bound, '/v1/responses', { id: uuid(), site, survey: 'nps', score: 0, visitor: 'forger', user: 'u-9', elapsedMs: 3000 }, { ...fresh(), 'user-agent': 'python-requests/2.31' })
    const first = { id: uuid(), site, survey: 'nps', score: 3, visitor: 'device-a', user: 'u-9', elapsedMs: 3000 }
    await postWith(bound, '/v1/responses', first, fresh())
    expect(bound.ALERTS.sent.map((message) => message.body.kind)).toEqual(['negative'])
    const second = { id: uuid(), site, survey: 'csat', score: 1, visitor: 'device-b', user: 'u-9', elapsedMs: 3000 }
    await postWith(bound, '/v1/responses', second, fresh())
    expect(bound.ALERTS.sent.map((message) => [message.body.kind, message.body.response])).toEqual([['negative', first.id], ['negative', second.id], ['high_risk', second.id]])
  })
})

describe('survey links', () => {
  async function link(site: string, token: string) {
    const reply = await asOperator(`/v1/sites/${site}/links`, token, { method: 'POST', body: JSON.stringify({ survey: 'nps', user: 'u-link', subject: 'ORDER-7' }) })
    return (await reply.json<{ token: string }>()).token
  }
  const pageData = async (path: string) => {
    const text = await (await call(path)).text()
    return JSON.parse(/<script type="application\/json" id="hearken-link">(.*?)<\/script>/s.exec(text)![1]!) as { responseId: string }
  }

  it('record nothing from a page load: an answer without the time of the person’s choice is refused', async () => {
    const { site, token } = await freshSite()
    const tokenText = await link(site, token)
    const { responseId } = await pageData(`/s/${tokenText}?score=0`)
    const reply = await postWith(bindings(), '/v1/responses', { id: responseId, site, survey: 'nps', score: 0, link: tokenText }, { ...fresh(), origin: WORKER_ORIGIN })
    expect(reply.status).toBe(400)
    expect((await reply.json<{ error: { code: string; field: string } }>()).error).toMatchObject({ code: 'gesture_required', field: 'elapsedMs' })
    expect((await statsOf(site, token, 'survey=nps&flagged=include')).nps!.n).toBe(0)
  })

  it('re-evaluate the open follow-up when the person answers again, and keep the link’s subject', async () => {
    const { site, token } = await freshSite()
    const tokenText = await link(site, token)
    const { responseId } = await pageData(`/s/${tokenText}`)
    const answer = (score: number, elapsedMs = 3000) => postWith(bindings(), '/v1/responses', { id: responseId, site, survey: 'nps', score, link: tokenText, elapsedMs, subject: 'FORGED' }, { ...fresh(), origin: WORKER_ORIGIN })
    // A scanner clicking fast: flagged, no follow-up.
    expect((await answer(0, 150)).status).toBe(201)
    expect(await followUpOf(site, responseId)).toBeNull()
    // The person: unhappy, unflagged now, so a follow-up opens.
    expect(await (await answer(2)).json()).toEqual({ id: responseId, status: 'updated' })
    expect(await followUpOf(site, responseId)).toMatchObject({ status: 'open' })
    // Changes their mind: the untouched follow-up goes.
    await answer(9)
    expect(await followUpOf(site, responseId)).toBeNull()
    const row = await env.DB.prepare('SELECT score, flags, subject, user_id FROM responses WHERE site_id = ? AND id = ?').bind(site, responseId).first()
    expect(row).toEqual({ score: 9, flags: '', subject: 'ORDER-7', user_id: 'u-link' })
    // A follow-up the team has taken up stays whatever the score.
    await answer(1)
    await asOperator(`/v1/sites/${site}/responses/${responseId}`, token, { method: 'PATCH', body: JSON.stringify({ status: 'in_progress' }) })
    await answer(10)
    expect(await followUpOf(site, responseId)).toMatchObject({ status: 'in_progress' })
  })
})

describe('subjects', () => {
  it('come from the checkpoint prop the site names (served in the config), and are not kept when it names none', async () => {
    const { site, token } = await freshSite()
    const bound = bindings()
    const plain = { id: uuid(), site, survey: 'nps', score: 8, visitor: 's1', elapsedMs: 3000, subject: 'A-1' }
    await postWith(bound, '/v1/responses', plain, fresh())
    const put = await asOperator(`/v1/sites/${site}`, token, { method: 'PUT', body: JSON.stringify({ name: 'Test shop', origins: [ORIGIN], settings: { subjectProps: ['orderId', 'ticketId'] } }) })
    expect(put.status).toBe(200)
    expect((await asOperator(`/v1/sites/${site}`, token, { method: 'PUT', body: JSON.stringify({ name: 'x', origins: [ORIGIN], settings: { subjectProps: ['has space'] } }) })).status).toBe(400)
    const config = await (await call(`/v1/sites/${site}/config`, { headers: { origin: ORIGIN } })).json<{ subjectProps?: string[] }>()
    expect(config.subjectProps).toEqual(['orderId', 'ticketId'])
    const named = { id: uuid(), site, survey: 'nps', score: 8, visitor: 's2', elapsedMs: 3000, subject: 'ORDER-2002' }
    await postWith(bound, '/v1/responses', named, fresh())
    // A prop as the page gave it: a number is kept as its text.
    const numeric = { ...named, id: uuid(), visitor: 's4', subject: 2003 }
    expect((await postWith(bound, '/v1/responses', numeric, fresh())).status).toBe(201)
    const long = { ...named, id: uuid(), visitor: 's3', subject: `R-${'7'.repeat(200)}` }
    expect((await postWith(bound, '/v1/responses', long, fresh())).status).toBe(201)
    // Longer than any limit the answer has, with an emoji (two UTF-16 units) across the cut: stored, cut after the whole emoji.
    const emoji = { ...named, id: uuid(), visitor: 's5', subject: `${'订'.repeat(127)}😀${'x'.repeat(3000)}` }
    expect((await postWith(bound, '/v1/responses', emoji, fresh())).status).toBe(201)
    const subjects = await env.DB.prepare('SELECT id, subject FROM responses WHERE site_id = ?').bind(site).all<{ id: string; subject: string | null }>()
    expect(Object.fromEntries(subjects.results.map((row) => [row.id, row.subject]))).toEqual({
      [plain.id]: null,
      [named.id]: 'ORDER-2002',
      [numeric.id]: '2003',
      [long.id]: long.subject.slice(0, 128),
      [emoji.id]: `${'订'.repeat(127)}😀`,
    })
    // No half of a surrogate pair is left at the end of a cut.
    expect(subjects.results.every((row) => row.subject === null || !/[\ud800-\udbff]$/.test(row.subject))).toBe(true)
  })
})

describe('response rates', () => {
  it('leave out the same visitors on both sides: a repeat impression is flagged like a repeat answer', async () => {
    const { site, token } = await freshSite()
    const bound = bindings()
    const shown = (visitor: string) => postWith(bound, '/v1/impressions', { id: uuid(), site, survey: 'nps', kind: 'shown', visitor }, fresh())
    await shown('r1')
    await shown('r1')
    await shown('r2')
    await postWith(bound, '/v1/responses', { id: uuid(), site, survey: 'nps', score: 9, visitor: 'r1', elapsedMs: 3000 }, fresh())
    await postWith(bound, '/v1/responses', { id: uuid(), site, survey: 'nps', score: 9, visitor: 'r1', elapsedMs: 3000 }, fresh())
    expect((await statsOf(site, token, 'survey=nps')).responseRate).toEqual({ shown: 2, answered: 1, rate: 50 })
    expect((await statsOf(site, token, 'survey=nps&flagged=include')).responseRate).toEqual({ shown: 3, answered: 2, rate: 66.7 })
    const flags = await env.DB.prepare('SELECT flags FROM impressions WHERE site_id = ? ORDER BY created_at, flags').bind(site).all<{ flags: string }>()
    expect(flags.results.map((row) => row.flags).sort()).toEqual(['', '', 'repeat'])
  })
})
