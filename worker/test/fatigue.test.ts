import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { FatigueResult, SiteConfig } from '../../sdk/protocol.ts'
import { SCORE_CHANGE_WINDOW_MS, storeResponse } from '../src/ingest.ts'
import { findSite } from '../src/sites.ts'
import { findSurvey } from '../src/surveys.ts'
import { asOperator, call, freshSite, ORIGIN, post, statsOf } from './helpers.ts'

/** Asks the worker, as the SDK does, whether `user` may be asked `survey`. */
async function mayAsk(site: string, user: string, survey = 'nps', headers: Record<string, string> = {}): Promise<FatigueResult> {
  const reply = await post('/v1/fatigue', { site, user, survey }, { 'content-type': 'text/plain;charset=UTF-8', ...headers })
  expect(reply.status).toBe(200)
  expect(reply.headers.get('cache-control')).toBe('no-store')
  return reply.json<FatigueResult>()
}

const shown = (site: string, user: string, survey = 'nps') =>
  post('/v1/impressions', { id: crypto.randomUUID(), site, survey, kind: 'shown', visitor: `v-${crypto.randomUUID().slice(0, 8)}`, user })

async function linkPage(site: string, token: string, user: string) {
  const minted = await asOperator(`/v1/sites/${site}/links`, token, { method: 'POST', body: JSON.stringify({ survey: 'nps', user }) })
  expect(minted.status).toBe(201)
  const { token: linkToken } = await minted.json<{ token: string }>()
  const page = await call(`/s/${linkToken}`)
  return { linkToken, status: page.status, text: await page.text() }
}

describe('fatigue across devices', () => {
  it('says a user shown a card on one device is not to be asked on another within the site’s cap', async () => {
    const { site } = await freshSite({ capDays: 30 })
    expect(await mayAsk(site, 'user-1')).toEqual({ ask: true })
    expect((await shown(site, 'user-1')).status).toBe(201)
    expect(await mayAsk(site, 'user-1')).toEqual({ ask: false, reason: 'fatigue' })
    // The cap is for every survey of the site, and only for this user.
    expect(await mayAsk(site, 'user-1', 'csat')).toEqual({ ask: false, reason: 'fatigue' })
    expect(await mayAsk(site, 'user-2')).toEqual({ ask: true })
  })

  it('counts an answer as much as a card shown, and holds a survey for its own cooldown', async () => {
    const { site, token } = await freshSite()
    await asOperator(`/v1/sites/${site}/surveys/csat`, token, {
      method: 'PUT',
      body: JSON.stringify({ id: 'csat', type: 'csat', checkpoints: ['ticket_closed'], question: { en: 'How satisfied are you?' }, cooldownDays: 7 }),
    })
    const answered = await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'csat', score: 4, visitor: 'v-answer', elapsedMs: 3000, user: 'user-3' })
    expect(answered.status).toBe(201)
    expect(await mayAsk(site, 'user-3', 'csat')).toEqual({ ask: false, reason: 'cooldown' })
    // No site cap here: another survey may still be asked.
    expect(await mayAsk(site, 'user-3', 'nps')).toEqual({ ask: true })
  })

  it('lets the user be asked again once the cap has passed', async () => {
    const { site } = await freshSite({ capDays: 30 })
    const survey = (await findSurvey(env.DB, site, 'nps'))!
    const stored = await findSite(env.DB, site)
    const old = Date.now() - 31 * 864e5
    await storeResponse(env.DB, stored!, survey, { id: crypto.randomUUID(), site, survey: 'nps', score: 9, user: 'user-4' }, {}, old)
    await env.DB.prepare("INSERT INTO user_asks (site_id, user_id, survey_id, channel, asked_at) VALUES (?, 'user-4', 'nps', 'web', ?)").bind(site, old).run()
    expect(await mayAsk(site, 'user-4')).toEqual({ ask: true })
  })

  it('answers only the site’s own origins, and says clearly what is wrong with a bad request', async () => {
    const { site } = await freshSite({ capDays: 30 })
    const foreign = await post('/v1/fatigue', { site, user: 'u', survey: 'nps' }, { origin: 'https://evil.example' })
    expect(foreign.status).toBe(403)
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull()
    const missing = await post('/v1/fatigue', { site, survey: 'nps' })
    expect(missing.status).toBe(400)
    expect(await missing.json()).toMatchObject({ error: { field: 'user' } })
    expect((await post('/v1/fatigue', { site: 'pk_nowhere', user: 'u', survey: 'nps' })).status).toBe(404)
    expect((await post('/v1/fatigue', { site, user: 'u', survey: 'nope' })).status).toBe(404)
    const allowed = await post('/v1/fatigue', { site, user: 'u', survey: 'nps' })
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN)
  })
})

