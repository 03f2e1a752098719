import { env } from 'cloudflare:workers'
import { Webhook as StandardWebhook } from 'standardwebhooks'
import { describe, expect, it, vi } from 'vitest'
import { computeDigestData, type DigestData } from '../src/digests-data.ts'
import { claimDigests, dueDigests } from '../src/digests.ts'
import { updateFollowUp } from '../src/follow-ups.ts'
import { findSite } from '../src/sites.ts'
import type { StatsResult } from '../src/stats-result.ts'
import { addWebhook, pathFor, received, script } from './alert-harness.ts'
import { digestHarness, localDay, setTimezone, storeAnswer, storeShown } from './digest-harness.ts'
import { seededRandom } from './seeded-random.ts'
import { asOperator, freshSite, ORIGIN, statsOf } from './helpers.ts'

/**
 * Digests from the cron, on fixed clocks: every hour from 27 February to 9 March 2026 (a month's
 * end, two Mondays, New York's switch to summer time on 8 March), in Asia/Shanghai and
 * America/New_York, with the cron run twice side by side and once more each hour. Each digest
 * must arrive once, at its hour, and say what the raw rows say, recounted here from the stored
 * answers, impressions and the follow-up actions this test took; the verdicts, intervals and
 * worst groups must be the stats API's for the same two periods.
 */

const HOUR = 3600_000
const round1 = (value: number) => Math.round(value * 10) / 10

type Logged = { survey: string; created: number; due: number; firstAction: number | null; resolved: number | null; assignee: string | null; checkpoint: string }

/** Six weeks of answers, impressions and follow-up work for one site, seeded. */
async function seedSite(site: string, seed: number, midnightUtcHour: number): Promise<Logged[]> {
  const random = seededRandom(seed)
  const from = Date.UTC(2026, 0, 24)
  const to = Date.UTC(2026, 2, 9, 12)
  const followUps: Logged[] = []
  const owner = (await findSite(env.DB, site))!
  const answers = Array.from({ length: 560 }, () => {
    const survey = random() < 0.7 ? 'nps' : 'csat'
    // Days lean on their last hours now and then, so the digest's midnight is tested on both sides.
    const at = random() < 0.15 ? from + Math.floor(random() * 44) * 24 * HOUR + midnightUtcHour * HOUR + Math.floor((random() - 0.5) * 2 * HOUR) : from + Math.floor(random() * (to - from))
    const score = survey === 'nps' ? Math.floor(random() * 11) : 1 + Math.floor(random() * 5)
    return { survey, at, score, checkpoint: random() < 0.6 ? 'order_completed' : 'checkout', segment: ['mobile', 'desktop', ''][Math.floor(random() * 3)]!, bot: random() < 0.05 }
  })
  for (let start = 0; start < answers.length; start += 20) {
    const chunk = answers.slice(start, start + 20)
    const ids = await Promise.all(chunk.map((answer) => storeAnswer(site, answer.at, answer)))
    for (const [index, answer] of chunk.entries()) {
      const unhappy = !answer.bot && (answer.survey === 'nps' ? answer.score <= 6 : answer.score <= 2)
      if (!unhappy) continue
      const log: Logged = { survey: answer.survey, created: answer.at, due: answer.at + 48 * HOUR, firstAction: null, resolved: null, assignee: null, checkpoint: answer.checkpoint }
      followUps.push(log)
      if (random() < 0.75) {
        log.firstAction = answer.at + Math.floor((0.5 + random() * 60) * HOUR)
        log.assignee = ['alice', 'bob', 'carol'][Math.floor(random() * 3)]!
        await updateFollowUp(env.DB, owner, ids[index]!, { assignee: log.assignee, status: 'in_progress' }, log.firstAction)
        if (random() < 0.65) {
          log.resolved = log.firstAction + Math.floor((1 + random() * 80) * HOUR)
          await updateFollowUp(env.DB, owner, ids[index]!, { status: 'resolved', note: 'called back' }, log.resolved)
        }
      }
    }
  }
  for (let start = 0; start < 640; start += 20) {
    await Promise.all(Array.from({ length: 20 }, () => storeShown(site, from + Math.floor(random() * (to - from)), 'nps')))
  }
  return followUps
}

