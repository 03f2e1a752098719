import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { ADMIN, ORIGIN, asOperator, call, callWith, freshSite, post, recordingQueue } from './helpers.ts'
import { open, signIn } from './dashboard-helpers.ts'

/** Tables that hold no site's data, or name their site otherwise (checked on their own below). */
const NOT_PER_SITE = ['d1_migrations', 'sites']

/** How many rows of each table still name the site (and survey), found from the schema itself, not from the code's list. */
async function leftovers(site: string, survey?: string): Promise<Record<string, number>> {
  const { results: tables } = await env.DB.prepare(
    `SELECT m.name AS name, SUM(c.name = 'site_id') AS site, SUM(c.name = 'survey_id') AS survey
     FROM sqlite_master m, pragma_table_info(m.name) c
     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_cf_%' GROUP BY m.name`,
  ).all<{ name: string; site: number; survey: number }>()
  const left: Record<string, number> = {}
  for (const table of tables) {
    if (NOT_PER_SITE.includes(table.name)) continue
    // A new table must name its site, or be listed above with a reason.
    expect(table.site, `${table.name} has no site_id column`).toBe(1)
    const surveyColumn = table.name === 'surveys' ? 'id' : table.survey ? 'survey_id' : null
    if (survey !== undefined && !surveyColumn) continue
    const sql = survey === undefined ? `SELECT COUNT(*) AS n FROM ${table.name} WHERE site_id = ?` : `SELECT COUNT(*) AS n FROM ${table.name} WHERE site_id = ? AND ${surveyColumn} = ?`
    const n = (await env.DB.prepare(sql).bind(site, ...(survey === undefined ? [] : [survey])).first<number>('n')) ?? 0
    if (n) left[table.name] = n
  }
  return left
}

/** A site with something in every table: answers with ratings and comments, impressions, a follow-up with a note, a link, a webhook. */
async function busySite() {
  const { site, token } = await freshSite()
  const answer = { id: crypto.randomUUID(), site, survey: 'nps', score: 2, visitor: 'busy1', user: 'u-1', comment: 'late', dimensions: { product: 2 } }
  expect((await post('/v1/responses', answer)).status).toBe(201)
  expect((await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'csat', score: 1, visitor: 'busy2' })).status).toBe(201)
  expect((await post('/v1/impressions', { id: crypto.randomUUID(), site, survey: 'nps', kind: 'shown', visitor: 'busy1' })).status).toBe(201)
  expect((await asOperator(`/v1/sites/${site}/responses/${answer.id}`, token, { method: 'PATCH', body: '{"note":"called +86 138 0013 8000"}' })).status).toBe(200)
  const link = await (await asOperator(`/v1/sites/${site}/links`, token, { method: 'POST', body: '{"survey":"nps","user":"u-1"}' })).json<{ token: string }>()
  expect((await asOperator(`/v1/sites/${site}/webhooks/ops`, token, { method: 'PUT', body: '{"url":"https://hooks.example.com/x","format":"json"}' })).status).toBe(201)
  // New tag rules start re-tagging the site's comments (its job row).
  const rules = { name: 'Test shop', origins: [ORIGIN], settings: { tagRules: [{ tag: 'courier', keywords: ['顺丰'] }] } }
  expect((await callWith({ TAGS: recordingQueue() }, `/v1/sites/${site}`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(rules) })).status).toBe(200)
  const everyTable = await leftovers(site)
  expect(Object.keys(everyTable).sort()).toEqual([
    'dimension_rollups', 'driver_rollups', 'follow_ups', 'impression_rollups', 'impressions', 'links', 'rate_counts', 'response_tags', 'responses', 'score_rollups', 'site_origins', 'surveys', 'tag_jobs', 'tag_rollups', 'user_asks',
  ])
  return { site, token, answer, link: link.token, cookie: await signIn(site, token) }
}

