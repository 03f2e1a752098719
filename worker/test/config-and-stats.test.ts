import { describe, expect, it } from 'vitest'
import { ORIGIN, TOKEN, asOperator, call, freshSite, npsResponse, post, stats } from './helpers.ts'

describe('GET /v1/sites/:site/config', () => {
  it('serves the public survey config, without secrets, with an ETag that revalidates to 304', async () => {
    const reply = await call('/v1/sites/pk_demo/config', { headers: { origin: ORIGIN } })
    expect(reply.status).toBe(200)
    expect(reply.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(reply.headers.get('cache-control')).toContain('max-age')
    const text = await reply.text()
    expect(text).not.toContain(TOKEN)
    expect(text).not.toMatch(/token/i)
    const config = JSON.parse(text)
    expect(config.surveys.map((survey: { id: string }) => survey.id).sort()).toEqual(['post-purchase-nps', 'support-csat'])
    const etag = reply.headers.get('etag')!
    const again = await call('/v1/sites/pk_demo/config', { headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)
  })

  it('is a 404 for an unknown site, which the asking page can read', async () => {
    const reply = await call('/v1/sites/pk_nobody/config', { headers: { origin: ORIGIN } })
    expect(reply.status).toBe(404)
    expect(reply.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect((await reply.json<{ error: { code: string } }>()).error.code).toBe('unknown_site')
  })

  it('refuses a page on an origin the site does not list, saying so, uncached; a listed origin added later works at once', async () => {
    const { site, token } = await freshSite()
    const elsewhere = 'http://localhost:5173'
    const refused = await call(`/v1/sites/${site}/config`, { headers: { origin: elsewhere } })
    expect(refused.status).toBe(403)
    expect(refused.headers.get('access-control-allow-origin')).toBe(elsewhere)
    expect(refused.headers.get('cache-control')).toBe('no-store')
    expect((await refused.json<{ error: { message: string } }>()).error.message).toBe(`site ${site} does not allow the origin ${elsewhere}: add it to the site's origins`)

    const update = await asOperator(`/v1/sites/${site}`, token, { method: 'PUT', body: JSON.stringify({ name: 'Test shop', origins: [ORIGIN, elsewhere] }) })
    expect(update.status).toBe(200)
    const allowed = await call(`/v1/sites/${site}/config`, { headers: { origin: elsewhere } })
    expect(allowed.status).toBe(200)
    expect(allowed.headers.get('access-control-allow-origin')).toBe(elsewhere)
  })
})

describe('GET /v1/sites/:site/stats', () => {
  it('needs the operator token: 401 without, 403 with a wrong one', async () => {
    expect((await call('/v1/sites/pk_demo/stats?survey=post-purchase-nps')).status).toBe(401)
    const wrong = await call('/v1/sites/pk_demo/stats?survey=post-purchase-nps', { headers: { authorization: 'Bearer nope' } })
    expect(wrong.status).toBe(403)
  })

  it('asks for a survey and names unknown ones', async () => {
    const auth = { headers: { authorization: `Bearer ${TOKEN}` } }
    expect((await call('/v1/sites/pk_demo/stats', auth)).status).toBe(400)
    expect((await call('/v1/sites/pk_demo/stats?survey=nope', auth)).status).toBe(404)
  })

  it('reports CSAT for a CSAT survey, counting each new answer in its band', async () => {
    const before = await stats('support-csat')
    expect(before.type).toBe('csat')
    expect(before).not.toHaveProperty('nps')
    for (const score of [5, 2]) {
      expect((await post('/v1/responses', npsResponse({ survey: 'support-csat', checkpoint: 'ticket_closed', score }))).status).toBe(201)
    }
    const after = await stats('support-csat')
    expect(after.csat).toMatchObject({ n: before.csat!.n + 2, satisfied: before.csat!.satisfied + 1 })
  })
})

describe('unknown routes', () => {
  it('answer a JSON 404', async () => {
    const reply = await call('/v1/nope')
    expect(reply.status).toBe(404)
    expect((await reply.json<{ error: { code: string } }>()).error.code).toBe('not_found')
  })
})