/** The raw answers and impressions of a site, as stored. */
async function rawRows(site: string) {
  const { results: answers } = await env.DB.prepare('SELECT survey_id, score, day, flags FROM responses WHERE site_id = ?').bind(site).all<{ survey_id: string; score: number; day: string; flags: string }>()
  // Both sides of the response rate leave flagged rows out alike.
  const { results: shown } = await env.DB.prepare(`SELECT survey_id, day FROM impressions WHERE site_id = ? AND kind = 'shown' AND flags = ''`).bind(site).all<{ survey_id: string; day: string }>()
  return { answers, shown }
}

/** What the raw answers and impressions say about one survey in a period. */
function recount(raw: Awaited<ReturnType<typeof rawRows>>, survey: string, type: 'nps' | 'csat', period: { from: string; to: string }) {
  const rows = raw.answers.filter((row) => row.survey_id === survey)
  const inPeriod = rows.filter((row) => row.day >= period.from && row.day <= period.to)
  const counted = inPeriod.filter((row) => row.flags === '')
  const n = counted.length
  const score =
    n === 0
      ? null
      : type === 'nps'
        ? round1(((counted.filter((row) => row.score >= 9).length - counted.filter((row) => row.score <= 6).length) / n) * 100)
        : round1((counted.filter((row) => row.score >= 4).length / n) * 100)
  const shown = raw.shown.filter((row) => row.survey_id === survey).filter((row) => row.day >= period.from && row.day <= period.to).length
  return { n, score, shown, answered: n }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length / 2
  return sorted.length === 0 ? null : round1((sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2) / HOUR)
}

/** The follow-up figures of a period, from the test's own log and Intl's reading of the days. */
function expectedFollowUps(log: Logged[], zone: string, period: { from: string; to: string }) {
  const day = (at: number) => localDay(zone, at)
  const within = (at: number | null) => at !== null && day(at) >= period.from && day(at) <= period.to
  const figures = (rows: Logged[]) => {
    const due = rows.filter((row) => within(row.due))
    const inTime = due.filter((row) => row.resolved !== null && row.resolved <= row.due).length
    return {
      opened: rows.filter((row) => within(row.created)).length,
      resolved: rows.filter((row) => within(row.resolved)).length,
      overdue: rows.filter((row) => day(row.created) <= period.to && day(row.due) <= period.to && (row.resolved === null || day(row.resolved) > period.to)).length,
      sla: { due: due.length, inTime, rate: due.length ? round1((inTime / due.length) * 100) : null },
      firstAction: { n: rows.filter((row) => within(row.firstAction)).length, medianHours: median(rows.filter((row) => within(row.firstAction)).map((row) => row.firstAction! - row.created)) },
      resolve: { n: rows.filter((row) => within(row.resolved)).length, medianHours: median(rows.filter((row) => within(row.resolved)).map((row) => row.resolved! - row.created)) },
    }
  }
  const groups = (keyOf: (row: Logged) => string) => {
    const keys = [...new Set(log.map(keyOf))]
    return Object.fromEntries(keys.map((key) => [key, figures(log.filter((row) => keyOf(row) === key))]).filter(([, value]) => {
      const f = value as ReturnType<typeof figures>
      return f.opened || f.resolved || f.overdue || f.sla.due || f.firstAction.n
    }))
  }
  return { total: figures(log), byAssignee: groups((row) => row.assignee ?? ''), byCheckpoint: groups((row) => row.checkpoint) }
}

/**
 * The event, once standardwebhooks (an independent implementation) signs it to the same bytes.
 * Its verify() measures the timestamp against the real clock, which these fixed clocks are not.
 */
function verified(secret: string, entry: { body: string; headers: Record<string, string | string[] | undefined> }) {
  const signature = new StandardWebhook(secret).sign(String(entry.headers['webhook-id']), new Date(Number(entry.headers['webhook-timestamp']) * 1000), entry.body)
  expect(entry.headers['webhook-signature']).toBe(signature)
  return JSON.parse(entry.body) as { type: string; timestamp: string; data: DigestData }
}

type Expected = { frequency: 'daily' | 'weekly' | 'monthly'; from: string; to: string; sentAt: number }

const START = Date.UTC(2026, 1, 27, 12)
const END = Date.UTC(2026, 2, 9, 18)

