import { env } from 'cloudflare:workers'
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AlertMessage } from '../src/alerts.ts'
import { DEFAULT_LIMITS } from '../src/rate-limit.ts'
import { ORIGIN, asOperator, call, callWith, fixedWindowLimiter, freshSite, postWith, recordingQueue, sendWith, statsOf } from './helpers.ts'

/**
 * The attacks issue 13 found, each tried again against the worker: what was tried and what
 * the worker did is printed at the end (`npm run test:security`). The worker's clock is the
 * test's own (only Date is faked); the edge's flood shield is a limiter on that clock too.
 */
const report: string[] = []
afterAll(() => console.log(`Abuse attacks tried:\n${report.map((line) => `  - ${line}`).join('\n')}`))

const START = Date.UTC(2026, 4, 4, 10, 0, 0)
let clock = START
beforeEach(() => {
  clock = START
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(clock)
})
afterEach(() => vi.useRealTimers())

const bindings = () => ({ FLOOD_LIMITER: fixedWindowLimiter(1_000_000, 60_000, () => clock), ALERTS: recordingQueue<AlertMessage>() })
const from = (address: string) => ({ 'cf-connecting-ip': address })
const uuid = () => crypto.randomUUID()
const phone = { 'user-agent': 'Mozilla/5.0 (Linux; Android 10; CUBOT_X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/92.0.4515.131 Mobile Safari/537.36' }

async function row(site: string, id: string) {
  return env.DB.prepare('SELECT score, comment, dimensions, flags, visitor_id, survey_id, day, created_at FROM responses WHERE site_id = ? AND id = ?')
    .bind(site, id)
    .first<{ score: number; comment: string | null; dimensions: string | null; flags: string; visitor_id: string; survey_id: string; day: string; created_at: number }>()
}
const followUpOf = (site: string, id: string) =>
  env.DB.prepare('SELECT status, due_at FROM follow_ups WHERE site_id = ? AND response_id = ?').bind(site, id).first<{ status: string; due_at: number }>()

