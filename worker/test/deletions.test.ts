import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { AlertMessage } from '../src/alert-delivery.ts'
import { CHUNK_ROWS, consumeDeletions, findDeletion, refusedWhileDeleting, REQUEST_CHUNKS, STALLED_MS, type DeletionTarget } from '../src/deletions.ts'
import { askedStatement } from '../src/fatigue.ts'
import worker from '../src/index.ts'
import { storeImpression, storeResponse } from '../src/ingest.ts'
import { findSite, saveSite } from '../src/sites.ts'
import { findSurvey, parseSurvey, putSurveyStatement } from '../src/surveys.ts'
import { alertHarness } from './alert-harness.ts'
import { ADMIN, ORIGIN, asOperator, call, callWith, freshSite, post, recordingQueue, statsOf } from './helpers.ts'
import { recountMatchesRollups } from './recount.ts'

/**
 * Deleting a site or a survey too large for one D1 batch: seeded straight into D1 with
 * recursive CTEs (as export.test.ts does; this is about deleting rows, not storing them), with
 * what ingest would have left beside each answer, then deleted through the API and the queue
 * consumer with small chunks, run after run, awaited, on the test's clock.
 */

const now = Date.parse('2026-03-10T08:00:00Z')

/** How many rows of each table still name the site (and survey), from the schema itself, not the code's list. */
async function leftovers(site: string, survey?: string): Promise<Record<string, number>> {
  const { results: tables } = await env.DB.prepare(
    `SELECT m.name AS name, SUM(c.name = 'site_id') AS site, SUM(c.name = 'survey_id') AS survey
     FROM sqlite_master m, pragma_table_info(m.name) c
     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_cf_%' AND m.name != 'd1_migrations' GROUP BY m.name`,
  ).all<{ name: string; site: number; survey: number }>()
  const left: Record<string, number> = {}
  for (const table of tables) {
    const siteColumn = table.name === 'sites' ? 'id' : 'site_id'
    const surveyColumn = table.name === 'surveys' ? 'id' : table.survey ? 'survey_id' : null
    if (survey !== undefined && !surveyColumn) continue
    const n = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table.name} WHERE ${siteColumn} = ?${survey === undefined ? '' : ` AND ${surveyColumn} = ?`}`)
      .bind(site, ...(survey === undefined ? [] : [survey]))
      .first<number>('n')
    if (n) left[table.name] = n
  }
  return left
}

/**
 * `count` answers of a survey, with ids `stride` apart from `first` (two surveys seeded with
 * stride 2 interleave in key order, as random UUIDs do), and what ingest leaves beside them: a
 * follow-up with a note for each unhappy one, tags for each comment, a sent alert for each
 * follow-up; impressions, links and fatigue rows as many.
 */
async function seedSurvey(site: string, survey: string, count: number, first: number, unhappyAt: number) {
  const seq = `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ${count} - 1)`
  const id = `printf('%08x-0000-4000-8000-%012x', ${first} + 2 * i, i)`
  await env.DB.batch([
    env.DB.prepare(
      `${seq} INSERT INTO responses (site_id, id, survey_id, checkpoint, segment, score, comment, dimensions, visitor_id, user_id, flags, day, created_at, updated_at)
       SELECT ?1, ${id}, ?2, 'order_completed', '', i % 11 % (CASE ?2 WHEN 'nps' THEN 11 ELSE 5 END) + (CASE ?2 WHEN 'nps' THEN 0 ELSE 1 END),
         CASE WHEN i % 3 = 0 THEN 'slow delivery, call me' END, CASE WHEN i % 4 = 0 THEN '{"product":' || (1 + i % 5) || '}' END,
         ?2 || '-v' || i, CASE WHEN i % 5 = 0 THEN ?2 || '-u' || i END, '', '2026-03-0' || (1 + i % 9), ?3 + i, ?3 + i FROM seq`,
    ).bind(site, survey, now - 86_400_000),
    env.DB.prepare(
      `INSERT INTO follow_ups (site_id, response_id, survey_id, notes, due_at, created_at, updated_at)
       SELECT site_id, id, survey_id, '[{"at":1,"text":"called the customer"}]', created_at + 1, created_at, created_at FROM responses WHERE site_id = ? AND survey_id = ? AND score <= ?`,
    ).bind(site, survey, unhappyAt),
    env.DB.prepare(
      `INSERT INTO response_tags (site_id, response_id, tag, position, survey_id, created_at)
       SELECT site_id, id, tag, position, survey_id, created_at FROM responses, (SELECT 'problem' AS tag, 0 AS position UNION ALL SELECT 'delivery', 1)
       WHERE site_id = ? AND survey_id = ? AND comment IS NOT NULL`,
    ).bind(site, survey),
    env.DB.prepare(
      `INSERT INTO alert_outbox (site_id, webhook_id, kind, response_id, event_at, queued_at, message_id)
       SELECT site_id, 'ops', 'negative', response_id, created_at, created_at, 'sent-long-ago' FROM follow_ups WHERE site_id = ? AND survey_id = ?`,
    ).bind(site, survey),
    env.DB.prepare(
      `${seq} INSERT INTO impressions (site_id, id, survey_id, kind, checkpoint, segment, visitor_id, day, created_at)
       SELECT ?1, 'i-' || ${id}, ?2, CASE WHEN i % 4 = 0 THEN 'dismissed' ELSE 'shown' END, 'order_completed', '', ?2 || '-v' || i, '2026-03-0' || (1 + i % 9), ?3 + i FROM seq`,
    ).bind(site, survey, now - 86_400_000),
    env.DB.prepare(`${seq} INSERT INTO links (site_id, id, survey_id, user_id, expires_at, created_at) SELECT ?1, ?1 || '-' || ?2 || '-link-' || i, ?2, ?2 || '-u' || i, ?3, ?3 FROM seq WHERE i < ?4`).bind(
      site,
      survey,
      now,
      count / 4,
    ),
    env.DB.prepare(`${seq} INSERT INTO user_asks (site_id, user_id, survey_id, channel, asked_at) SELECT ?1, ?2 || '-u' || i, ?2, 'web', ?3 FROM seq WHERE i < ?4`).bind(site, survey, now, count / 2),
  ])
}

/** The rollups as ingest would have kept them for the seeded rows: the GROUP BYs of test/recount.ts, written once before any answer is posted. */
async function seedRollups(site: string) {
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO score_rollups (site_id, survey_id, day, checkpoint, segment, flagged, score, n)
       SELECT site_id, survey_id, day, checkpoint, segment, flags != '', score, COUNT(*) FROM responses WHERE site_id = ? GROUP BY 1, 2, 3, 4, 5, 6, 7`,
    ).bind(site),
    env.DB.prepare(
      `INSERT INTO dimension_rollups (site_id, survey_id, day, checkpoint, segment, flagged, dimension, n, total)
       SELECT r.site_id, r.survey_id, r.day, r.checkpoint, r.segment, r.flags != '', j.key, COUNT(*), SUM(j.value) FROM responses r, json_each(r.dimensions) j WHERE r.site_id = ? GROUP BY 1, 2, 3, 4, 5, 6, 7`,
    ).bind(site),
    env.DB.prepare(
      `INSERT INTO driver_rollups (site_id, survey_id, day, checkpoint, segment, flagged, dimension, score, n, total, squares)
       SELECT r.site_id, r.survey_id, r.day, r.checkpoint, r.segment, r.flags != '', j.key, r.score, COUNT(*), SUM(j.value), SUM(j.value * j.value)
       FROM responses r, json_each(r.dimensions) j WHERE r.site_id = ? GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
    ).bind(site),
    env.DB.prepare(
      `INSERT INTO tag_rollups (site_id, survey_id, day, checkpoint, segment, flagged, tag, score, n)
       SELECT r.site_id, r.survey_id, r.day, r.checkpoint, r.segment, r.flags != '', t.tag, r.score, COUNT(*)
       FROM responses r JOIN response_tags t ON t.site_id = r.site_id AND t.response_id = r.id WHERE r.site_id = ? GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
    ).bind(site),
    env.DB.prepare(
      `INSERT INTO impression_rollups (site_id, survey_id, day, checkpoint, segment, flagged, kind, n)
       SELECT site_id, survey_id, day, checkpoint, segment, flags != '', kind, COUNT(*) FROM impressions WHERE site_id = ? GROUP BY 1, 2, 3, 4, 5, 6, 7`,
    ).bind(site),
  ])
  await recountMatchesRollups(site)
}

