import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { AlertMessage } from '../src/alert-delivery.ts'
import { SITE_DATA } from '../src/erase.ts'
import { storeImpression, storeResponse } from '../src/ingest.ts'
import { findSite } from '../src/sites.ts'
import { findSurvey } from '../src/surveys.ts'
import { addWebhook, alertHarness, pathFor, received } from './alert-harness.ts'
import { open, signIn } from './dashboard-helpers.ts'
import { ADMIN, ORIGIN, asOperator, call, freshSite, post, statsOf } from './helpers.ts'
import { recountMatchesRollups } from './recount.ts'

/** The worker's own origin: link pages post from there. */
const WORKER_ORIGIN = 'https://hearken.test'

/** Every row any table holds for the site, as one text to search. */
async function storedFor(site: string): Promise<string> {
  const rows = await env.DB.batch(Object.entries(SITE_DATA).map(([table, rule]) => env.DB.prepare(`SELECT '${table}' AS in_table, * FROM ${table} WHERE ${rule.site} = ?`).bind(site)))
  return JSON.stringify(rows.flatMap((result) => result.results))
}

/** A webhook that takes reminders only, held busy so its alerts wait in the outbox until the test lets them go. */
async function heldWebhook(site: string, token: string): Promise<string> {
  const path = pathFor('json', 'erase')
  await addWebhook(site, token, 'ops', 'json', path, { events: ['reminder'] })
  await env.DB.prepare(`INSERT INTO webhook_state (site_id, webhook_id, lease_until, lease_id) VALUES (?, 'ops', ?, 'held-by-test')`).bind(site, Number.MAX_SAFE_INTEGER).run()
  return path
}

const releaseWebhook = (site: string) => env.DB.prepare(`UPDATE webhook_state SET lease_until = 0, lease_id = NULL WHERE site_id = ? AND webhook_id = 'ops'`).bind(site).run()
const reminder = (site: string, response: string): AlertMessage => ({ kind: 'reminder', site, webhook: 'ops', response })
const waitingAlerts = async (site: string) => (await env.DB.prepare('SELECT COUNT(*) AS n FROM alert_outbox WHERE site_id = ?').bind(site).first<number>('n')) ?? 0

/** A survey link for a user, opened and answered the way its page does it. */
async function answeredLink(site: string, token: string, user: string, comment: string) {
  const minted = await (await asOperator(`/v1/sites/${site}/links`, token, { method: 'POST', body: JSON.stringify({ survey: 'nps', user }) })).json<{ token: string }>()
  const page = await (await call(`/s/${minted.token}`)).text()
  const data = JSON.parse(/<script type="application\/json" id="hearken-link">(.*?)<\/script>/s.exec(page)![1]!) as { responseId: string; impressionId: string }
  const fromPage = { origin: WORKER_ORIGIN }
  const shown = await post('/v1/impressions', { id: data.impressionId, site, survey: 'nps', kind: 'shown', link: minted.token }, fromPage)
  const answered = await post('/v1/responses', { id: data.responseId, site, survey: 'nps', score: 3, comment, link: minted.token, elapsedMs: 3000 }, fromPage)
  expect([shown.status, answered.status]).toEqual([201, 201])
  return { token: minted.token, ...data }
}

/** Adds a note to an answer's follow-up through the API. */
async function note(site: string, token: string, id: string, text: string) {
  const reply = await asOperator(`/v1/sites/${site}/responses/${id}`, token, { method: 'PATCH', body: JSON.stringify({ note: text }) })
  expect(reply.status).toBe(200)
}

/**
 * Everything an operator can read about a site through the routes, as text: the listing, the
 * CSV, the alert deliveries, the dashboard, and what a PATCH of each erased answer answers (a
 * 404, which names only the id it was sent).
 */
async function readableThroughRoutes(site: string, token: string, cookie: string, ids: string[]): Promise<string> {
  const pages = [
    await (await asOperator(`/v1/sites/${site}/responses`, token)).text(),
    await (await asOperator(`/v1/sites/${site}/responses?format=csv`, token)).text(),
    await (await asOperator(`/v1/sites/${site}/webhooks/ops/deliveries`, token)).text(),
    ...(await Promise.all(['nps', 'csat'].map(async (survey) => (await open(`/dashboard?survey=${survey}`, cookie)).html))),
  ]
  for (const id of ids) {
    const patched = await asOperator(`/v1/sites/${site}/responses/${id}`, token, { method: 'PATCH', body: JSON.stringify({ status: 'resolved' }) })
    expect(patched.status, `PATCH ${id}`).toBe(404)
    pages.push((await patched.text()).replace(id, '…'))
  }
  return pages.join('\n')
}

