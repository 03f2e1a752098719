import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { mintLink } from '../src/links.ts'
import { findSite } from '../src/sites.ts'
import { asOperator, call, freshSite, post, statsOf } from './helpers.ts'

const WORKER_ORIGIN = 'https://hearken.test'

async function linkFor(site: string, token: string, body: Record<string, unknown> = {}) {
  const reply = await asOperator(`/v1/sites/${site}/links`, token, { method: 'POST', body: JSON.stringify({ survey: 'nps', user: 'u-1', subject: 'A-1001', segment: 'key', checkpoint: 'order_shipped', ...body }) })
  expect(reply.status).toBe(201)
  return reply.json<{ token: string; url: string; expiresAt: string; emailHtml: string }>()
}

/** The data the link page hands its script. */
async function pageData(path: string) {
  const page = await call(path)
  const text = await page.text()
  const json = /<script type="application\/json" id="hearken-link">(.*?)<\/script>/s.exec(text)?.[1]
  return { page, text, data: json ? (JSON.parse(json) as { responseId: string; impressionId: string; initialScore?: number; survey: { placement: string } }) : null }
}

describe('survey links', () => {
  it('are minted by operators and open a page with the survey, under a strict CSP', async () => {
    const { site, token } = await freshSite()
    const link = await linkFor(site, token)
    expect(link.url).toBe(`${WORKER_ORIGIN}/s/${link.token}`)
    expect(link.token.length).toBeLessThan(60)
    const { page, data } = await pageData(`/s/${link.token}`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(data!.survey.placement).toBe('inline')
    expect(data!.initialScore).toBeUndefined()
    expect((await asOperator(`/v1/sites/${site}/links`, token, { method: 'POST', body: '{"survey":"nope"}' })).status).toBe(404)
    expect((await call(`/v1/sites/${site}/links`, { method: 'POST', body: '{"survey":"nps"}' })).status).toBe(401)
  })

  it('say clearly when tampered with, expired or withdrawn', async () => {
    const { site, token } = await freshSite()
    const link = await linkFor(site, token)
    const [id, expires, signature] = link.token.split('.')
    const tampered = await call(`/s/${id}.${(parseInt(expires!, 36) + 86400 * 365).toString(36)}.${signature}`)
    expect(tampered.status).toBe(400)
    expect(await tampered.text()).toContain('This survey link is not valid')
    expect((await call('/s/garbage')).status).toBe(400)

    // Minted in 2000 for a day: expired whenever this runs.
    const old = await mintLink(env, (await findSite(env.DB, site))!, { survey: 'nps', expiresInDays: 1 }, Date.UTC(2000, 0, 1))
    const expired = await call(`/s/${old.token}`, { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } })
    expect(expired.status).toBe(410)
    expect(await expired.text()).toContain('此问卷链接已过期')

    await env.DB.prepare('DELETE FROM links WHERE id = ?').bind(id).run()
    expect((await call(`/s/${link.token}`)).status).toBe(404)
  })

  it('record nothing when a mail scanner opens them: the page posts the score, not the GET', async () => {
    const { site, token } = await freshSite()
    const link = await linkFor(site, token)
    const { data } = await pageData(`/s/${link.token}?score=9`)
    expect(data!.initialScore).toBe(9)
    expect((await pageData(`/s/${link.token}?score=42`)).data!.initialScore).toBeUndefined()
    expect((await statsOf(site, token, 'survey=nps')).nps!.n).toBe(0)
  })

  it('answer once: a second answer through the link updates the first, with the link’s who and what', async () => {
    const { site, token } = await freshSite()
    const link = await linkFor(site, token)
    const { data } = await pageData(`/s/${link.token}`)
    const answer = { id: data!.responseId, site, survey: 'nps', score: 9, link: link.token, elapsedMs: 3000 }
    const fromPage = { origin: WORKER_ORIGIN }
    expect((await post('/v1/impressions', { id: data!.impressionId, site, survey: 'nps', kind: 'shown', link: link.token }, fromPage)).status).toBe(201)
    expect((await post('/v1/impressions', { id: data!.impressionId, site, survey: 'nps', kind: 'shown', link: link.token }, fromPage)).status).toBe(200)
    expect((await post('/v1/responses', answer, fromPage)).status).toBe(201)
    const changed = await post('/v1/responses', { ...answer, score: 3, comment: 'Actually the box was wet' }, fromPage)
    expect(await changed.json()).toEqual({ id: answer.id, status: 'updated' })

    const stats = await statsOf(site, token, 'survey=nps')
    expect(stats.nps).toMatchObject({ n: 1, detractors: 1, promoters: 0 })
    expect(stats.responseRate).toMatchObject({ shown: 1, answered: 1 })
    expect(stats.bySegment.map((group) => group.key)).toEqual(['key'])
    const listed = await (await asOperator(`/v1/sites/${site}/responses`, token)).json<{ responses: { user: string; checkpoint: string; comment: string; followUp: unknown }[] }>()
    expect(listed.responses).toMatchObject([{ user: 'u-1', checkpoint: 'order_shipped', comment: 'Actually the box was wet', followUp: { status: 'open' } }])
  })

  it('refuse answers with another id, for another survey, or with a broken token', async () => {
    const { site, token } = await freshSite()
    const link = await linkFor(site, token)
    const { data } = await pageData(`/s/${link.token}`)
    const fromPage = { origin: WORKER_ORIGIN }
    expect((await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'nps', score: 9, link: link.token }, fromPage)).status).toBe(400)
    expect((await post('/v1/responses', { id: data!.responseId, site, survey: 'csat', score: 4, link: link.token }, fromPage)).status).toBe(403)
    expect((await post('/v1/responses', { id: data!.responseId, site, survey: 'nps', score: 9, link: `${link.token}x` }, fromPage)).status).toBe(403)
    // Without a link, the worker's own origin is not one of the site's.
    expect((await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'nps', score: 9, visitor: 'x1' }, fromPage)).status).toBe(403)
  })

  it('render an email row of score links that needs no JavaScript', async () => {
    const { site, token } = await freshSite()
    const link = await linkFor(site, token)
    const snippet = await (await asOperator(`/v1/sites/${site}/links/${link.token}/email.html`, token)).text()
    for (let score = 0; score <= 10; score++) expect(snippet).toContain(`href="${link.url}?score=${score}"`)
    expect(snippet).not.toContain('<script')
    expect(snippet).toContain('How likely are you to recommend us?')
  })

  it('escape what they show', async () => {
    const { site, token } = await freshSite()
    await asOperator(`/v1/sites/${site}`, token, { method: 'PUT', body: JSON.stringify({ name: '<img src=x onerror=alert(1)>', origins: ['http://127.0.0.1:8787'] }) })
    await asOperator(`/v1/sites/${site}/surveys/nps`, token, { method: 'PUT', body: JSON.stringify({ type: 'nps', checkpoints: ['a'], question: { en: 'Why?</script><script>alert(1)</script>' } }) })
    const link = await linkFor(site, token)
    const { text, data } = await pageData(`/s/${link.token}`)
    expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(text).not.toContain('<img src=x')
    expect(text.match(/<\/script>/g)).toHaveLength(2)
    expect(data).not.toBeNull()
  })
})