describe('survey links and fatigue', () => {
  it('thank a person asked on the web within the cap instead of asking again, and record nothing', async () => {
    const { site, token } = await freshSite({ capDays: 30 })
    await shown(site, 'user-5')
    const page = await linkPage(site, token, 'user-5')
    expect(page.status).toBe(200)
    expect(page.text).toContain('Thank you, we asked you recently')
    expect(page.text).not.toContain('/link.js')
    expect((await statsOf(site, token, 'survey=nps')).responseRate.shown).toBe(1)
  })

  it('let a person open their own link again after answering through it, and count the link towards other devices', async () => {
    const { site, token } = await freshSite({ capDays: 30 })
    const first = await linkPage(site, token, 'user-6')
    expect(first.text).toContain('/link.js')
    const data = JSON.parse(/id="hearken-link">(.*?)<\/script>/s.exec(first.text)![1]!) as { responseId: string }
    const linkOrigin = { origin: 'https://hearken.test' }
    expect((await post('/v1/responses', { id: data.responseId, site, survey: 'nps', score: 3, link: first.linkToken, elapsedMs: 3000 }, linkOrigin)).status).toBe(201)
    expect((await call(`/s/${first.linkToken}`).then((reply) => reply.text()))).toContain('/link.js')
    expect(await mayAsk(site, 'user-6')).toEqual({ ask: false, reason: 'fatigue' })
    const second = await linkPage(site, token, 'user-6')
    expect(second.text).toContain('Thank you, we asked you recently')
  })
})

describe('the card’s language', () => {
  it('comes with the config, nearest to the language asked for, with Arabic right to left', async () => {
    const config = async (lang?: string) =>
      (await call(`/v1/sites/pk_demo/config${lang === undefined ? '' : `?lang=${encodeURIComponent(lang)}`}`).then((reply) => reply.json<SiteConfig>())).language
    expect(await config('ja-JP')).toMatchObject({ locale: 'ja', dir: 'ltr', texts: { send: '送信' } })
    expect(await config('zh-Hant-HK')).toMatchObject({ locale: 'zh-TW', texts: { send: '送出' } })
    expect(await config('ar-EG')).toMatchObject({ locale: 'ar', dir: 'rtl', texts: { send: 'إرسال' } })
    expect(await config('pt-BR')).toMatchObject({ locale: 'en', texts: { send: 'Send' } })
    expect(await config()).toMatchObject({ locale: 'en' })
  })
})

describe('changing a score', () => {
  it('moves an answer from a page to its new score within the window, for the same visitor only', async () => {
    const { site, token } = await freshSite()
    const id = crypto.randomUUID()
    const answer = { id, site, survey: 'nps', score: 3, visitor: 'v-change', elapsedMs: 3000 }
    expect((await post('/v1/responses', answer)).status).toBe(201)
    const changed = await post('/v1/responses', { ...answer, score: 9 })
    expect(await changed.json()).toEqual({ id, status: 'updated' })
    expect((await statsOf(site, token, 'survey=nps')).nps).toMatchObject({ n: 1, promoters: 1, detractors: 0 })
    // Anyone else posting its id gets a 409 and changes nothing (issue 13).
    const stranger = await post('/v1/responses', { ...answer, score: 0, visitor: 'v-stranger', elapsedMs: 3000 })
    expect(stranger.status).toBe(409)
    expect((await stranger.json<{ error: { code: string } }>()).error.code).toBe('id_taken')
    expect((await statsOf(site, token, 'survey=nps')).nps).toMatchObject({ n: 1, promoters: 1 })
  })

  it('keeps the score of an answer older than the window', async () => {
    const { site, token } = await freshSite()
    const survey = (await findSurvey(env.DB, site, 'nps'))!
    const stored = (await findSite(env.DB, site))!
    const answer = { id: crypto.randomUUID(), site, survey: 'nps', score: 3, visitor: 'v-late', elapsedMs: 3000 }
    await storeResponse(env.DB, stored, survey, answer, {}, Date.now() - SCORE_CHANGE_WINDOW_MS - 1000)
    expect(await (await post('/v1/responses', { ...answer, score: 10 })).json()).toMatchObject({ status: 'duplicate' })
    expect((await statsOf(site, token, 'survey=nps')).nps).toMatchObject({ n: 1, detractors: 1 })
  })
})

describe('user ids that are personal data', () => {
  it('are kept masked, as answers keep them, and still find the person', async () => {
    const { site } = await freshSite({ capDays: 30 })
    expect((await shown(site, 'zhang.wei@example.com')).status).toBe(201)
    const { results } = await env.DB.prepare('SELECT user_id FROM user_asks WHERE site_id = ?').bind(site).all<{ user_id: string }>()
    expect(results).toHaveLength(1)
    expect(results[0]!.user_id).not.toContain('zhang')
    expect(results[0]!.user_id).not.toContain('@')
    expect(await mayAsk(site, 'zhang.wei@example.com')).toEqual({ ask: false, reason: 'fatigue' })
    expect(await mayAsk(site, 'li.na@example.com')).toEqual({ ask: true })
  })
})

describe('erasing a person', () => {
  it('forgets when they were asked, so no device holds them back any more', async () => {
    const { site, token } = await freshSite({ capDays: 30 })
    await shown(site, 'user-7')
    expect(await mayAsk(site, 'user-7')).toMatchObject({ ask: false })
    expect((await asOperator(`/v1/sites/${site}/people/user-7`, token, { method: 'DELETE' })).status).toBe(200)
    expect(await mayAsk(site, 'user-7')).toEqual({ ask: true })
  })
})
