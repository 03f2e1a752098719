import { createScheduledController } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import worker from '../src/index.ts'
import { storeResponse } from '../src/ingest.ts'
import { writeTagsStatements } from '../src/response-tags.ts'
import { STALLED_MS, type RetagMessage } from '../src/retagging.ts'
import { findSite } from '../src/sites.ts'
import { findSurvey } from '../src/surveys.ts'
import { classifyComment, type TagRule } from '../src/tags.ts'
import { asOperator, callWith, freshSite, recordingQueue, statsOf } from './helpers.ts'
import { consumeRetag as consume, drainRetag as drain } from './retag-harness.ts'

const DAY = 24 * 3600 * 1000
const start = Date.parse('2026-04-01T04:00:00Z')

/** Oldest first; the newest is re-tagged first. */
const comments = ['咖啡凉了', 'Parcel arrived late', '顺丰很快', 'ok', '質量不錯', 'The espresso was cold', '客服态度很差']
const coffee: TagRule[] = [{ tag: 'coffee', keywords: ['espresso', '咖啡'] }]
const couriers: TagRule[] = [{ tag: 'courier', keywords: ['顺丰'] }, { tag: 'problem', keywords: ['cold', '凉了'] }]

type Listed = { responses: { comment: string; tags: string[] }[] }

async function siteWithComments(): Promise<{ site: string; token: string }> {
  const created = await freshSite()
  const site = (await findSite(env.DB, created.site))!
  const survey = (await findSurvey(env.DB, created.site, 'nps'))!
  for (const [index, comment] of comments.entries()) {
    await storeResponse(env.DB, site, survey, { id: crypto.randomUUID(), site: site.id, survey: 'nps', score: index % 11, comment, visitor: `v${index}`, elapsedMs: 3000 }, {}, start + index * DAY)
  }
  return created
}