describe('score stuffing', () => {
  it('a script making up a visitor for every post is stopped at the address limit, and its answers open no more follow-ups', { timeout: 60_000 }, async () => {
    const { site, token } = await freshSite()
    const bound = bindings()
    const statuses: number[] = []
    for (let index = 0; index < DEFAULT_LIMITS.answersPerAddressPerMinute + 20; index++) {
      statuses.push((await postWith(bound, '/v1/responses', { id: uuid(), site, survey: 'nps', score: 0, visitor: `fake${index}`, elapsedMs: 2500 }, from('203.0.113.50'))).status)
    }
    const stored = statuses.filter((status) => status === 201).length
    expect(stored).toBe(DEFAULT_LIMITS.answersPerAddressPerMinute)
    expect(statuses.slice(stored).every((status) => status === 429)).toBe(true)
    expect((await statsOf(site, token, 'survey=nps&flagged=include')).nps!.n).toBe(stored)
    const followUps = await env.DB.prepare('SELECT COUNT(*) AS n FROM follow_ups WHERE site_id = ?').bind(site).first<number>('n')
    expect(followUps).toBe(stored)
    report.push(`${statuses.length} score-0 posts from one address, a new visitor id each: ${stored} stored, ${statuses.length - stored} answered 429, ${followUps} follow-ups opened (none past the limit)`)
  })

  it('one visitor id sending 50-item batches stores its per-visitor cap and no more', async () => {
    const { site } = await freshSite()
    const bound = bindings()
    let stored = 0
    const statuses: number[] = []
    for (let request = 0; request < 3; request++) {
      const reply = await postWith(bound, '/v1/responses', { responses: Array.from({ length: 50 }, () => ({ id: uuid(), site, survey: 'nps', score: 0, visitor: 'looper', elapsedMs: 2500 })) }, from('203.0.113.51'))
      statuses.push(reply.status)
      if (reply.ok) stored += (await reply.json<{ results: { status: string }[] }>()).results.filter((result) => result.status === 'stored').length
    }
    expect(stored).toBe(DEFAULT_LIMITS.answersPerVisitorPerMinute)
    expect(statuses).toEqual([200, 429, 429])
    report.push(`3 batches of 50 answers from one visitor id: ${stored} stored, then 429 (statuses ${statuses.join(', ')})`)
  })

  it('posts without a visitor id or without elapsedMs are flagged incomplete and left out of scores and follow-ups', async () => {
    const { site, token } = await freshSite()
    const bound = bindings()
    const bare = [
      { id: uuid(), site, survey: 'nps', score: 0, elapsedMs: 2500 },
      { id: uuid(), site, survey: 'nps', score: 0, visitor: 'no-timing' },
    ]
    for (const body of bare) expect((await postWith(bound, '/v1/responses', body, from('203.0.113.52'))).status).toBe(201)
    for (const body of bare) expect((await row(site, body.id))!.flags).toBe('incomplete')
    for (const body of bare) expect(await followUpOf(site, body.id)).toBeNull()
    expect((await statsOf(site, token, 'survey=nps')).nps!.n).toBe(0)
    expect(bound.ALERTS.sent).toHaveLength(0)
    report.push('answers without visitor or without elapsedMs: stored, flagged "incomplete", no follow-up, no alert, not in scores')
  })

  it('posts without an Origin header are refused and store nothing', async () => {
    const { site } = await freshSite()
    const body = { id: uuid(), site, survey: 'nps', score: 0, visitor: 'originless', elapsedMs: 2500 }
    const reply = await callWith(bindings(), '/v1/responses', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(body) })
    expect(reply.status).toBe(403)
    expect((await reply.json<{ error: { code: string } }>()).error.code).toBe('origin_required')
    expect(await row(site, body.id)).toBeNull()
    report.push('answer posted with no Origin header: 403 origin_required, nothing stored')
  })

  it('an impression flood is stopped at the address limit, and impressions lacking a visitor do not count in the response rate', async () => {
    const { site, token } = await freshSite()
    const bound = bindings()
    let stored = 0
    let refused = 0
    for (let request = 0; request < 8; request++) {
      const impressions = Array.from({ length: 50 }, (_, index) => ({ id: uuid(), site, survey: 'nps', kind: 'shown', ...(index % 2 ? { visitor: `seen${request}-${index}` } : {}) }))
      const reply = await postWith(bound, '/v1/impressions', { impressions }, from('203.0.113.53'))
      if (reply.status === 429) refused += 50
      else for (const result of (await reply.json<{ results: { status: string }[] }>()).results) result.status === 'stored' ? stored++ : refused++
    }
    expect(stored).toBe(DEFAULT_LIMITS.impressionsPerAddressPerMinute)
    const stats = await statsOf(site, token, 'survey=nps')
    expect(stats.responseRate.shown).toBe(stored / 2)
    expect((await statsOf(site, token, 'survey=nps&flagged=include')).responseRate.shown).toBe(stored)
    report.push(`400 impressions from one address in a minute: ${stored} stored, ${refused} refused; the ${stored / 2} without a visitor are flagged and left out of the response rate`)
  })
})

