import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { updateFollowUp } from '../src/follow-ups.ts'
import { storeResponse } from '../src/ingest.ts'
import { applyRetention } from '../src/retention.ts'
import { findSite } from '../src/sites.ts'
import { findSurvey } from '../src/surveys.ts'
import { open, postForm, signIn } from './dashboard-helpers.ts'
import { asOperator, call, callWith, freshSite, post, statsOf } from './helpers.ts'
import { recountMatchesRollups } from './recount.ts'

const DAY = 24 * 3600 * 1000
/** Half of 😀 alone: what a client that cuts a string by UTF-16 units sends. */
const LONE = '\ud83d'

describe('text with a lone surrogate', () => {
  it('is refused with a 400 naming the field, wherever a visitor or operator sends text, and nothing is stored', async () => {
    const { site, token } = await freshSite()
    const answer = { id: crypto.randomUUID(), site, survey: 'nps', score: 9, visitor: 'sur1' }
    const refusals: [Promise<Response>, string][] = [
      [post('/v1/responses', { ...answer, comment: `great ${LONE}` }), 'comment'],
      [post('/v1/responses', { ...answer, user: `u${LONE}` }), 'user'],
      [asOperator(`/v1/sites/${site}`, token, { method: 'PUT', body: JSON.stringify({ name: `Shop ${LONE}`, origins: ['http://127.0.0.1:8787'] }) }), 'name'],
      [asOperator(`/v1/sites/${site}/surveys/nps`, token, { method: 'PUT', body: JSON.stringify({ type: 'nps', checkpoints: ['a'], question: { en: `Why${LONE}?` } }) }), 'question.en'],
      [asOperator(`/v1/sites/${site}/surveys/nps`, token, { method: 'PUT', body: JSON.stringify({ type: 'nps', checkpoints: ['a'], question: { en: 'Why?' }, targeting: { conditions: [{ prop: 'plan', op: 'eq', value: `pro${LONE}` }] } }) }), 'targeting.conditions[0].value'],
      [asOperator(`/v1/sites/${site}/links`, token, { method: 'POST', body: JSON.stringify({ survey: 'nps', user: `u${LONE}` }) }), 'user'],
    ]
    for (const [sent, field] of refusals) {
      const reply = await sent
      expect(reply.status, field).toBe(400)
      expect(await reply.json(), field).toMatchObject({ error: { code: 'invalid_field', field } })
    }
    const batch = await post('/v1/responses', { responses: [{ ...answer, comment: `bad ${LONE}` }, { ...answer, id: crypto.randomUUID(), comment: 'fine 😀' }] })
    const { results } = await batch.json<{ results: { status: string; error?: { field: string } }[] }>()
    expect(results.map((result) => result.status)).toEqual(['rejected', 'stored'])
    expect(results[0]!.error!.field).toBe('responses[0].comment')
    await post('/v1/responses', { ...answer, id: crypto.randomUUID(), score: 2, visitor: 'sur2' })
    const listed = await (await asOperator(`/v1/sites/${site}/responses`, token)).json<{ responses: { id: string; comment: string | null }[] }>()
    const patched = await asOperator(`/v1/sites/${site}/responses/${listed.responses[0]!.id}`, token, { method: 'PATCH', body: JSON.stringify({ note: `called ${LONE}` }) })
    expect(patched.status).toBe(400)
    expect(await patched.json()).toMatchObject({ error: { field: 'note' } })
    // A whole emoji is text like any other.
    expect(listed.responses.map((response) => response.comment)).toContain('fine 😀')
    expect((await asOperator(`/v1/sites/${site}`, token)).ok).toBe(true)
    expect((await (await asOperator(`/v1/sites/${site}`, token)).json<{ name: string }>()).name).toBe('Test shop')
  })
})