const days = (first: string, count: number) =>
  Array.from({ length: count }, (_, index) => new Date(Date.parse(`${first}T00:00:00Z`) + index * 24 * HOUR).toISOString().slice(0, 10))

/**
 * What each site must get, worked out by hand: a digest goes at 08:00 in the site's zone after its
 * period ends. Shanghai is UTC+8 all year, so 08:00 there is 00:00 UTC; New York is UTC−5 until
 * 8 March 2026, 02:00, then UTC−4, so 08:00 there is 13:00 UTC, from the 8th 12:00 UTC. The clock starts
 * at 27 February 12:00 UTC, when Shanghai's digest of the 26th is already due (20:00 there).
 */
function expectedDigests(zone: 'Asia/Shanghai' | 'America/New_York'): Expected[] {
  const eightAm = (day: string) => {
    const midnightUtc = Date.parse(`${day}T00:00:00Z`)
    if (zone === 'Asia/Shanghai') return midnightUtc
    return midnightUtc + (day >= '2026-03-08' ? 12 : 13) * HOUR
  }
  const next = (day: string) => days(day, 2)[1]!
  const daily = days('2026-02-26', 11).map((day) => ({ frequency: 'daily' as const, from: day, to: day, sentAt: Math.max(START, eightAm(next(day))) }))
  return [
    ...daily,
    { frequency: 'weekly', from: '2026-02-23', to: '2026-03-01', sentAt: eightAm('2026-03-02') },
    { frequency: 'weekly', from: '2026-03-02', to: '2026-03-08', sentAt: eightAm('2026-03-09') },
    { frequency: 'monthly', from: '2026-02-01', to: '2026-02-28', sentAt: eightAm('2026-03-01') },
  ]
}