/** A link that was withdrawn: its page says so, its email row is gone, and answering through it stores nothing. */
async function expectWithdrawn(site: string, token: string, link: { token: string; responseId: string; impressionId: string }) {
  expect((await call(`/s/${link.token}`)).status).toBe(404)
  expect((await asOperator(`/v1/sites/${site}/links/${link.token}/email.html`, token)).status).toBe(404)
  const fromPage = { origin: WORKER_ORIGIN }
  expect((await post('/v1/responses', { id: link.responseId, site, survey: 'nps', score: 0, comment: 'again', link: link.token, elapsedMs: 3000 }, fromPage)).status).toBe(403)
  expect((await post('/v1/impressions', { id: link.impressionId, site, survey: 'nps', kind: 'shown', link: link.token }, fromPage)).status).toBe(403)
}

describe('erasing a person', () => {
  it('leaves nothing of them that any route or table holds, drops their queued alerts, and keeps rollups equal to a recount', async () => {
    const { site, token } = await freshSite()
    const path = await heldWebhook(site, token)
    // The person: user-42, on two devices and through a survey link made for them.
    const first = { id: crypto.randomUUID(), site, survey: 'nps', score: 2, comment: 'Box crushed, call me back', visitor: 'leaver', elapsedMs: 3000, user: 'user-42', dimensions: { product: 1 } }
    expect((await post('/v1/responses', first)).status).toBe(201)
    await post('/v1/impressions', { id: crypto.randomUUID(), site, survey: 'nps', kind: 'shown', visitor: 'leaver' })
    await note(site, token, first.id, 'Visited Room 1203, 88 Nanjing Road')
    const second = { id: crypto.randomUUID(), site, survey: 'csat', score: 1, comment: 'Refund never came', visitor: 'other-device', elapsedMs: 3000, user: 'user-42' }
    await post('/v1/responses', second)
    const link = await answeredLink(site, token, 'user-42', 'Sent through the link')
    // Someone else, who must keep everything.
    const keeper = { id: crypto.randomUUID(), site, survey: 'nps', score: 1, comment: 'Keeper is unhappy too', visitor: 'keeper', elapsedMs: 3000, user: 'user-7' }
    await post('/v1/responses', keeper)
    await post('/v1/impressions', { id: crypto.randomUUID(), site, survey: 'nps', kind: 'shown', visitor: 'keeper' })
    await note(site, token, keeper.id, 'Keeper was called')
    // Reminders queued for the person's answers and the keeper's.
    const h = alertHarness(Date.now())
    await h.consume([reminder(site, first.id), reminder(site, link.responseId), reminder(site, keeper.id)])
    expect(await waitingAlerts(site)).toBe(3)
    const cookie = await signIn(site, token)
    expect((await open('/dashboard?survey=nps', cookie)).html).toContain('Box crushed, call me back')

    const erased = await asOperator(`/v1/sites/${site}/people/user-42`, token, { method: 'DELETE' })
    expect(erased.status).toBe(200)
    expect(await erased.json()).toEqual({ person: 'user-42', erased: { responses: 3, impressions: 2, followUps: 3, links: 1, alerts: 2 } })

    const traces = ['Box crushed', 'Nanjing Road', 'Refund never came', 'Sent through the link', 'user-42', 'leaver', 'other-device', first.id, second.id, link.responseId, link.impressionId]
    const readable = await readableThroughRoutes(site, token, cookie, [first.id, second.id, link.responseId])
    for (const trace of traces) expect(readable).not.toContain(trace)
    expect(readable).toContain('Keeper is unhappy too')
    expect(readable).toContain('Keeper was called')
    await expectWithdrawn(site, token, link)

    // A reminder for an erased answer that was still on the queue is dropped when it arrives.
    await h.consume([reminder(site, first.id)])
    expect(await waitingAlerts(site)).toBe(1)
    await releaseWebhook(site)
    await h.consume([{ kind: 'flush', site, webhook: 'ops' }])
    const sent = await received(path)
    expect(sent).toHaveLength(1)
    expect(sent[0]!.body).toContain(keeper.id)
    for (const trace of traces) expect(sent[0]!.body).not.toContain(trace)

    const stored = await storedFor(site)
    for (const trace of traces) expect(stored).not.toContain(trace)
    expect(stored).toContain('Keeper was called')
    await recountMatchesRollups(site)
    const nps = await statsOf(site, token, 'survey=nps')
    expect(nps.nps).toMatchObject({ n: 1, detractors: 1 })
    expect(nps.responseRate).toMatchObject({ shown: 1, answered: 1 })
    expect((await statsOf(site, token, 'survey=csat')).csat!.n).toBe(0)
  })

  it('by visitor id erases that visitor’s answers and impressions, and by user id the answers they gave elsewhere', async () => {
    const { site, token } = await freshSite()
    const keep = { id: crypto.randomUUID(), site, survey: 'nps', score: 10, visitor: 'keeper', elapsedMs: 3000 }
    await post('/v1/responses', keep)
    const before = await statsOf(site, token, 'survey=nps')

    const gone = { id: crypto.randomUUID(), site, survey: 'nps', score: 2, visitor: 'leaver', elapsedMs: 3000, user: 'user-42' }
    await post('/v1/responses', gone)
    await post('/v1/responses', { ...gone, comment: 'bad', dimensions: { product: 1 } })
    await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'csat', score: 1, visitor: 'other-device', elapsedMs: 3000, user: 'user-42' })
    await post('/v1/impressions', { id: crypto.randomUUID(), site, survey: 'nps', kind: 'shown', visitor: 'leaver' })

    const erased = await asOperator(`/v1/sites/${site}/people/leaver`, token, { method: 'DELETE' })
    expect(await erased.json()).toEqual({ person: 'leaver', erased: { responses: 1, impressions: 1, followUps: 1, links: 0, alerts: 0 } })
    const byUser = await asOperator(`/v1/sites/${site}/people/user-42`, token, { method: 'DELETE' })
    expect((await byUser.json<{ erased: { responses: number } }>()).erased.responses).toBe(1)

    expect(await statsOf(site, token, 'survey=nps')).toEqual(before)
    expect((await statsOf(site, token, 'survey=csat')).csat!.n).toBe(0)
    const list = await (await asOperator(`/v1/sites/${site}/responses`, token)).json<{ responses: { id: string }[] }>()
    expect(list.responses.map((response) => response.id)).toEqual([keep.id])
    await recountMatchesRollups(site)
  })

  it('keeps the answers another user gave on a shared device, and erases the anonymous ones from the person’s devices', async () => {
    const { site, token } = await freshSite()
    const mine = { id: crypto.randomUUID(), site, survey: 'nps', score: 9, visitor: 'family-pc', elapsedMs: 3000, user: 'mei' }
    const anonymous = { id: crypto.randomUUID(), site, survey: 'nps', score: 8, visitor: 'family-pc', elapsedMs: 3000 }
    const brother = { id: crypto.randomUUID(), site, survey: 'nps', score: 7, visitor: 'family-pc', elapsedMs: 3000, user: 'lei' }
    for (const answer of [mine, anonymous, brother]) await post('/v1/responses', answer)
    await asOperator(`/v1/sites/${site}/people/mei`, token, { method: 'DELETE' })
    const list = await (await asOperator(`/v1/sites/${site}/responses`, token)).json<{ responses: { id: string }[] }>()
    expect(list.responses.map((response) => response.id)).toEqual([brother.id])
    await recountMatchesRollups(site)
  })

  it('finds a user id stored masked from the address the person gives', async () => {
    const { site, token } = await freshSite()
    const answer = { id: crypto.randomUUID(), site, survey: 'nps', score: 3, visitor: 'v-mail', elapsedMs: 3000, user: 'Zhang.San@qq.com', comment: 'Write to me at zhang.san@qq.com' }
    await post('/v1/responses', answer)
    const listed = await (await asOperator(`/v1/sites/${site}/responses`, token)).json<{ responses: { user: string; comment: string }[] }>()
    expect(listed.responses[0]).toMatchObject({ comment: 'Write to me at [email]' })
    expect(listed.responses[0]!.user).toMatch(/^\[email\]~[a-p]{10}$/)
    expect(await storedFor(site)).not.toContain('zhang.san')
    const erased = await asOperator(`/v1/sites/${site}/people/zhang.san@qq.com`, token, { method: 'DELETE' })
    expect((await erased.json<{ erased: { responses: number } }>()).erased.responses).toBe(1)
    expect((await (await asOperator(`/v1/sites/${site}/responses`, token)).json<{ responses: unknown[] }>()).responses).toEqual([])
  })
})