describe('masking where text is stored', () => {
  it('masks comments, follow-up notes and user ids, on the API, the dashboard and survey links', async () => {
    const { site, token } = await freshSite()
    const answer = { id: crypto.randomUUID(), site, survey: 'nps', score: 2, comment: '手机１３８００１３８０００，邮箱 zhang＠qq．com', visitor: 'm1', user: '13900139000' }
    await post('/v1/responses', answer)
    await asOperator(`/v1/sites/${site}/responses/${answer.id}`, token, { method: 'PATCH', body: JSON.stringify({ note: 'Customer asked to be called on +44 20 7946 0958, order 2026-11-20-123456' }) })
    const cookie = await signIn(site, token)
    const form = await postForm(`/dashboard/responses/${answer.id}/follow-up`, { status: 'in_progress', note: '回电 010-12345678', back: '/dashboard' }, { cookie })
    expect(form.status).toBe(303)
    const link = await (await asOperator(`/v1/sites/${site}/links`, token, { method: 'POST', body: JSON.stringify({ survey: 'nps', user: 'li.si@example.com' }) })).json<{ token: string }>()

    const listed = await (await asOperator(`/v1/sites/${site}/responses`, token)).json<{ responses: { comment: string; user: string; followUp: { notes: { text: string }[] } }[] }>()
    const [stored] = listed.responses
    expect(stored!.comment).toBe('手机[phone]，邮箱 [email]')
    expect(stored!.user).toMatch(/^\[phone\]~[a-p]{10}$/)
    expect(stored!.followUp.notes.map((note) => note.text)).toEqual(['Customer asked to be called on [phone], order 2026-11-20-123456', '回电 [phone]'])
    const row = await env.DB.prepare('SELECT user_id FROM links WHERE site_id = ?').bind(site).first<string>('user_id')
    expect(row).toMatch(/^\[email\]~[a-p]{10}$/)
    const everything = JSON.stringify(await env.DB.batch(['responses', 'follow_ups', 'links'].map((table) => env.DB.prepare(`SELECT * FROM ${table} WHERE site_id = ?`).bind(site))))
    for (const personal of ['13800138000', '１３８００', '13900139000', '7946', '12345678', 'li.si', 'zhang']) expect(everything).not.toContain(personal)
    expect(link.token).toBeTruthy()
  })

  it('stores text as typed when the site turns masking off', async () => {
    const { site, token } = await freshSite({ maskPii: false })
    const answer = { id: crypto.randomUUID(), site, survey: 'nps', score: 2, comment: 'call 13800138000', visitor: 'm2', user: 'zhang@qq.com' }
    await post('/v1/responses', answer)
    await asOperator(`/v1/sites/${site}/responses/${answer.id}`, token, { method: 'PATCH', body: JSON.stringify({ note: 'rang 13800138000' }) })
    const listed = await (await asOperator(`/v1/sites/${site}/responses`, token)).json<{ responses: { comment: string; user: string; followUp: { notes: { text: string }[] } }[] }>()
    expect(listed.responses[0]).toMatchObject({ comment: 'call 13800138000', user: 'zhang@qq.com', followUp: { notes: [{ text: 'rang 13800138000' }] } })
  })
})

/** The cells of one CSV record, as a spreadsheet splits them. */
function cells(line: string): string[] {
  const out: string[] = []
  let cell = ''
  let quoted = false
  for (let index = 0; index < line.length; index++) {
    const char = line[index]!
    if (quoted) {
      if (char === '"' && line[index + 1] === '"') (cell += '"'), index++
      else if (char === '"') quoted = false
      else cell += char
    } else if (char === '"') quoted = true
    else if (char === ',') out.push(cell), (cell = '')
    else cell += char
  }
  return [...out, cell]
}