describe('digests from the cron', () => {
  it('arrive once per period at 08:00 in two timezones, across day, week and month ends and a DST switch, saying what the raw rows say', async () => {
    const zones = ['Asia/Shanghai', 'America/New_York'] as const
    const sites = await Promise.all(
      zones.map(async (zone, index) => {
        const { site, token } = await freshSite()
        await setTimezone(site, zone)
        const path = pathFor('json', 'digest')
        const secret = await addWebhook(site, token, 'managers', 'json', path, { events: [], digests: ['daily', 'weekly', 'monthly'] })
        // Local midnight in UTC hours (in winter): answers cluster around it, so both sides of a day's end are counted.
        return { zone, site, token, path, secret: secret!, log: await seedSite(site, 20 + index, zone === 'Asia/Shanghai' ? 16 : 5) }
      }),
    )
    const h = digestHarness(START)
    for (let at = START; at <= END; at += HOUR) {
      // Twice side by side, and once more after a run that claimed something: a cron that fires twice must not send twice.
      const [first, second] = await Promise.all([h.cron(at), h.cron(at)])
      if (first + second > 0) await h.cron(at)
    }
    // Counted for these sites only: the cron also serves the other tests' sites of this file.
    const mine = JSON.stringify(sites.map(({ site }) => site))
    expect((await env.DB.prepare('SELECT COUNT(*) AS n FROM digests WHERE site_id IN (SELECT value FROM json_each(?))').bind(mine).first<{ n: number }>())!.n).toBe(28)

    for (const { zone, site, token, path, secret, log } of sites) {
      const raw = await rawRows(site)
      const got = await received(path)
      const events = got.map((entry) => ({ entry, event: verified(secret, entry) }))
      const expected = expectedDigests(zone)
      expect(events.map(({ event }) => `${event.type} ${event.data.period.from}`).sort(), zone).toEqual(expected.map((digest) => `hearken.digest.${digest.frequency} ${digest.from}`).sort())
      for (const digest of expected) {
        const { entry, event } = events.find(({ event }) => event.type === `hearken.digest.${digest.frequency}` && event.data.period.from === digest.from)!
        const label = `${zone} ${digest.frequency} ${digest.from}`
        // Sent at its hour (or at once when the clock started inside its window), never before.
        expect(Number(entry.headers['webhook-timestamp']) * 1000, label).toBe(digest.sentAt)
        const data = event.data
        expect(data.period, label).toEqual({ from: digest.from, to: digest.to })
        for (const survey of data.surveys) {
          if (survey.id === 'ces') {
            expect(survey.score, label).toEqual({ score: null, interval: null, n: 0 })
            continue
          }
          const type = survey.id as 'nps' | 'csat'
          const now = recount(raw, survey.id, type, data.period)
          const before = recount(raw, survey.id, type, data.previous)
          expect({ score: survey.score.score, n: survey.score.n }, `${label} ${survey.id}`).toEqual({ score: now.score, n: now.n })
          expect({ score: survey.change.previous.score, n: survey.change.previous.n }, `${label} ${survey.id} previous`).toEqual({ score: before.score, n: before.n })
          expect(survey.change.points).toBe(now.score === null || before.score === null ? null : round1(now.score - before.score))
          const target = type === 'nps' ? 40 : 85
          expect(survey.goal).toEqual({ target, gap: now.score === null ? null : round1(now.score - target), met: now.score === null ? null : now.score >= target })
          expect(survey.responseRate, `${label} ${survey.id} rate`).toEqual({
            shown: now.shown,
            answered: now.answered,
            rate: now.shown ? round1((Math.min(now.answered, now.shown) / now.shown) * 100) : null,
          })
          // The verdict, interval and worst groups are the stats API's own for the same two periods.
          const stats: StatsResult = await statsOf(site, token, `survey=${survey.id}&from=${data.period.from}&to=${data.period.to}&compareFrom=${data.previous.from}&compareTo=${data.previous.to}`)
          expect(survey.score.interval).toEqual((stats.nps ?? stats.csat)!.interval)
          expect({ verdict: survey.change.verdict, pValue: survey.change.pValue }).toEqual({ verdict: stats.comparison!.verdict, pValue: stats.comparison!.pValue })
          expect(survey.worstCheckpoint?.key).toBe(stats.byCheckpoint.length >= 2 ? stats.byCheckpoint[0]!.key : undefined)
          expect(survey.worstSegment?.key).toBe(stats.bySegment.length >= 2 ? stats.bySegment[0]!.key : undefined)
          expect(survey.themes.hotIssues).toEqual(stats.themes.hotIssues.slice(0, 5))
        }
        // The previous period of a month is the calendar month before, not the 28 days before.
        if (digest.frequency === 'monthly') expect(data.previous).toEqual({ from: '2026-01-01', to: '2026-01-31' })
        const want = expectedFollowUps(log, zone, data.period)
        const { byAssignee, byCheckpoint, from: _from, to: _to, survey: _survey, ...total } = data.followUps
        expect({ ...total, sla: { ...total.sla, interval: undefined } }, `${label} follow-ups`).toEqual({ ...want.total, sla: { ...want.total.sla, interval: undefined } })
        for (const [groups, wanted] of [[byAssignee, want.byAssignee], [byCheckpoint, want.byCheckpoint]] as const) {
          expect(Object.fromEntries(groups.map(({ key, sla, ...rest }) => [key, { ...rest, sla: { due: sla.due, inTime: sla.inTime, rate: sla.rate } }])), `${label} groups`).toEqual(wanted)
        }
      }
    }
  }, 600_000)
})