/** One consumer run of these messages: what it acked and retried, and the messages it sent on. */
async function consume(bodies: DeletionTarget[], options: { chunkRows: number; chunks?: number; db?: D1Database; at?: number }) {
  const DELETIONS = recordingQueue<DeletionTarget>()
  const batch = createMessageBatch<DeletionTarget>('hearken-deletions', bodies.map((body, index) => ({ id: `d${index}`, timestamp: new Date(now), attempts: 1, body })))
  const ctx = createExecutionContext()
  await consumeDeletions(batch, { ...env, DELETIONS, ...(options.db ? { DB: options.db } : {}) }, { clock: () => options.at ?? now, chunks: options.chunks ?? 2, chunkRows: options.chunkRows })
  return { result: await getQueueResult(batch, ctx), sent: DELETIONS.sent.map((message) => message.body) }
}

/** Hands the deletion's message on, run after run, until none is sent (it is over), checking `between` after each run; returns the runs it took. */
async function drain(first: DeletionTarget, chunkRows: number, between: () => Promise<void> = async () => {}): Promise<number> {
  let pending = [first]
  let runs = 0
  while (pending.length) {
    const { result, sent } = await consume(pending, { chunkRows })
    expect(result.retryMessages).toEqual([])
    pending = sent
    await between()
    if (++runs > 200) throw new Error('the deletion never ended')
  }
  return runs
}