describe('the CSV export', () => {
  it('defuses a formula behind whitespace, invisible characters or full-width signs, and leaves plain text alone', async () => {
    const { site, token } = await freshSite({ maskPii: false })
    const formulas = [' =1+1', '\u00a0=1+1', '\u200b=1+1', '\ufeff=HYPERLINK("http://evil.example")', '\n=1+1', '\r\n@SUM(A1)', '\u3000=1+1', '＝1+1', '﹦1+1', '＋1+1', '－1+1', '＠SUM(A1)', ' \u200b\u00a0+1', '\t=1', '=cmd']
    const plain = ['normal', ' leading space', '1+1', 'a=b', '送货很快', '—dash']
    const all = [...formulas, ...plain]
    for (const [index, comment] of all.entries()) {
      await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'nps', score: 9, comment, visitor: `csv${index}`, user: index === 0 ? '=cmd|calc' : undefined })
    }
    const reply = await asOperator(`/v1/sites/${site}/responses?format=csv`, token)
    const text = (await reply.text()).replace(/^\uFEFF/, '')
    // Records end in CRLF; a comment may hold line breaks inside its quotes.
    const records: string[][] = []
    let pending = ''
    for (const piece of text.split('\r\n')) {
      pending = pending ? `${pending}\r\n${piece}` : piece
      if ((pending.match(/"/g)?.length ?? 0) % 2 === 0) records.push(cells(pending)), (pending = '')
    }
    const header = records[0]!
    const comments = records.slice(1).filter((record) => record.length > 1).map((record) => record[header.indexOf('comment')]!)
    for (const formula of formulas) expect(comments, JSON.stringify(formula)).toContain(`'${formula}`)
    for (const text of plain) expect(comments, JSON.stringify(text)).toContain(text)
    const users = records.slice(1).map((record) => record[header.indexOf('user')])
    expect(users).toContain("'=cmd|calc")
  })

  it('names the file from validated ids only: a survey parameter cannot reach Content-Disposition', async () => {
    const { site, token } = await freshSite()
    const named = await asOperator(`/v1/sites/${site}/responses?format=csv&survey=nps`, token)
    expect(named.headers.get('content-disposition')).toBe(`attachment; filename="hearken-${site}-nps.csv"`)
    expect((await asOperator(`/v1/sites/${site}/responses?format=csv`, token)).headers.get('content-disposition')).toBe(`attachment; filename="hearken-${site}-all.csv"`)
    for (const hostile of ['nps";filename=evil.html', 'nps;filename=evil.html', 'nps\r\nx-evil: 1', '../../etc', 'nope']) {
      const reply = await asOperator(`/v1/sites/${site}/responses?format=csv&survey=${encodeURIComponent(hostile)}`, token)
      expect(reply.status, hostile).toBe(404)
      expect(reply.headers.get('content-disposition')).toBeNull()
      expect(await reply.text()).not.toContain('evil')
    }
    const cookie = await signIn(site, token)
    const fromDashboard = await call('/dashboard/export.csv?survey=nps&from=2026-01-01&to=2026-01-31', { headers: { cookie } })
    expect(fromDashboard.headers.get('content-disposition')).toBe(`attachment; filename="hearken-${site}-nps-2026-01-01-2026-01-31.csv"`)
  })
})

describe('a deployed worker with development secrets', () => {
  const logged: string[] = []
  afterEach(() => {
    vi.restoreAllMocks()
    logged.length = 0
  })

  const fetchWith = (bindings: Partial<Env>, path = '/health') => callWith(bindings, path)

  const strong = { SESSION_SECRET: 's'.repeat(43), LINK_SECRET: 'l'.repeat(40), ADMIN_TOKEN: 'a'.repeat(40) }

  it('refuses every request with a 503 that names each secret to fix, and logs it, never showing a value', async () => {
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')))
    const cases: [Partial<Env>, string[]][] = [
      [{ HEARKEN_ENV: 'production' }, ['SESSION_SECRET is a development or test value', 'LINK_SECRET is a development or test value', 'ADMIN_TOKEN is a development or test value']],
      [{ HEARKEN_ENV: 'production', ...strong, SESSION_SECRET: 'dev-session-secret-not-for-production' }, ['SESSION_SECRET is a development or test value']],
      [{ HEARKEN_ENV: 'production', ...strong, ADMIN_TOKEN: 'dev-operator-token' }, ['ADMIN_TOKEN is a development or test value']],
      [{ HEARKEN_ENV: 'production', ...strong, SESSION_SECRET: undefined }, ['SESSION_SECRET is not set']],
      [{ HEARKEN_ENV: 'staging', ...strong, LINK_SECRET: 'short' }, ['LINK_SECRET is shorter than 16 characters']],
      [{ HEARKEN_ENV: 'production', ...strong, LINK_SECRET: strong.SESSION_SECRET }, ['two of SESSION_SECRET, LINK_SECRET and ADMIN_TOKEN are the same']],
    ]
    for (const [overrides, problems] of cases) {
      for (const path of ['/health', '/v1/sites/pk_demo/config', '/dashboard']) {
        const reply = await fetchWith(overrides, path)
        expect(reply.status, path).toBe(503)
        const body = await reply.json<{ error: { code: string; message: string } }>()
        expect(body.error.code).toBe('misconfigured')
        for (const problem of problems) expect(body.error.message).toContain(problem)
        for (const value of Object.values(overrides)) if (typeof value === 'string' && value.length > 12) expect(body.error.message).not.toContain(value)
      }
    }
    expect(logged.length).toBeGreaterThanOrEqual(1)
    expect(logged.every((line) => line.startsWith('refusing every request: this worker runs as'))).toBe(true)
    for (const line of logged) expect(line).not.toContain('test-session-secret')
  })

  it('runs with secrets of its own, without the optional ones, and with anything under HEARKEN_ENV=development', async () => {
    expect((await fetchWith({ HEARKEN_ENV: 'production', ...strong })).status).toBe(200)
    expect((await fetchWith({ HEARKEN_ENV: 'production', SESSION_SECRET: strong.SESSION_SECRET, LINK_SECRET: undefined, ADMIN_TOKEN: undefined })).status).toBe(200)
    expect((await fetchWith({ HEARKEN_ENV: 'development' })).status).toBe(200)
  })
})

describe('retention', () => {
  it('erases comments of answers and notes older than the site’s days, keeps newer ones, and keeps every statistic', async () => {
    const now = Date.parse('2026-06-01T06:00:00Z')
    const { site, token } = await freshSite({ retentionDays: 30 })
    const other = await freshSite()
    const siteRow = (await findSite(env.DB, site))!
    const survey = (await findSurvey(env.DB, site, 'nps'))!
    const store = async (target: typeof siteRow, at: number, comment: string) => {
      const id = crypto.randomUUID()
      await storeResponse(env.DB, target, (await findSurvey(env.DB, target.id, 'nps'))!, { id, site: target.id, survey: 'nps', score: 3, comment, visitor: `r${id.slice(0, 6)}`, dimensions: { product: 2 } }, {}, at)
      return id
    }
    const old = await store(siteRow, now - 40 * DAY, 'old comment')
    const recent = await store(siteRow, now - 10 * DAY, 'recent comment')
    await updateFollowUp(env.DB, siteRow, old, { note: 'old note' }, now - 35 * DAY)
    await updateFollowUp(env.DB, siteRow, old, { note: 'new note on an old answer' }, now - 2 * DAY)
    await updateFollowUp(env.DB, siteRow, recent, { note: 'recent note' }, now - 5 * DAY)
    const otherRow = (await findSite(env.DB, other.site))!
    await store(otherRow, now - 400 * DAY, 'kept forever')
    const range = 'survey=nps&from=2026-04-01&to=2026-06-01'
    const before = await statsOf(site, token, range)
    expect(survey.id).toBe('nps')

    const run = await applyRetention(env, now)
    expect(run).toMatchObject({ comments: 1, notes: 1 })
    const listed = await (await asOperator(`/v1/sites/${site}/responses`, token)).json<{ responses: { id: string; comment: string | null; score: number; followUp: { notes: { text: string }[]; status: string } }[] }>()
    const byId = new Map(listed.responses.map((response) => [response.id, response]))
    expect(byId.get(old)).toMatchObject({ comment: null, score: 3, followUp: { status: 'open', notes: [{ text: 'new note on an old answer' }] } })
    expect(byId.get(recent)).toMatchObject({ comment: 'recent comment', followUp: { notes: [{ text: 'recent note' }] } })
    expect(await statsOf(site, token, range)).toEqual(before)
    await recountMatchesRollups(site)
    const kept = await (await asOperator(`/v1/sites/${other.site}/responses`, other.token)).json<{ responses: { comment: string }[] }>()
    expect(kept.responses.map((response) => response.comment)).toEqual(['kept forever'])
    expect(await applyRetention(env, now)).toMatchObject({ comments: 0, notes: 0 })
  })

  it('works off a backlog in bounded statements, and is set and checked like any setting', async () => {
    const now = Date.parse('2026-06-01T06:00:00Z')
    const { site, token } = await freshSite({ retentionDays: 7 })
    const siteRow = (await findSite(env.DB, site))!
    const survey = (await findSurvey(env.DB, site, 'nps'))!
    for (let index = 0; index < 5; index++) {
      await storeResponse(env.DB, siteRow, survey, { id: crypto.randomUUID(), site, survey: 'nps', score: 9, comment: `backlog ${index}`, visitor: `b${index}` }, {}, now - 30 * DAY)
    }
    expect(await applyRetention(env, now, { rowsPerStatement: 2 })).toMatchObject({ comments: 5 })
    const comments = await env.DB.prepare('SELECT COUNT(*) AS n FROM responses WHERE site_id = ? AND comment IS NOT NULL').bind(site).first<number>('n')
    expect(comments).toBe(0)
    for (const days of [-1, 3651, 1.5, '30']) {
      const reply = await asOperator(`/v1/sites/${site}`, token, { method: 'PUT', body: JSON.stringify({ name: 'Test shop', origins: ['http://127.0.0.1:8787'], settings: { retentionDays: days } }) })
      expect(reply.status, String(days)).toBe(400)
      expect(await reply.json()).toMatchObject({ error: { field: 'settings.retentionDays' } })
    }
    const changed = await asOperator(`/v1/sites/${site}`, token, { method: 'PUT', body: JSON.stringify({ name: 'Test shop', origins: ['http://127.0.0.1:8787'], settings: { retentionDays: 90 } }) })
    expect((await changed.json<{ settings: { retentionDays: number } }>()).settings.retentionDays).toBe(90)
    const config = await (await call(`/v1/sites/${site}/config`)).json()
    expect(JSON.stringify(config)).not.toContain('retentionDays')
  })
})

describe('a replayed session', () => {
  it('opens nothing once its site is deleted', async () => {
    const { site, token } = await freshSite()
    const cookie = await signIn(site, token)
    expect((await open('/dashboard', cookie)).status).toBe(200)
    await asOperator(`/v1/sites/${site}`, token, { method: 'DELETE' })
    const page = await open('/dashboard', cookie)
    expect(page.status).toBe(401)
    expect(page.html).toContain('This session has ended')
  })
})