describe('a digest is sent once', () => {
  /** Monday 9 March 2026, 08:00 in Shanghai: the daily digest of the 8th and the weekly of 2–8 March are due. */
  const DUE = Date.UTC(2026, 2, 9, 0)
  /** Digests claimed for one site: the cron serves every site in this file's database, so counts are taken per site. */
  const claimedFor = async (site: string) => Number(await env.DB.prepare('SELECT COUNT(*) AS n FROM digests WHERE site_id = ?').bind(site).first('n'))

  async function siteWithDigests(format = 'json') {
    const { site, token } = await freshSite()
    const path = pathFor(format, 'once')
    await addWebhook(site, token, 'managers', format, path, { events: [], digests: ['weekly'] })
    for (let index = 0; index < 12; index++) await storeAnswer(site, DUE - (index + 2) * 6 * HOUR, { survey: 'nps', score: index % 11 })
    return { site, token, path }
  }

  it('when a run stops after claiming it, or in the middle of sending it: the next run sends it, under the same id', async () => {
    const { site, path } = await siteWithDigests()
    const h = digestHarness(DUE)
    // A run that claimed the digest and stopped before sending anything.
    const owner = (await findSite(env.DB, site))!
    const [due] = dueDigests({ id: site, timezone: owner.timezone, webhooks: owner.settings.webhooks, settings: owner.settings.digests }, DUE)
    const data = await computeDigestData(env.DB, owner, owner.settings.digests, due!.frequency, due!.period, DUE)
    expect((await claimDigests(env.DB, due!, data, due!.webhooks, DUE)).map((webhook) => webhook.id)).toEqual(['managers'])
    // Another that stopped in the middle of an attempt: the message says "sending", the receiver got nothing.
    await env.DB.prepare(`UPDATE webhook_messages SET status = 'sending', next_attempt_at = ? WHERE site_id = ?`).bind(DUE + 60_000, site).run()
    expect(await received(path)).toHaveLength(0)
    // The next runs: nothing is claimed again, the sweep sends what was left, once.
    await h.cron(DUE + 10 * 60_000)
    await h.cron(DUE + 20 * 60_000)
    expect(await claimedFor(site)).toBe(1)
    const got = await received(path)
    expect(got).toHaveLength(1)
    const { results: messages } = await env.DB.prepare('SELECT id, status, attempts FROM webhook_messages WHERE site_id = ?').bind(site).all<{ id: string; status: string; attempts: number }>()
    expect(messages).toEqual([{ id: got[0]!.headers['webhook-id'], status: 'delivered', attempts: 1 }])
  })

  it('when the receiver fails: retried on the delivery schedule under the same webhook-id, and no new digest is made', async () => {
    const { site, path } = await siteWithDigests()
    const h = digestHarness(DUE)
    await script(path, 'http500')
    await h.cron(DUE)
    expect(await claimedFor(site)).toBe(1)
    await h.cron(DUE + 10 * 60_000)
    const got = await received(path)
    expect(got.map((entry) => entry.status)).toEqual([500, 204])
    expect(got[1]!.headers['webhook-id']).toBe(got[0]!.headers['webhook-id'])
    expect(got[1]!.body).toBe(got[0]!.body)
    expect(await claimedFor(site)).toBe(1)
  })

  it('when one site’s digest cannot be computed: the others go, and it goes at the next run', async () => {
    const first = await siteWithDigests()
    const second = await siteWithDigests()
    const h = digestHarness(DUE)
    // D1 refuses the second site's follow-up query once, as a run that fails half-way would see.
    let refused = false
    const db = h.env.DB
    h.env.DB = new Proxy(db, {
      get(target, name) {
        if (name !== 'prepare') return Reflect.get(target, name).bind(target)
        return (sql: string) => {
          const statement = target.prepare(sql)
          if (!sql.includes('JOIN follow_ups f ON f.rowid')) return statement
          return new Proxy(statement, {
            get(inner, key) {
              if (key !== 'bind') return Reflect.get(inner, key).bind(inner)
              return (...values: unknown[]) => {
                if (values[0] === second.site && !refused) {
                  refused = true
                  throw new Error('D1_ERROR: simulated overload')
                }
                return inner.bind(...values)
              }
            },
          })
        }
      },
    })
    await h.cron(DUE)
    expect([await claimedFor(first.site), await claimedFor(second.site)]).toEqual([1, 0])
    expect(await received(first.path)).toHaveLength(1)
    expect(await received(second.path)).toHaveLength(0)
    await h.cron(DUE + 10 * 60_000)
    await h.cron(DUE + 20 * 60_000)
    expect([await claimedFor(first.site), await claimedFor(second.site)]).toEqual([1, 1])
    expect(await received(first.path)).toHaveLength(1)
    expect(await received(second.path)).toHaveLength(1)
  })

  it('after its window: a cron that was down for more than a day skips the period instead of sending it late', async () => {
    const { site, path } = await siteWithDigests()
    const h = digestHarness(DUE)
    await h.cron(DUE + 24 * HOUR)
    await h.cron(DUE - 10 * 60_000)
    expect(await claimedFor(site)).toBe(0)
    expect(await received(path)).toHaveLength(0)
    await h.cron(DUE + 24 * HOUR - 10 * 60_000)
    expect(await claimedFor(site)).toBe(1)
    expect(await received(path)).toHaveLength(1)
  })
})