describe('changing someone else’s answer', () => {
  it('a known id from another visitor, or under another survey, is a 409 and changes nothing', async () => {
    const { site } = await freshSite()
    const bound = bindings()
    const original = { id: uuid(), site, survey: 'nps', score: 9, visitor: 'owner', elapsedMs: 3000, comment: 'Lovely', dimensions: { product: 5 } }
    expect((await postWith(bound, '/v1/responses', original, from('203.0.113.54'))).status).toBe(201)
    const before = await row(site, original.id)
    const attacks = [
      { ...original, visitor: 'intruder', comment: 'Terrible', dimensions: { product: 1 } },
      { ...original, visitor: undefined, comment: 'Terrible' },
      { ...original, survey: 'csat', score: 1, comment: 'Terrible', dimensions: undefined },
    ]
    for (const attack of attacks) {
      const reply = await postWith(bound, '/v1/responses', attack, from('203.0.113.55'))
      expect(reply.status).toBe(409)
      expect((await reply.json<{ error: { code: string } }>()).error.code).toBe('id_taken')
    }
    expect(await row(site, original.id)).toEqual(before)
    expect(await followUpOf(site, original.id)).toBeNull()
    expect(bound.ALERTS.sent).toHaveLength(0)
    // Its owner still can add to it.
    const own = await postWith(bound, '/v1/responses', { ...original, dimensions: { delivery: 2 } }, from('203.0.113.54'))
    expect(await own.json()).toEqual({ id: original.id, status: 'updated' })
    report.push('known answer id posted by another visitor, without a visitor, and under another survey: 409 id_taken each, row and follow-ups unchanged; its owner still merges')
  })
})

describe('merging', () => {
  it('keeps every rating per key, even from posts that race, and never lets a blank comment replace text', async () => {
    const { site } = await freshSite()
    const bound = bindings()
    const answer = { id: uuid(), site, survey: 'nps', score: 8, visitor: 'rater', elapsedMs: 3000, comment: 'Real words' }
    await postWith(bound, '/v1/responses', { ...answer, dimensions: { product: 4, delivery: 2 } }, from('203.0.113.56'))
    await postWith(bound, '/v1/responses', { ...answer, comment: '   \n ', dimensions: { product: 5 } }, from('203.0.113.56'))
    expect(await row(site, answer.id)).toMatchObject({ comment: 'Real words', dimensions: JSON.stringify({ product: 5, delivery: 2 }) })
    // Concurrent posts, each with one rating: all kept.
    const raced = { id: uuid(), site, survey: 'nps', score: 8, visitor: 'racer', elapsedMs: 3000 }
    await postWith(bound, '/v1/responses', raced, from('203.0.113.57'))
    await Promise.all([postWith(bound, '/v1/responses', { ...raced, dimensions: { product: 3 } }, from('203.0.113.57')), postWith(bound, '/v1/responses', { ...raced, dimensions: { delivery: 1 } }, from('203.0.113.57'))])
    expect(JSON.parse((await row(site, raced.id))!.dimensions!)).toEqual({ product: 3, delivery: 1 })
    report.push('ratings d1+d2 then d1 again, blank comment, two racing posts with one rating each: all ratings kept per key, text comment kept')
  })

  it.each(['toString', '__proto__', 'constructor', 'hasOwnProperty'])('refuses the dimension id %s with a 400, in answers and in surveys', async (name) => {
    const { site, token } = await freshSite()
    const body = `{"id":"${uuid()}","site":"${site}","survey":"nps","score":8,"visitor":"proto","elapsedMs":3000,"dimensions":{"${name}":3}}`
    const reply = await callWith(bindings(), '/v1/responses', { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body })
    expect(reply.status).toBe(400)
    expect((await reply.json<{ error: { field: string } }>()).error.field).toBe(`dimensions.${name}`)
    const survey = { type: 'nps', checkpoints: ['a'], question: { en: 'q' }, dimensions: [{ id: name, label: { en: 'x' } }] }
    expect((await asOperator(`/v1/sites/${site}/surveys/proto`, token, { method: 'PUT', body: JSON.stringify(survey) })).status).toBe(400)
    report.push(`dimension id "${name}" in an answer and in a survey: 400`)
  })
})

