import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { openSession } from '../src/dashboard/session.ts'
import { findSite } from '../src/sites.ts'
import { asOperator, call, freshSite } from './helpers.ts'
import { open, postForm, signIn } from './dashboard-helpers.ts'

const HOUR = 3600_000

describe('dashboard sign-in and sessions', () => {
  it('shows the sign-in form to a visitor without a session, under a strict CSP', async () => {
    const reply = await call('/dashboard')
    const html = await reply.text()
    expect(reply.status).toBe(200)
    expect(html).toContain('<form method="post" action="/dashboard/sign-in?lang=en">')
    expect(html).not.toContain('role="alert"')
    expect(reply.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(reply.headers.get('content-security-policy')).not.toContain('unsafe-inline')
    expect(reply.headers.get('cache-control')).toBe('no-store')
  })

  it('signs in with the site key and token: an HttpOnly, SameSite=Strict, Secure cookie for /dashboard', async () => {
    const { site, token } = await freshSite()
    const reply = await postForm('/dashboard/sign-in', { site, token })
    expect(reply.status).toBe(303)
    expect(reply.headers.get('location')).toBe('/dashboard?lang=en')
    const cookie = reply.headers.get('set-cookie')!
    expect(cookie).toMatch(/^hearken_session=/)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Strict')
    expect(cookie).toContain('Secure')
    expect(cookie).toContain('Path=/dashboard')
    const page = await open('/dashboard', cookie.split(';')[0]!)
    expect(page.status).toBe(200)
    expect(page.html).toContain('Hearken dashboard · Test shop')
    expect(page.html).toContain('Sign out')
  })

  it('refuses a wrong token, an unknown site and another site’s token with the same message', async () => {
    const first = await freshSite()
    const second = await freshSite()
    for (const [site, token] of [
      [first.site, 'hk_wrong'],
      ['pk_nosuchsite', first.token],
      [first.site, second.token],
    ]) {
      const reply = await postForm('/dashboard/sign-in', { site: site!, token: token! })
      expect(reply.status).toBe(401)
      expect(reply.headers.get('set-cookie')).toBeNull()
      expect(await reply.text()).toContain('That token does not open this site.')
    }
    const empty = await postForm('/dashboard/sign-in', { site: first.site, token: '' })
    expect(empty.status).toBe(400)
  })

  it('a session opens only the site it was signed in to', async () => {
    const first = await freshSite()
    const second = await freshSite()
    await asOperator(`/v1/sites/${second.site}`, second.token, { method: 'PUT', body: JSON.stringify({ name: 'Other shop', origins: ['https://other.example'] }) })
    const page = await open(`/dashboard?site=${second.site}`, await signIn(first.site, first.token))
    expect(page.html).toContain('Test shop')
    expect(page.html).not.toContain('Other shop')
  })

  it('tells an expired session apart from a forged or tampered one', async () => {
    const { site } = await freshSite()
    const stored = (await findSite(env.DB, site))!
    // Signed in 2000, so long expired whenever this runs.
    const expired = await openSession(env.DB, 'test-session-secret', stored, Date.UTC(2000, 0, 1))
    const page = await open('/dashboard', `hearken_session=${expired}`)
    expect(page.status).toBe(401)
    expect(page.html).toContain('Your session expired — sign in again.')
    expect(page.headers.get('set-cookie')).toMatch(/hearken_session=;.*Max-Age=0/)

    const forged = await openSession(env.DB, 'someone-elses-secret', stored)
    const valid = await openSession(env.DB, 'test-session-secret', stored)
    expect((await open('/dashboard', `hearken_session=${valid}`)).status).toBe(200)
    const [, expiry, id, signature] = valid.split('.')
    const tampered = `pk_demo.${expiry}.${id}.${signature}`
    const extended = `${site}.${Number(expiry) + 100 * HOUR}.${id}.${signature}`
    for (const cookie of [forged, tampered, extended, 'garbage']) {
      const refused = await open('/dashboard', `hearken_session=${cookie}`)
      expect(refused.status).toBe(401)
      expect(refused.html).toContain('Your session could not be read — sign in again.')
      expect(refused.html).not.toContain('Your session expired')
    }
  })

  it('rotating the operator token ends the sessions opened with the old one', async () => {
    const { site, token } = await freshSite()
    const cookie = await signIn(site, token)
    expect((await open('/dashboard', cookie)).status).toBe(200)
    const rotated = await asOperator(`/v1/sites/${site}/token`, token, { method: 'POST' })
    const { operatorToken } = await rotated.json<{ operatorToken: string }>()
    const page = await open('/dashboard', cookie)
    expect(page.status).toBe(401)
    expect(page.html).toContain('The operator token changed')
    expect((await open('/dashboard', await signIn(site, operatorToken))).status).toBe(200)
  })

  it('signs out: the cookie is cleared and the session ends on the server, so a copy of the cookie opens nothing', async () => {
    const { site, token } = await freshSite()
    const cookie = await signIn(site, token)
    const other = await signIn(site, token)
    expect((await open('/dashboard', cookie)).status).toBe(200)
    const reply = await postForm('/dashboard/sign-out?lang=zh-CN', {}, { cookie })
    expect(reply.status).toBe(303)
    expect(reply.headers.get('location')).toBe('/dashboard?lang=zh-CN')
    expect(reply.headers.get('set-cookie')).toMatch(/hearken_session=;.*Max-Age=0/)
    const replayed = await open('/dashboard', cookie)
    expect(replayed.status).toBe(401)
    expect(replayed.html).toContain('This session has ended (signed out, or the site was deleted) — sign in again.')
    expect(replayed.html).not.toContain('Sign out')
    const { status } = await postForm('/dashboard/tag-rules', { rules: 'replayed: x' }, { cookie })
    expect(status).toBe(401)
    // Another browser's session of the same site is its own, and goes on.
    expect((await open('/dashboard', other)).status).toBe(200)
    const stored = await env.DB.prepare('SELECT COUNT(*) AS n FROM dashboard_sessions WHERE site_id = ?').bind(site).first<number>('n')
    expect(stored).toBe(1)
    // Only a hash of the session id is kept.
    const cookieId = other.split('=')[1]!.split('.')[2]!
    expect(JSON.stringify(await env.DB.prepare('SELECT * FROM dashboard_sessions WHERE site_id = ?').bind(site).all())).not.toContain(cookieId)
  })

  it('refuses a POST from another origin or without one (CSRF), changing nothing', async () => {
    const { site, token } = await freshSite()
    const cookie = await signIn(site, token)
    const fromElsewhere = await postForm('/dashboard/tag-rules', { rules: 'hacked: x' }, { cookie, origin: 'https://evil.example' })
    expect(fromElsewhere.status).toBe(403)
    expect(await fromElsewhere.text()).toContain('This form was sent from another site')
    const withoutOrigin = await call('/dashboard/tag-rules', {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'rules=hacked%3A%20x',
    })
    expect(withoutOrigin.status).toBe(403)
    const signInElsewhere = await postForm('/dashboard/sign-in', { site, token }, { origin: 'https://evil.example' })
    expect(signInElsewhere.status).toBe(403)
    const settings = await (await asOperator(`/v1/sites/${site}`, token)).json<{ settings: { tagRules: { tag: string }[] } }>()
    expect(settings.settings.tagRules.map((rule) => rule.tag)).not.toContain('hacked')
  })

  it('speaks Simplified Chinese by ?lang= or Accept-Language, English otherwise', async () => {
    expect(await (await call('/dashboard?lang=zh-CN')).text()).toContain('<html lang="zh-CN">')
    const byHeader = await (await call('/dashboard', { headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' } })).text()
    expect(byHeader).toContain('运营令牌')
    const english = await (await call('/dashboard?lang=en', { headers: { 'accept-language': 'zh-CN' } })).text()
    expect(english).toContain('Operator token')
    const chineseSignIn = await postForm('/dashboard/sign-in?lang=zh-CN', { site: 'pk_demo', token: 'wrong' })
    expect(await chineseSignIn.text()).toContain('该令牌无法打开此站点。')
  })
})