/** A survey's worth of data: an unhappy answer with a note, an impression, a link answered, a queued reminder. */
async function surveyScene(site: string, token: string, label: string) {
  const answer = { id: crypto.randomUUID(), site, survey: 'nps', score: 1, comment: `${label} comment`, visitor: `${label}-v`, elapsedMs: 3000, user: `${label}-user` }
  expect((await post('/v1/responses', answer)).status).toBe(201)
  await post('/v1/impressions', { id: crypto.randomUUID(), site, survey: 'nps', kind: 'shown', visitor: `${label}-v` })
  await note(site, token, answer.id, `${label} private note`)
  const link = await answeredLink(site, token, `${label}-link-user`, `${label} link comment`)
  return { answer, link, traces: [`${label} comment`, `${label} private note`, `${label} link comment`, `${label}-user`, `${label}-v`, answer.id, link.responseId] }
}

const SURVEY = { type: 'nps', checkpoints: ['order_completed'], question: { en: 'How likely are you to recommend us?' }, dimensions: [{ id: 'product', label: { en: 'Product' } }] }

describe('deleting a survey', () => {
  it('removes its answers, impressions, follow-ups and notes, links and queued alerts; re-creating it revives none of them; other surveys keep theirs', async () => {
    const { site, token } = await freshSite()
    await heldWebhook(site, token)
    const old = await surveyScene(site, token, 'old')
    const other = { id: crypto.randomUUID(), site, survey: 'csat', score: 1, comment: 'other survey stays', visitor: 'csat-v', elapsedMs: 3000 }
    await post('/v1/responses', other)
    await note(site, token, other.id, 'csat note stays')
    const h = alertHarness(Date.now())
    await h.consume([reminder(site, old.answer.id), reminder(site, other.id)])
    const csatBefore = await statsOf(site, token, 'survey=csat')
    const cookie = await signIn(site, token)

    expect((await asOperator(`/v1/sites/${site}/surveys/nps`, token, { method: 'DELETE' })).status).toBe(204)
    expect((await asOperator(`/v1/sites/${site}/surveys/nps`, token, { method: 'PUT', body: JSON.stringify(SURVEY) })).status).toBe(201)

    const readable = await readableThroughRoutes(site, token, cookie, [old.answer.id, old.link.responseId])
    for (const trace of old.traces) expect(readable).not.toContain(trace)
    expect(readable).toContain('csat note stays')
    await expectWithdrawn(site, token, old.link)
    const stored = await storedFor(site)
    for (const trace of old.traces) expect(stored).not.toContain(trace)
    expect(await waitingAlerts(site)).toBe(1)
    expect((await statsOf(site, token, 'survey=nps')).nps!.n).toBe(0)
    expect(await statsOf(site, token, 'survey=csat')).toEqual(csatBefore)
    await recountMatchesRollups(site)

    // The re-created survey starts from nothing and works.
    const fresh = await surveyScene(site, token, 'new')
    expect((await statsOf(site, token, 'survey=nps')).nps!.n).toBe(2)
    expect((await asOperator(`/v1/sites/${site}/responses?survey=nps`, token)).ok).toBe(true)
    expect(await storedFor(site)).toContain(fresh.traces[0]!)
    await recountMatchesRollups(site)
  })

  it('stores nothing for it that a stale cache lets through after it is gone', async () => {
    const { site } = await freshSite()
    const siteRow = (await findSite(env.DB, site))!
    const survey = (await findSurvey(env.DB, site, 'nps'))!
    await env.DB.prepare("DELETE FROM surveys WHERE site_id = ? AND id = 'nps'").bind(site).run()
    // What an isolate that still holds the survey in its cache would do.
    const stored = storeResponse(env.DB, siteRow, survey, { id: crypto.randomUUID(), site, survey: 'nps', score: 0, comment: 'too late', visitor: 'late-v', elapsedMs: 3000 })
    await expect(stored).rejects.toMatchObject({ status: 404, code: 'unknown_survey' })
    await storeImpression(env.DB, siteRow, survey, { id: crypto.randomUUID(), site, survey: 'nps', kind: 'shown', visitor: 'late-v' })
    const counts = await env.DB.batch(['responses', 'impressions', 'follow_ups', 'score_rollups', 'impression_rollups'].map((table) => env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE site_id = ?`).bind(site)))
    expect(counts.map((result) => (result.results[0] as { n: number }).n)).toEqual([0, 0, 0, 0, 0])
  })
})

describe('deleting a site', () => {
  it('removes every row of it in every table; re-creating the same id revives no link, note, session or answer', async () => {
    const { site, token } = await freshSite()
    await heldWebhook(site, token)
    const old = await surveyScene(site, token, 'gone')
    const h = alertHarness(Date.now())
    await h.consume([reminder(site, old.answer.id)])
    const cookie = await signIn(site, token)

    expect((await asOperator(`/v1/sites/${site}`, token, { method: 'DELETE' })).status).toBe(204)
    expect(await storedFor(site)).toBe('[]')
    expect((await asOperator(`/v1/sites/${site}/responses`, token)).status).toBe(404)

    const created = await asOperator(`/v1/sites/${site}`, ADMIN, { method: 'PUT', body: JSON.stringify({ name: 'Reborn shop', origins: [ORIGIN] }) })
    expect(created.status).toBe(201)
    const { operatorToken } = await created.json<{ operatorToken: string }>()
    expect((await asOperator(`/v1/sites/${site}/surveys/nps`, operatorToken, { method: 'PUT', body: JSON.stringify(SURVEY) })).status).toBe(201)
    expect((await open('/dashboard', cookie)).status).toBe(401)
    const freshCookie = await signIn(site, operatorToken)
    const readable = await readableThroughRoutes(site, operatorToken, freshCookie, [old.answer.id, old.link.responseId])
    for (const trace of old.traces) expect(readable).not.toContain(trace)
    await expectWithdrawn(site, operatorToken, old.link)
    // A retried post of an answer from before (an SDK outbox) is a new answer now, with nothing of the old one attached.
    await post('/v1/responses', { ...old.answer, comment: undefined })
    const listed = await (await asOperator(`/v1/sites/${site}/responses`, operatorToken)).json<{ responses: { comment: string | null; followUp: { notes: unknown[] } | null }[] }>()
    expect(listed.responses).toMatchObject([{ comment: null, followUp: { notes: [] } }])
    await recountMatchesRollups(site)
  })
})

describe('the list of tables erasure reaches', () => {
  it('names every table of the schema, with columns that exist, and every column that names a person, an answer or a survey', async () => {
    const { results: schema } = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name != 'd1_migrations' ORDER BY name",
    ).all<{ name: string }>()
    expect(Object.keys(SITE_DATA).sort()).toEqual(schema.map((table) => table.name))
    for (const [table, rule] of Object.entries(SITE_DATA)) {
      const { results } = await env.DB.prepare('SELECT name FROM pragma_table_info(?)').bind(table).all<{ name: string }>()
      const columns = results.map((column) => column.name)
      const declared = [rule.site, rule.survey, rule.answer, ...(rule.person ?? [])].filter((column): column is string => column !== undefined)
      for (const column of declared) expect(columns, `${table}.${column}`).toContain(column)
      // A column that names a person, an answer or a survey must be one erasure knows of.
      for (const column of columns.filter((name) => /^(visitor_id|user_id)$/.test(name))) expect(rule.person, `${table}.${column}`).toContain(column)
      if (columns.includes('response_id')) expect(rule.answer, `${table}.response_id`).toBe('response_id')
      if (columns.includes('survey_id')) expect(rule.survey ?? rule.answer, `${table}.survey_id`).toBeDefined()
      // A deletion names a chunk's rows by the primary key, and walks a survey's rows of the site in its order.
      const { results: primary } = await env.DB.prepare('SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk').bind(table).all<{ name: string }>()
      expect(rule.key, `${table} key`).toEqual(primary.length ? primary.map((column) => column.name) : ['rowid'])
      if (rule.survey && !rule.answer && !rule.atOnce && !rule.tombstone) expect(rule.key[0], `${table} key starts with the site`).toBe(rule.site)
      // Tables erasure keeps rows of, when their answers go, say why that is safe.
      if (!rule.person && !rule.answer && !rule.survey && !['sites', 'site_origins', 'dashboard_sessions'].includes(table)) expect(rule.anonymous, table).toBeDefined()
    }
  })

  it('keeps its guards: rows need their survey, a site or survey being deleted cannot be created, and every site gets a key for masked ids', async () => {
    const { results } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all<{ name: string }>()
    expect(results.map((trigger) => trigger.name)).toEqual(
      expect.arrayContaining([
        'impressions_need_their_survey',
        'links_need_their_survey',
        'responses_need_their_survey',
        'sites_get_a_pseudonym_key',
        'sites_wait_for_their_deletion',
        'surveys_wait_for_their_deletion',
        'user_asks_need_their_survey',
      ]),
    )
    const { site } = await freshSite()
    expect((await findSite(env.DB, site))!.pseudonymKey).toMatch(/^[0-9a-f]{64}$/)
  })
})