describe('bots', () => {
  it('flags facebookexternalhit and lets a CUBOT phone through', async () => {
    const { site } = await freshSite()
    const bound = bindings()
    const preview = { id: uuid(), site, survey: 'nps', score: 0, visitor: 'preview', elapsedMs: 3000 }
    const person = { id: uuid(), site, survey: 'nps', score: 0, visitor: 'cubot-owner', elapsedMs: 3000 }
    await postWith(bound, '/v1/responses', preview, { ...from('203.0.113.58'), 'user-agent': 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)' })
    await postWith(bound, '/v1/responses', person, { ...from('203.0.113.58'), ...phone })
    expect((await row(site, preview.id))!.flags).toBe('bot')
    expect((await row(site, person.id))!.flags).toBe('')
    expect(await followUpOf(site, person.id)).not.toBeNull()
    report.push('facebookexternalhit: flagged bot; CUBOT phone: counted, follow-up opened')
  })

  it('flags a post that sends no User-Agent at all, as no browser does, and opens no follow-up for it', async () => {
    const { site } = await freshSite()
    const bare = { id: uuid(), site, survey: 'nps', score: 0, visitor: 'bare-script', elapsedMs: 3000 }
    const request = new Request('https://hearken.test/v1/responses', { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN, ...from('203.0.113.57') }, body: JSON.stringify(bare) })
    expect(request.headers.has('user-agent')).toBe(false)
    expect((await sendWith(bindings(), request)).status).toBe(201)
    expect((await row(site, bare.id))!.flags).toBe('bot')
    expect(await followUpOf(site, bare.id)).toBeNull()
    report.push('answer posted without a User-Agent: flagged bot, no follow-up')
  })
})

describe('dating', () => {
  it('dates an answer when the visitor gave it, within 7 days back and never in the future', async () => {
    const { site } = await freshSite()
    const bound = bindings()
    const post = (answeredAt: number) => {
      const body = { id: uuid(), site, survey: 'nps', score: 9, visitor: `d${answeredAt}`, elapsedMs: 3000, answeredAt }
      return postWith(bound, '/v1/responses', body, from('203.0.113.59')).then(() => row(site, body.id))
    }
    const day = 24 * 3600_000
    expect(await post(START - day)).toMatchObject({ created_at: START - day, day: '2026-05-03' })
    expect(await post(START + day)).toMatchObject({ created_at: START, day: '2026-05-04' })
    expect(await post(START - 8 * day)).toMatchObject({ created_at: START })
    report.push('answeredAt a day back: dated then; a day ahead or 8 days back: dated on arrival')
  })
})

describe('token guessing', () => {
  it('slows wrong operator tokens per address: a 429 after 5 a minute, even for the right token, until the minute turns', async () => {
    const { site, token } = await freshSite()
    const guess = (candidate: string) => asOperator(`/v1/sites/${site}/stats?survey=nps`, candidate, { headers: from('203.0.113.60') })
    const statuses = []
    for (let attempt = 0; attempt < 8; attempt++) statuses.push((await guess(`hk_guess${attempt}`)).status)
    expect(statuses).toEqual([403, 403, 403, 403, 403, 429, 429, 429])
    const right = await guess(token)
    expect(right.status).toBe(429)
    expect(right.headers.get('retry-after')).toBe('60')
    // Another address is not slowed by this one; the next minute the right token works again.
    expect((await asOperator(`/v1/sites/${site}/stats?survey=nps`, token, { headers: from('203.0.113.61') })).status).toBe(200)
    clock += 60_000
    vi.setSystemTime(clock)
    expect((await guess(token)).status).toBe(200)
    report.push(`8 wrong operator tokens in a minute from one address: ${statuses.join(', ')}; the right token then 429 until the minute turned`)
  })

  it('slows dashboard sign-ins the same way', async () => {
    const { site, token } = await freshSite()
    const signIn = (candidate: string) =>
      call('/dashboard/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://hearken.test', 'sec-fetch-site': 'same-origin', ...from('203.0.113.62') },
        body: new URLSearchParams({ site, token: candidate }).toString(),
        redirect: 'manual',
      })
    const statuses = []
    for (let attempt = 0; attempt < 6; attempt++) statuses.push((await signIn(`wrong${attempt}`)).status)
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429])
    const right = await signIn(token)
    expect(right.status).toBe(429)
    expect(await right.text()).toContain('Too many wrong tokens')
    report.push(`6 wrong dashboard sign-ins from one address: ${statuses.join(', ')}; the right token then 429`)
  })
})