/** A D1 whose batches fail after the first `batches`: an invocation that dies half-way through its chunks. */
function dyingAfter(batches: number): D1Database {
  let left = batches
  return new Proxy(env.DB, {
    get(target, property) {
      if (property === 'batch') {
        return async (statements: D1PreparedStatement[]) => {
          if (left-- <= 0) throw new Error('the invocation was cut off')
          return target.batch(statements)
        }
      }
      const value = Reflect.get(target, property)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

const SURVEY = { type: 'nps', checkpoints: ['order_completed'], question: { en: 'How likely are you to recommend us?' } }
const count = async (sql: string, ...params: string[]) => (await env.DB.prepare(sql).bind(...params).first<number>('n')) ?? 0

describe('deleting a large site', () => {
  it('removes at once what makes it reachable, then the rest in chunks until nothing is left; its id is refused meanwhile and free after', { timeout: 60_000 }, async () => {
    const { site, token } = await freshSite()
    // More than the request's own chunks can take from one table.
    const answers = REQUEST_CHUNKS * CHUNK_ROWS + 2500
    await seedSurvey(site, 'nps', answers, 0, 6)
    await seedSurvey(site, 'csat', 1500, 1, 2)
    await seedRollups(site)
    await env.DB.prepare(
      `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < 2999)
       INSERT INTO webhook_messages (id, site_id, webhook_id, alerts, status, created_at) SELECT ?1 || '-m' || i, ?1, 'ops', 1, 'delivered', ?2 FROM seq`,
    ).bind(site, now).run()
    const before = await leftovers(site)
    expect(before.responses).toBe(answers + 1500)

    const DELETIONS = recordingQueue<DeletionTarget>()
    const reply = await callWith({ DELETIONS }, `/v1/sites/${site}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })
    expect(reply.status).toBe(202)
    const accepted = await reply.json<{ deleting: boolean; startedAt: string; removed: number }>()
    expect(accepted).toMatchObject({ deleting: true, startedAt: expect.stringMatching(/^\d{4}-/) })
    expect(accepted.removed).toBeGreaterThanOrEqual(REQUEST_CHUNKS * CHUNK_ROWS)
    expect(DELETIONS.sent.map((message) => message.body)).toEqual([{ site, survey: null }])

    // Unreachable at once: no site row, origins or surveys; every route of it says so.
    const left = await leftovers(site)
    for (const table of ['sites', 'site_origins', 'surveys', 'dashboard_sessions']) expect(left[table], table).toBeUndefined()
    expect(left.responses).toBeGreaterThan(0)
    const progress = await asOperator(`/v1/sites/${site}`, token)
    expect(progress.status).toBe(410)
    expect(await progress.json()).toMatchObject({ error: { code: 'deleting' }, deleting: true, startedAt: accepted.startedAt, removed: accepted.removed })
    expect((await asOperator(`/v1/sites/${site}/stats?survey=nps`, ADMIN)).status).toBe(410)
    // To anyone without its token it is no site at all.
    expect((await asOperator(`/v1/sites/${site}`, 'some-other-token')).status).toBe(404)
    expect((await call(`/v1/sites/${site}/config`, { headers: { origin: ORIGIN } })).status).toBe(404)
    expect((await (await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'nps', score: 9, visitor: 'late' })).json<{ error: { code: string } }>()).error.code).toBe('unknown_site')
    const again = await asOperator(`/v1/sites/${site}`, ADMIN, { method: 'PUT', body: JSON.stringify({ name: 'Again', origins: [ORIGIN] }) })
    expect(again.status).toBe(409)
    expect(await again.json()).toMatchObject({ error: { code: 'deleting', message: expect.stringContaining(`site ${site} is still being deleted`) }, deleting: true })
    // A PUT that made its checks before the deletion began is refused by the database itself.
    await expect(refusedWhileDeleting(env.DB, { site, survey: null }, () => saveSite(env.DB, site, { name: 'Racer', origins: [ORIGIN] }, null, 'hk_racer'))).rejects.toMatchObject({ status: 409, code: 'deleting' })

    // The queue takes it from there, a few small chunks a message; progress grows run by run.
    let removed = accepted.removed
    const runs = await drain({ site, survey: null }, 400, async () => {
      const row = await findDeletion(env.DB, { site, survey: null })
      if (!row) return
      expect(row.removed).toBeGreaterThan(removed)
      removed = row.removed
    })
    expect(runs).toBeGreaterThan(2)
    expect(await leftovers(site)).toEqual({})
    expect((await asOperator(`/v1/sites/${site}`, token)).status).toBe(404)

    const reborn = await asOperator(`/v1/sites/${site}`, ADMIN, { method: 'PUT', body: JSON.stringify({ name: 'Reborn', origins: [ORIGIN] }) })
    expect(reborn.status).toBe(201)
    const { operatorToken } = await reborn.json<{ operatorToken: string }>()
    expect((await asOperator(`/v1/sites/${site}/surveys/nps`, operatorToken, { method: 'PUT', body: JSON.stringify(SURVEY) })).status).toBe(201)
    expect((await statsOf(site, operatorToken, 'survey=nps')).nps!.n).toBe(0)
    expect(await (await asOperator(`/v1/sites/${site}/responses`, operatorToken)).json()).toMatchObject({ responses: [] })
  })

  it('goes on after a run dies half-way, and the cron takes up a deletion whose message was lost', { timeout: 60_000 }, async () => {
    const { site, token } = await freshSite()
    await seedSurvey(site, 'nps', REQUEST_CHUNKS * CHUNK_ROWS + 3000, 0, 6)
    await seedRollups(site)
    const reply = await callWith({ DELETIONS: recordingQueue() }, `/v1/sites/${site}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })
    expect(reply.status).toBe(202)
    const started = (await findDeletion(env.DB, { site, survey: null }))!

    // Two chunks commit, the third is cut off: the queue is to retry the message, and what committed stays.
    const { result, sent } = await consume([{ site, survey: null }], { chunkRows: 500, chunks: 5, db: dyingAfter(2) })
    expect(result.retryMessages.map((message) => message.msgId)).toEqual(['d0'])
    expect(sent).toEqual([])
    const halfway = (await findDeletion(env.DB, { site, survey: null }))!
    expect(halfway.removed).toBeGreaterThan(started.removed)
    const remaining = await leftovers(site)
    expect(remaining.responses).toBeGreaterThan(0)
    expect(remaining.responses).toBeLessThan(3000)

    // The retry is lost too. Nothing moves until the cron, after STALLED_MS, sends a new message.
    const DELETIONS = recordingQueue<DeletionTarget>()
    const cron = (at: number) => worker.scheduled(createScheduledController({ cron: '*/10 * * * *', scheduledTime: at }), { ...env, DELETIONS })
    await cron(now + STALLED_MS / 2)
    expect(DELETIONS.sent.filter((message) => message.body.site === site)).toEqual([])
    await cron(now + STALLED_MS + 1)
    const resent = DELETIONS.sent.map((message) => message.body).filter((body) => body.site === site)
    expect(resent).toEqual([{ site, survey: null }])
    expect((await findDeletion(env.DB, { site, survey: null }))!.removed).toBe(halfway.removed)

    await drain(resent[0]!, 500)
    expect(await leftovers(site)).toEqual({})
  })
})

describe('deleting a large survey', () => {
  it('walks the site in chunks, each answer going with its follow-up, tags and alerts; readers see none of it meanwhile; the other survey stays whole', { timeout: 60_000 }, async () => {
    const { site, token } = await freshSite()
    // The two surveys' answers interleave in key order, and together outrun the request's chunks.
    await seedSurvey(site, 'nps', 6000, 0, 6)
    await seedSurvey(site, 'csat', 4000, 1, 2)
    await seedRollups(site)
    const csatBefore = await statsOf(site, token, 'survey=csat')
    const metricsBefore = await (await asOperator(`/v1/sites/${site}/follow-ups/metrics?survey=csat&from=2026-03-01&to=2026-03-10`, token)).json()
    const nps = (await findSurvey(env.DB, site, 'nps'))!
    const siteRow = (await findSite(env.DB, site))!
    const pendingAnswer = await env.DB.prepare(`SELECT id FROM responses WHERE site_id = ? AND survey_id = 'nps' AND score <= 6 ORDER BY id DESC LIMIT 1`).bind(site).first<string>('id')

    const DELETIONS = recordingQueue<DeletionTarget>()
    const reply = await callWith({ DELETIONS }, `/v1/sites/${site}/surveys/nps`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })
    expect(reply.status).toBe(202)
    expect(await reply.json()).toMatchObject({ deleting: true })
    expect(DELETIONS.sent.map((message) => message.body)).toEqual([{ site, survey: 'nps' }])
    expect(await count('SELECT COUNT(*) AS n FROM responses WHERE site_id = ? AND id = ?', site, pendingAnswer!)).toBe(1)

    // While it runs: the survey answers 410 with its progress, its id is refused, and no reader
    // of the site shows an answer, follow-up or alert of it.
    const gone = await asOperator(`/v1/sites/${site}/surveys/nps`, token)
    expect(gone.status).toBe(410)
    expect(await gone.json()).toMatchObject({ error: { code: 'deleting' }, deleting: true, removed: expect.any(Number) })
    expect((await asOperator(`/v1/sites/${site}/surveys/nps`, token, { method: 'DELETE' })).status).toBe(410)
    const recreate = await asOperator(`/v1/sites/${site}/surveys/nps`, token, { method: 'PUT', body: JSON.stringify(SURVEY) })
    expect(recreate.status).toBe(409)
    expect(await recreate.json()).toMatchObject({ error: { code: 'deleting', message: expect.stringContaining('survey nps is still being deleted') } })
    const racer = parseSurvey({ id: 'nps', ...SURVEY }, [])
    await expect(refusedWhileDeleting(env.DB, { site, survey: 'nps' }, () => putSurveyStatement(env.DB, site, racer).run())).rejects.toMatchObject({ status: 409, code: 'deleting' })
    const listed = await (await asOperator(`/v1/sites/${site}/responses?limit=200`, token)).json<{ responses: { survey: string }[] }>()
    expect(listed.responses.length).toBe(200)
    expect(new Set(listed.responses.map((answer) => answer.survey))).toEqual(new Set(['csat']))
    expect((await asOperator(`/v1/sites/${site}/responses/${pendingAnswer}`, token, { method: 'PATCH', body: '{"note":"revived?"}' })).status).toBe(404)
    const metricsAll = await (await asOperator(`/v1/sites/${site}/follow-ups/metrics?from=2026-03-01&to=2026-03-10`, token)).json<{ opened: number }>()
    expect(metricsAll.opened).toBe((metricsBefore as { opened: number }).opened)
    const alerts = alertHarness(now)
    await alerts.consume([{ kind: 'reminder', site, webhook: 'ops', response: pendingAnswer! } satisfies AlertMessage])
    expect(await count(`SELECT COUNT(*) AS n FROM alert_outbox WHERE site_id = ? AND response_id = ? AND kind = 'reminder'`, site, pendingAnswer!)).toBe(0)
    // Ingest refuses it, and an isolate that still caches it stores nothing (migrations 0008 and 0013).
    expect((await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'nps', score: 9, visitor: 'late' })).status).toBe(404)
    const late = crypto.randomUUID()
    await expect(storeResponse(env.DB, siteRow, nps, { id: late, site, survey: 'nps', score: 0, comment: 'too late', visitor: 'late-v', elapsedMs: 3000 })).rejects.toMatchObject({ status: 404 })
    const lateShown = crypto.randomUUID()
    await storeImpression(env.DB, siteRow, nps, { id: lateShown, site, survey: 'nps', kind: 'shown', visitor: 'late-v' })
    expect(await count(`SELECT COUNT(*) AS n FROM impressions WHERE site_id = ? AND id = ?`, site, lateShown)).toBe(0)
    await askedStatement(env.DB, site, 'late-user', 'nps', 'web', now).run()
    expect(await count(`SELECT COUNT(*) AS n FROM responses WHERE site_id = ? AND id = ?`, site, late)).toBe(0)
    expect(await count(`SELECT COUNT(*) AS n FROM user_asks WHERE site_id = ? AND user_id = 'late-user'`, site)).toBe(0)

    // Chunk after chunk, no answer of it is left without its follow-up and tags, nor the other way round.
    const whole = async () => {
      const orphans = await env.DB.batch([
        env.DB.prepare(`SELECT COUNT(*) AS n FROM follow_ups f WHERE f.site_id = ?1 AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.site_id = ?1 AND r.id = f.response_id)`).bind(site),
        env.DB.prepare(`SELECT COUNT(*) AS n FROM response_tags t WHERE t.site_id = ?1 AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.site_id = ?1 AND r.id = t.response_id)`).bind(site),
        env.DB.prepare(`SELECT COUNT(*) AS n FROM alert_outbox o WHERE o.site_id = ?1 AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.site_id = ?1 AND r.id = o.response_id)`).bind(site),
        env.DB.prepare(`SELECT COUNT(*) AS n FROM responses r WHERE r.site_id = ?1 AND r.survey_id = 'nps' AND r.score <= 6 AND NOT EXISTS (SELECT 1 FROM follow_ups f WHERE f.site_id = ?1 AND f.response_id = r.id)`).bind(site),
        env.DB.prepare(`SELECT COUNT(*) AS n FROM responses r WHERE r.site_id = ?1 AND r.comment IS NOT NULL AND (SELECT COUNT(*) FROM response_tags t WHERE t.site_id = ?1 AND t.response_id = r.id) != 2`).bind(site),
      ])
      expect(orphans.map((result) => (result.results[0] as { n: number }).n)).toEqual([0, 0, 0, 0, 0])
    }
    await whole()
    // Two runs of the same message side by side (the queue delivers at least once) take each stretch once.
    await Promise.all([consume([{ site, survey: 'nps' }], { chunkRows: 300 }), consume([{ site, survey: 'nps' }], { chunkRows: 300 })])
    await whole()
    const runs = await drain({ site, survey: 'nps' }, 300, whole)
    expect(runs).toBeGreaterThan(2)

    expect(await leftovers(site, 'nps')).toEqual({})
    expect(await statsOf(site, token, 'survey=csat')).toEqual(csatBefore)
    expect(await (await asOperator(`/v1/sites/${site}/follow-ups/metrics?survey=csat&from=2026-03-01&to=2026-03-10`, token)).json()).toEqual(metricsBefore)
    expect(await count(`SELECT COUNT(*) AS n FROM responses WHERE site_id = ? AND survey_id = 'csat'`, site)).toBe(4000)
    expect(await count(`SELECT COUNT(*) AS n FROM links WHERE site_id = ? AND survey_id = 'csat'`, site)).toBe(1000)
    await recountMatchesRollups(site)

    // Once it is gone, the id is free again, and the new survey starts from nothing.
    expect((await asOperator(`/v1/sites/${site}/surveys/nps`, token)).status).toBe(404)
    expect((await asOperator(`/v1/sites/${site}/surveys/nps`, token, { method: 'PUT', body: JSON.stringify(SURVEY) })).status).toBe(201)
    expect((await statsOf(site, token, 'survey=nps')).nps!.n).toBe(0)
    expect((await asOperator(`/v1/sites/${site}/responses/${pendingAnswer}`, token, { method: 'PATCH', body: '{"note":"revived?"}' })).status).toBe(404)
  })

  it('a small survey is gone when the request answers', async () => {
    const { site, token } = await freshSite()
    await seedSurvey(site, 'nps', 300, 0, 6)
    await seedRollups(site)
    const DELETIONS = recordingQueue<DeletionTarget>()
    const reply = await callWith({ DELETIONS }, `/v1/sites/${site}/surveys/nps`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })
    expect(reply.status).toBe(204)
    expect(DELETIONS.sent).toEqual([])
    expect(await leftovers(site, 'nps')).toEqual({})
    await recountMatchesRollups(site)
  })
})