describe('deleting a site', () => {
  it('leaves no row naming it in any table, and every route forgets it', async () => {
    const { site, token, answer, link, cookie } = await busySite()
    // Warm this isolate's ingest cache for the site, as traffic would.
    expect((await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'nps', score: 9, visitor: 'warm' })).status).toBe(201)

    expect((await asOperator(`/v1/sites/${site}`, token, { method: 'DELETE' })).status).toBe(204)

    expect(await leftovers(site)).toEqual({})
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM sites WHERE id = ?').bind(site).first<number>('n')).toBe(0)
    const gone = async (reply: Promise<Response>, status = 404) => {
      const response = await reply
      expect(response.status, response.url).toBe(status)
      return response
    }
    await gone(call(`/v1/sites/${site}/config`, { headers: { origin: ORIGIN } }))
    for (const path of ['', '/stats?survey=nps', '/responses', '/responses?format=csv', '/surveys', '/surveys/nps', '/webhooks']) {
      await gone(asOperator(`/v1/sites/${site}${path}`, token))
      await gone(asOperator(`/v1/sites/${site}${path}`, ADMIN))
    }
    await gone(asOperator(`/v1/sites/${site}/responses/${answer.id}`, ADMIN, { method: 'PATCH', body: '{"status":"resolved"}' }))
    await gone(asOperator(`/v1/sites/${site}/links`, ADMIN, { method: 'POST', body: '{"survey":"nps"}' }))
    await gone(call(`/s/${link}`))
    const ingest = await gone(post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'nps', score: 9, visitor: 'after' }))
    expect((await ingest.json<{ error: { code: string } }>()).error.code).toBe('unknown_site')
    const dashboard = await open('/dashboard', cookie)
    expect(dashboard.status).toBe(401)
    expect(dashboard.html).toContain('Sign in')
    expect(await leftovers(site)).toEqual({})
  })

  it('leaves nothing to revive when the same site id is created again', async () => {
    const { site, answer, link } = await busySite()
    expect((await asOperator(`/v1/sites/${site}`, ADMIN, { method: 'DELETE' })).status).toBe(204)
    const again = await asOperator(`/v1/sites/${site}`, ADMIN, { method: 'PUT', body: JSON.stringify({ name: 'Again', origins: [ORIGIN] }) })
    expect(again.status).toBe(201)
    expect(await again.json()).toMatchObject({ settings: { webhooks: [] } })
    expect((await asOperator(`/v1/sites/${site}/surveys`, ADMIN)).status).toBe(200)
    expect(await (await asOperator(`/v1/sites/${site}/surveys`, ADMIN)).json()).toEqual({ surveys: [] })
    expect(await (await asOperator(`/v1/sites/${site}/responses`, ADMIN)).json()).toMatchObject({ responses: [] })
    expect((await asOperator(`/v1/sites/${site}/responses/${answer.id}`, ADMIN, { method: 'PATCH', body: '{"status":"open"}' })).status).toBe(404)
    expect((await call(`/s/${link}`)).status).toBe(404)
  })
})

describe('deleting a survey', () => {
  it('leaves no row naming it, keeps the site’s other surveys, and its routes forget it', async () => {
    const { site, token, answer, link } = await busySite()
    const others = await leftovers(site)
    const ofNps = Object.fromEntries(
      Object.entries(await leftovers(site, 'nps')).filter(([table]) => table !== 'site_origins'),
    )
    expect((await asOperator(`/v1/sites/${site}/surveys/nps`, token, { method: 'DELETE' })).status).toBe(204)
    expect(await leftovers(site, 'nps')).toEqual({})
    // The CSAT survey and its answer stay whole.
    const left = await leftovers(site)
    for (const [table, n] of Object.entries(others)) expect(left[table] ?? 0, table).toBe(n - (ofNps[table] ?? 0))
    expect((await asOperator(`/v1/sites/${site}/stats?survey=csat`, token)).status).toBe(200)

    expect((await asOperator(`/v1/sites/${site}/surveys/nps`, token)).status).toBe(404)
    expect((await asOperator(`/v1/sites/${site}/stats?survey=nps`, token)).status).toBe(404)
    expect((await asOperator(`/v1/sites/${site}/responses/${answer.id}`, token, { method: 'PATCH', body: '{"status":"open"}' })).status).toBe(404)
    expect((await call(`/s/${link}`)).status).toBe(404)
    expect((await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'nps', score: 9, visitor: 'after' })).status).toBe(404)
  })
})
