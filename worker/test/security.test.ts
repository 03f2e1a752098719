import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ADMIN, ORIGIN, asOperator, call, freshSite, post } from './helpers.ts'

const operatorRoutes = (site: string) => [
  ['GET', `/v1/sites/${site}`],
  ['GET', `/v1/sites/${site}/stats?survey=nps`],
  ['GET', `/v1/sites/${site}/responses`],
  ['GET', `/v1/sites/${site}/responses?format=csv`],
  ['GET', `/v1/sites/${site}/surveys`],
  ['GET', `/v1/sites/${site}/webhooks`],
  ['PUT', `/v1/sites/${site}/surveys/x`],
  ['DELETE', `/v1/sites/${site}/surveys/nps`],
  ['DELETE', `/v1/sites/${site}/people/someone`],
  ['PATCH', `/v1/sites/${site}/responses/${crypto.randomUUID()}`],
  ['POST', `/v1/sites/${site}/links`],
  ['POST', `/v1/sites/${site}/token`],
  ['DELETE', `/v1/sites/${site}`],
] as const

describe('operator routes', () => {
  it('answer 401 without a token and 403 with another site’s, a query-string or a malformed one, and give no data', async () => {
    const { site, token } = await freshSite()
    const other = await freshSite()
    await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'nps', score: 3, comment: 'secret complaint', visitor: 's1' })
    // From an address of their own per route, so the slow-down for wrong tokens (security-abuse.test.ts) stays out of it.
    for (const [index, [method, path]] of operatorRoutes(site).entries()) {
      const from = { 'cf-connecting-ip': `198.51.100.${index + 1}` }
      const anonymous = await call(path, { method })
      expect(anonymous.status, `${method} ${path}`).toBe(401)
      const inQuery = await call(`${path}${path.includes('?') ? '&' : '?'}token=${token}`, { method })
      expect(inQuery.status, `${method} ${path} with ?token=`).toBe(401)
      for (const wrong of [other.token, `${token}x`, 'dev-operator-token']) {
        const reply = await asOperator(path, wrong, { method, headers: from })
        expect(reply.status, `${method} ${path}`).toBe(403)
        expect(await reply.text()).not.toContain('secret complaint')
      }
      const basic = await call(path, { method, headers: { authorization: `Basic ${btoa(`x:${token}`)}` } })
      expect(basic.status).toBe(401)
    }
    // Nothing was changed by all that.
    expect((await asOperator(`/v1/sites/${site}/surveys/nps`, token)).status).toBe(200)
  })

  it('never let an operator token create sites', async () => {
    const { token } = await freshSite()
    const reply = await asOperator(`/v1/sites/pk_sneaky${crypto.randomUUID().slice(0, 8)}`, token, { method: 'PUT', body: JSON.stringify({ name: 'x', origins: ['https://x.example'] }) })
    expect(reply.status).toBe(403)
  })
})

describe('origins', () => {
  it('grant CORS only to a site’s own origins, and refuse answers for a site from another site’s page', async () => {
    const a = await freshSite()
    const b = await freshSite()
    await asOperator(`/v1/sites/${b.site}`, b.token, { method: 'PUT', body: JSON.stringify({ name: 'B', origins: ['https://b.example'] }) })
    const fromB = await post('/v1/responses', { id: crypto.randomUUID(), site: a.site, survey: 'nps', score: 10, visitor: 'o1' }, { origin: 'https://b.example' })
    expect(fromB.status).toBe(403)
    expect(fromB.headers.get('access-control-allow-origin')).toBeNull()
    // Another origin gets a refusal it can read, to learn which origin to add, and no survey.
    const config = await call(`/v1/sites/${a.site}/config`, { headers: { origin: 'https://evil.example' } })
    expect(config.status).toBe(403)
    expect(config.headers.get('access-control-allow-origin')).toBe('https://evil.example')
    expect(await config.json()).toEqual({
      error: { code: 'origin_not_allowed', field: 'origin', message: `site ${a.site} does not allow the origin https://evil.example: add it to the site's origins` },
    })
    const mine = await call(`/v1/sites/${a.site}/config`, { headers: { origin: ORIGIN } })
    expect(mine.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    // A cross-site browser request without an Origin header is refused too.
    const noOrigin = await call('/v1/responses', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site' },
      body: JSON.stringify({ id: crypto.randomUUID(), site: a.site, survey: 'nps', score: 10, visitor: 'o2' }),
    })
    expect(noOrigin.status).toBe(403)
  })
})

describe('what visitors type', () => {
  it('is stored verbatim, SQL-looking strings included, and defused in CSV', async () => {
    const { site, token } = await freshSite({ maskPii: false })
    const payloads = ["Robert'); DROP TABLE responses;--", '=cmd|\' /C calc\'!A0', '<img src=x onerror=alert(1)>', '" OR 1=1 --']
    for (const [index, comment] of payloads.entries()) {
      await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'nps', score: 5, comment, visitor: `x${index}`, user: comment.slice(0, 20) })
    }
    const stored = await env.DB.prepare('SELECT comment FROM responses WHERE site_id = ? ORDER BY comment').bind(site).all<{ comment: string }>()
    expect(stored.results.map((row) => row.comment).sort()).toEqual([...payloads].sort())
    const csv = await (await asOperator(`/v1/sites/${site}/responses?format=csv`, token)).text()
    expect(csv).toContain(`,'=cmd|' /C calc'!A0,`)
    expect(csv).not.toMatch(/(^|,)=cmd/m)
  })
})

describe('secrets', () => {
  const logged: string[] = []
  afterEach(() => {
    vi.restoreAllMocks()
    logged.length = 0
  })

  it('never appear in the public config, in errors or in logs', async () => {
    for (const level of ['log', 'warn', 'error', 'info', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')))
    }
    const { site, token } = await freshSite()
    await asOperator(`/v1/sites/${site}/webhooks/down`, token, { method: 'PUT', body: JSON.stringify({ url: 'http://127.0.0.1:9/never', format: 'json', secret: 'whsec_c2VjcmV0LXNpZ25pbmcta2V5' }) })
    await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'nps', score: 0, visitor: 'sec1' })
    const config = await (await call(`/v1/sites/${site}/config`)).text()
    const wrong = await (await asOperator(`/v1/sites/${site}/stats?survey=nps`, `${token}x`)).text()
    const secrets = [token, 'whsec_c2VjcmV0LXNpZ25pbmcta2V5', ADMIN, 'test-session-secret', 'test-link-secret']
    for (const secret of secrets) {
      expect(config).not.toContain(secret)
      expect(wrong).not.toContain(secret)
      for (const line of logged) expect(line).not.toContain(secret)
    }
    const hash = await env.DB.prepare('SELECT token_hash FROM sites WHERE id = ?').bind(site).first<string>('token_hash')
    expect(config).not.toContain(hash!)
  })
})