describe('the per-run ceiling', () => {
  /** Monday 1 June 2026, 08:00 in Shanghai: every site's weekly digest of 25–31 May is due. */
  const DUE = Date.UTC(2026, 5, 1, 0)

  it('skips no period: 12 due digests over successive cron runs, the later ones past their 24 hours, each sent once', async () => {
    const sites = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const { site, token } = await freshSite()
        const path = pathFor('json', 'ceiling')
        await addWebhook(site, token, 'managers', 'json', path, { events: [], digests: ['weekly'] })
        return { site, path }
      }),
    )
    const mine = sites.map(({ site }) => site)
    const h = digestHarness(DUE)
    const warned: string[] = []
    const warn = vi.spyOn(console, 'warn').mockImplementation((message: unknown) => void warned.push(String(message)))
    const recorded = async () => (await env.DB.prepare(`SELECT site_id FROM digest_backlog WHERE site_id IN (SELECT value FROM json_each(?))`).bind(JSON.stringify(mine)).all<{ site_id: string }>()).results.length
    try {
      // The first run prepares 5 (every site of this file's database is served, oldest due first) and records the rest.
      await h.cron(DUE, 5)
      expect(warned.some((line) => /left for a later cron run \(5 a run\), recorded in digest_backlog/.test(line))).toBe(true)
      const waiting = await recorded()
      expect(waiting).toBeGreaterThanOrEqual(7)
      // The next runs come after the period's 24 hours (a cron paused for a day): recorded digests still go.
      for (let run = 1; run <= 12 && (await recorded()) > 0; run++) await h.cron(DUE + 24 * HOUR + run * 10 * 60_000, 5)
    } finally {
      warn.mockRestore()
    }
    expect(await recorded()).toBe(0)
    for (const { site, path } of sites) {
      const got = await received(path)
      expect(got, site).toHaveLength(1)
      expect(JSON.parse(got[0]!.body)).toMatchObject({ type: 'hearken.digest.weekly', data: { frequency: 'weekly', period: { from: '2026-05-25', to: '2026-05-31' } } })
    }
    const { results } = await env.DB.prepare(`SELECT created_at FROM digests WHERE site_id IN (SELECT value FROM json_each(?))`).bind(JSON.stringify(mine)).all<{ created_at: number }>()
    expect(results).toHaveLength(12)
    expect(results.filter((row) => row.created_at > DUE + 24 * HOUR).length).toBeGreaterThanOrEqual(7)
    // One more run sends nothing again.
    await h.cron(DUE + 30 * HOUR, 50)
    for (const { path } of sites) expect(await received(path)).toHaveLength(1)
  })
})

describe('digest settings', () => {
  it('a PUT naming some fields of settings.digests keeps the others as they were', async () => {
    const { site, token } = await freshSite()
    const put = async (digests: unknown) => {
      const reply = await asOperator(`/v1/sites/${site}`, token, { method: 'PUT', body: JSON.stringify({ name: 'Test shop', origins: [ORIGIN], settings: { digests } }) })
      expect(reply.status).toBe(200)
      return (await reply.json<{ settings: { digests: unknown } }>()).settings.digests
    }
    expect(await put({ frequencies: ['weekly'], lang: 'zh-CN', hour: 9, surveys: ['nps'] })).toEqual({ frequencies: ['weekly'], lang: 'zh-CN', hour: 9, surveys: ['nps'] })
    expect(await put({ frequencies: ['monthly'] })).toEqual({ frequencies: ['monthly'], lang: 'zh-CN', hour: 9, surveys: ['nps'] })
    expect(await put({ hour: 0 })).toEqual({ frequencies: ['monthly'], lang: 'zh-CN', hour: 0, surveys: ['nps'] })
    // An empty list goes back to every survey.
    expect(await put({ surveys: [] })).toEqual({ frequencies: ['monthly'], lang: 'zh-CN', hour: 0 })
    // A PUT without settings.digests leaves them alone, and the stored row says the same.
    const reply = await asOperator(`/v1/sites/${site}`, token, { method: 'PUT', body: JSON.stringify({ name: 'Test shop', origins: [ORIGIN], settings: { capDays: 3 } }) })
    expect(reply.status).toBe(200)
    expect((await findSite(env.DB, site))!.settings.digests).toEqual({ frequencies: ['monthly'], lang: 'zh-CN', hour: 0 })
  })
})