/** Changes a site's rules through the API, with a queue the test reads. */
async function putRules(site: string, token: string, tagRules: TagRule[]) {
  const TAGS = recordingQueue<RetagMessage>()
  const reply = await callWith({ TAGS }, `/v1/sites/${site}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Test shop', origins: ['http://127.0.0.1:8787'], timezone: 'Asia/Shanghai', settings: { tagRules } }),
  })
  expect(reply.status).toBe(200)
  return TAGS.sent
}

const listed = async (site: string, token: string, query = ''): Promise<Listed> => (await asOperator(`/v1/sites/${site}/responses?${query}`, token)).json<Listed>()
const tagsOf = (list: Listed) => Object.fromEntries(list.responses.map((response) => [response.comment, response.tags]))
const expectedTags = (rules: TagRule[]) => Object.fromEntries(comments.map((comment) => [comment, classifyComment(comment, rules).tags]))

describe('re-tagging when a site\'s rules change', () => {
  it('re-tags every stored comment in batches on the queue, newest first, with its progress in the stats, and the filter follows', async () => {
    const { site, token } = await siteWithComments()
    expect(tagsOf(await listed(site, token))).toEqual(expectedTags([]))
    expect((await asOperator(`/v1/sites/${site}/responses?tag=coffee`, token)).status).toBe(400)

    const [message] = await putRules(site, token, coffee)
    // Not before every isolate's cached rules have expired (15 s), so no answer keeps the old ones.
    expect(message!.delaySeconds).toBeGreaterThanOrEqual(20)
    const job = message!.body
    const progress = async () => (await statsOf(site, token, 'survey=nps&from=2026-04-01&to=2026-04-30')).themes.tagging
    expect(await progress()).toEqual({ state: 'waiting', done: 0, total: null, through: null })

    const early = await consume([job], job.notBefore - 5000)
    expect(early.result.explicitAcks).toEqual([])
    expect(early.result.retryMessages).toMatchObject([{ msgId: 'm0' }])

    const first = await consume([job], job.notBefore + 1)
    expect(first.result.explicitAcks).toEqual(['m0'])
    expect(first.sent).toEqual([job])
    const newestTwo = await listed(site, token, 'limit=2')
    expect(await progress()).toEqual({ state: 'retagging', done: 2, total: 7, through: new Date(start + 5 * DAY).toISOString() })
    // The newest two carry the new rules' tags already; the filter finds what the listing shows.
    expect(tagsOf(newestTwo)).toEqual({ '客服态度很差': classifyComment('客服态度很差', coffee).tags, 'The espresso was cold': ['coffee'] })
    expect((await listed(site, token, 'tag=coffee')).responses.map((response) => response.comment)).toEqual(['The espresso was cold'])

    const runs = await drain(job, job.notBefore + 1)
    expect(runs).toBe(3)
    expect(await progress()).toEqual({ state: 'current', done: 7, total: 7, through: null })
    expect(tagsOf(await listed(site, token))).toEqual(expectedTags(coffee))
    expect((await listed(site, token, 'tag=coffee')).responses.map((response) => response.comment)).toEqual(['The espresso was cold', '咖啡凉了'])
    const themes = (await statsOf(site, token, 'survey=nps&from=2026-04-01&to=2026-04-30')).themes.themes
    expect(themes.find((theme) => theme.tag === 'coffee')).toMatchObject({ n: 2, type: 'topic' })

    // The queue delivers at least once: the same message again finds the job done and changes nothing.
    const again = await consume([job], job.notBefore + 1)
    expect(again).toMatchObject({ result: { explicitAcks: ['m0'] }, sent: [] })
    expect(await progress()).toEqual({ state: 'current', done: 7, total: 7, through: null })
  })

  it('starts over when the rules change again, and the run of the older rules stops', async () => {
    const { site, token } = await siteWithComments()
    const [older] = await putRules(site, token, coffee)
    await consume([older!.body], older!.body.notBefore + 1)
    const [newer] = await putRules(site, token, couriers)
    expect(newer!.body.job).toBeGreaterThanOrEqual(older!.body.job)
    const stale = await consume([older!.body], newer!.body.notBefore + 1)
    expect(stale).toMatchObject({ result: { explicitAcks: ['m0'] }, sent: [] })
    await drain(newer!.body, newer!.body.notBefore + 1)
    expect(tagsOf(await listed(site, token))).toEqual(expectedTags(couriers))
  })

  it('starts nothing when a change leaves the rules as they were', async () => {
    const { site, token } = await siteWithComments()
    expect(await putRules(site, token, [])).toEqual([])
    const [message] = await putRules(site, token, coffee)
    expect(message).toBeDefined()
    expect(await putRules(site, token, coffee)).toEqual([])
  })

  it('is sent on by the cron when its message was lost, and tags the comments stored before migration 0011', async () => {
    const { site, token } = await siteWithComments()
    // As before the migration: comments without tags, and no tag rollup.
    await env.DB.batch([
      env.DB.prepare('DELETE FROM response_tags WHERE site_id = ?').bind(site),
      env.DB.prepare('DELETE FROM tag_rollups WHERE site_id = ?').bind(site),
      env.DB.prepare('DELETE FROM tag_jobs'),
    ])
    expect(tagsOf(await listed(site, token))).toEqual(Object.fromEntries(comments.map((comment) => [comment, []])))
    const backfill = env.TEST_MIGRATIONS.find((migration) => migration.name.startsWith('0011_'))!.queries.find((query) => query.includes('INSERT INTO tag_jobs'))!
    await env.DB.prepare(backfill).run()

    const TAGS = recordingQueue<RetagMessage>()
    const cron = (scheduledTime: number) => worker.scheduled(createScheduledController({ cron: '*/10 * * * *', scheduledTime }), { ...env, TAGS })
    const sentFor = () => TAGS.sent.map((message) => message.body).filter((body) => body.site === site)
    await cron(start + 30 * DAY)
    // The cron sends the job of every site with comments on its way (this file's other sites too); the queue does the work.
    const sites = await env.DB.prepare('SELECT COUNT(*) AS n FROM tag_jobs').first<{ n: number }>()
    expect(TAGS.sent.length).toBe(sites!.n)
    expect(sentFor()).toEqual([{ site, job: 0, notBefore: 0 }])
    await drain(sentFor()[0]!, start + 30 * DAY)
    expect(tagsOf(await listed(site, token))).toEqual(expectedTags([]))
    // A run marks what it sent, so the next one does not send it again.
    TAGS.sent.length = 0
    await cron(start + 30 * DAY + 600_000)
    expect(sentFor()).toEqual([])
    const themes = await statsOf(site, token, 'survey=nps&from=2026-04-01&to=2026-04-30')
    expect(themes.themes.tagging.state).toBe('current')
    const delivery = comments.filter((comment) => classifyComment(comment).tags.includes('delivery'))
    expect(themes.themes.themes.find((theme) => theme.tag === 'delivery')).toMatchObject({ n: delivery.length })

    // A rules change whose message never went out is taken up once it has been idle for five minutes.
    const failing = { ...recordingQueue<RetagMessage>(), send: async () => Promise.reject(new Error('queue down')) }
    const reply = await callWith({ TAGS: failing }, `/v1/sites/${site}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Test shop', origins: ['http://127.0.0.1:8787'], settings: { tagRules: coffee } }),
    })
    expect(reply.status).toBe(200)
    const { updated_at: idleSince } = (await env.DB.prepare('SELECT updated_at FROM tag_jobs WHERE site_id = ?').bind(site).first<{ updated_at: number }>())!
    await cron(idleSince + STALLED_MS - 60_000)
    expect(sentFor()).toEqual([])
    await cron(idleSince + STALLED_MS + 60_000)
    const [resent] = sentFor()
    expect(resent!.job).toBe(idleSince)
    await drain(resent!, idleSince + STALLED_MS + 60_000)
    expect(tagsOf(await listed(site, token))).toEqual(expectedTags(coffee))
  })

  it('gives the answers stored before migration 0017 their commented row, by the migration and the re-tagging it starts, with the rollup equal to a recount', async () => {
    const { site, token } = await siteWithComments()
    const commented = "SELECT COUNT(*) AS n FROM response_tags WHERE site_id = ? AND tag = '*commented'"
    // As before the migration: no commented rows, and one answer's comment already erased by retention, its tags kept.
    const erased = (await env.DB.prepare("SELECT id FROM responses WHERE site_id = ? AND comment = '咖啡凉了'").bind(site).first<{ id: string }>())!.id
    await env.DB.batch([
      env.DB.prepare("DELETE FROM response_tags WHERE site_id = ? AND tag = '*commented'").bind(site),
      env.DB.prepare("DELETE FROM tag_rollups WHERE site_id = ? AND tag = '*commented'").bind(site),
      env.DB.prepare('UPDATE responses SET comment = NULL WHERE site_id = ? AND id = ?').bind(site, erased),
      env.DB.prepare('DELETE FROM tag_jobs'),
    ])
    expect((await env.DB.prepare(commented).bind(site).first<{ n: number }>())!.n).toBe(0)
    for (const query of env.TEST_MIGRATIONS.find((migration) => migration.name.startsWith('0017_'))!.queries) await env.DB.prepare(query).run()
    // The erased answer got its row from the migration itself; the others from the job it started.
    expect((await env.DB.prepare(commented).bind(site).first<{ n: number }>())!.n).toBe(1)
    const TAGS = recordingQueue<RetagMessage>()
    await worker.scheduled(createScheduledController({ cron: '*/10 * * * *', scheduledTime: start + 30 * DAY }), { ...env, TAGS })
    const job = TAGS.sent.map((message) => message.body).find((body) => body.site === site)!
    await drain(job, start + 30 * DAY)
    expect((await env.DB.prepare(commented).bind(site).first<{ n: number }>())!.n).toBe(comments.length)
    // The rollup holds what a recount of the stored rows gives, per day and score.
    const rollup = await env.DB.prepare("SELECT day, score, SUM(n) AS n FROM tag_rollups WHERE site_id = ? AND tag = '*commented' AND n > 0 GROUP BY day, score ORDER BY day, score").bind(site).all()
    const recount = await env.DB.prepare(
      "SELECT r.day, r.score, COUNT(*) AS n FROM responses r JOIN response_tags t ON t.site_id = r.site_id AND t.response_id = r.id AND t.tag = '*commented' WHERE r.site_id = ? GROUP BY r.day, r.score ORDER BY r.day, r.score",
    ).bind(site).all()
    expect(rollup.results).toEqual(recount.results)
    expect(recount.results).toHaveLength(comments.length)
    // And no listing shows the row as a tag.
    expect(Object.values(tagsOf(await listed(site, token))).flat()).not.toContain('*commented')
  })

  it('never writes tags computed from an answer that has changed since', async () => {
    const { site, token } = await siteWithComments()
    const before = await listed(site, token)
    const { id, updated_at: updatedAt } = (await env.DB.prepare("SELECT id, updated_at FROM responses WHERE site_id = ? AND comment = 'ok'").bind(site).first<{ id: string; updated_at: number }>())!
    const write = (guard: { updatedAt: number } | { comment: string }) => env.DB.batch(writeTagsStatements(env.DB, site, [{ id, tags: ['praise'], ...guard }]))
    await write({ updatedAt: updatedAt - 1 })
    await write({ comment: 'not the stored comment' })
    expect(await listed(site, token)).toEqual(before)
    // At ingest, a post for another survey with this id changes neither the answer nor its tags.
    const stored = (await findSite(env.DB, site))!
    const csat = (await findSurvey(env.DB, site, 'csat'))!
    // (It is refused: only its visitor, for its survey, may post an answer's id again.)
    await expect(storeResponse(env.DB, stored, csat, { id, site, survey: 'csat', score: 1, comment: 'Terrible support, never again', visitor: 'v-csat', elapsedMs: 3000 }, {}, start + 9 * DAY)).rejects.toMatchObject({ status: 409, code: 'id_taken' })
    expect(await listed(site, token)).toEqual(before)
  })
})
