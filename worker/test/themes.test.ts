import { env } from 'cloudflare:workers'
import jStat from 'jstat'
import { describe, expect, it } from 'vitest'
import { storeResponse } from '../src/ingest.ts'
import { applyRetention } from '../src/retention.ts'
import { findSite, type Site } from '../src/sites.ts'
import type { StatsResult, Theme } from '../src/stats-result.ts'
import { findSurvey, type Survey } from '../src/surveys.ts'
import { classifyComment } from '../src/tags.ts'
import { themesFor } from '../src/themes.ts'
import { freshSite, statsOf } from './helpers.ts'

const DAY = 24 * 3600 * 1000
/** Noon in Shanghai (the test sites' timezone) on 2026-03-01 + `day`. */
const at = (day: number) => Date.parse('2026-03-01T04:00:00Z') + day * DAY
const dayOf = (day: number) => new Date(at(day) + 8 * 3600 * 1000).toISOString().slice(0, 10)

interface Sent {
  score: number
  comment: string
  day: number
  fast?: boolean
  segment?: string
}

async function siteWith(answers: Sent[], surveyId = 'nps'): Promise<{ site: Site; survey: Survey; token: string; siteId: string }> {
  const { site: siteId, token } = await freshSite()
  const site = (await findSite(env.DB, siteId))!
  const survey = (await findSurvey(env.DB, siteId, surveyId))!
  for (const answer of answers) {
    await storeResponse(env.DB, site, survey, {
      id: crypto.randomUUID(),
      site: siteId,
      survey: surveyId,
      score: answer.score,
      comment: answer.comment,
      visitor: `v${crypto.randomUUID().slice(0, 8)}`,
      segment: answer.segment,
      elapsedMs: answer.fast ? 100 : 8000,
    }, {}, at(answer.day))
  }
  return { site, survey, token, siteId }
}

/** The figures of one tag recounted from what was sent, with the classifier's tags of each comment. */
function recount(answers: Sent[], tag: string, days: [number, number]) {
  const carrying = answers.filter((a) => !a.fast && a.day >= days[0] && a.day <= days[1] && classifyComment(a.comment).tags.includes(tag))
  const promoters = carrying.filter((a) => a.score >= 9).length
  const detractors = carrying.filter((a) => a.score <= 6).length
  const n = carrying.length
  return { n, unhappy: detractors, nps: n ? Math.round(((promoters - detractors) / n) * 1000) / 10 : null }
}

const byTag = (themes: Theme[], tag: string) => themes.find((theme) => theme.tag === tag)

describe('themes', () => {
  const comments = {
    late: 'Parcel arrived late and damaged',
    slow: '快递太慢了，等了一个星期',
    rude: '客服態度很差，問題一直沒解決',
    price: '价格太贵了',
    praise: 'Great quality, love it',
    fast: 'Fast delivery, thank you!',
    mixed: '質量不錯，物流也快',
    app: 'The app keeps crashing at checkout',
  }

  it('counts each tag, its unhappy share and the score of the answers carrying it, worst first, against a recount', async () => {
    const answers: Sent[] = [
      // The period compared with: days 0–6.
      { score: 3, comment: comments.late, day: 1 },
      { score: 9, comment: comments.fast, day: 2 },
      { score: 10, comment: comments.mixed, day: 3 },
      { score: 8, comment: comments.price, day: 4 },
      // This period: days 7–13.
      { score: 2, comment: comments.late, day: 7 },
      { score: 4, comment: comments.slow, day: 8 },
      { score: 6, comment: comments.rude, day: 9 },
      { score: 9, comment: comments.praise, day: 10 },
      { score: 10, comment: comments.mixed, day: 11 },
      { score: 10, comment: comments.fast, day: 12 },
      { score: 5, comment: comments.price, day: 13 },
      { score: 7, comment: comments.app, day: 13 },
      // Flagged (too fast): left out, as from the scores.
      { score: 0, comment: comments.app, day: 12, fast: true },
      { score: 9, comment: 'ok', day: 10 },
    ]
    const { token, siteId } = await siteWith(answers)
    const stats = await statsOf(siteId, token, `survey=nps&from=${dayOf(7)}&to=${dayOf(13)}&compare=previous`)
    const { themes } = stats
    expect(themes.previous).toEqual({ from: dayOf(0), to: dayOf(6) })
    expect(themes.answers).toBe(9)
    expect(themes.unhappy).toBe(4)

    const tags = [...new Set(answers.flatMap((a) => classifyComment(a.comment).tags))].sort()
    expect(themes.themes.map((theme) => theme.tag).sort()).toEqual(tags)
    for (const tag of tags) {
      const theme = byTag(themes.themes, tag)!
      const now = recount(answers, tag, [7, 13])
      const then = recount(answers, tag, [0, 6])
      expect({ tag, n: theme.n, unhappy: theme.unhappy, nps: theme.nps!.score }).toEqual({ tag, ...now })
      expect({ tag, n: theme.previous.n, unhappy: theme.previous.unhappy, nps: theme.previous.nps!.score }).toEqual({ tag, ...then })
      expect(theme.unhappyShare).toBe(now.n ? Math.round((now.unhappy / now.n) * 1000) / 10 : null)
      expect(theme.change.change).toBe(now.nps === null || then.nps === null ? null : Math.round((now.nps - then.nps) * 10) / 10)
      expect(theme.change.verdict).toBe(now.n && then.n ? 'directional' : null)
      expect(theme.type).toBe(['problem', 'praise', 'suggestion'].includes(tag) ? 'kind' : 'topic')
    }
    // Worst first: every tag carried by unhappy answers only comes before every tag carried by promoters only.
    const order = themes.themes.map((theme) => theme.tag)
    const allUnhappy = themes.themes.filter((theme) => theme.n > 0 && theme.unhappy === theme.n).map((theme) => order.indexOf(theme.tag))
    const allPromoters = themes.themes.filter((theme) => theme.n > 0 && theme.nps!.promoters === theme.n).map((theme) => order.indexOf(theme.tag))
    expect(allUnhappy.length).toBeGreaterThan(1)
    expect(allPromoters.length).toBeGreaterThan(1)
    expect(Math.max(...allUnhappy)).toBeLessThan(Math.min(...allPromoters))
    // Equal intervals and scores (praise and quality, all promoters): more answers first.
    expect(order.indexOf('praise')).toBeLessThan(order.indexOf('quality'))

    const withFlagged = await statsOf(siteId, token, `survey=nps&from=${dayOf(7)}&to=${dayOf(13)}&flagged=include`)
    expect(byTag(withFlagged.themes.themes, 'usability')!.n).toBe(2)
    expect(byTag(themes.themes, 'usability')!.n).toBe(1)
  })

  it('names the topics rising among unhappy answers, significant ones first, with the p of a two-proportion test', async () => {
    // 40 unhappy answers a week; delivery goes from 4 of them to 20, price stays at 10, support falls.
    const week = (first: number, delivery: number, price: number, support: number): Sent[] =>
      Array.from({ length: 40 }, (_, i) => ({
        score: i % 7,
        comment: i < delivery ? comments.slow : i < delivery + price ? comments.price : i < delivery + price + support ? comments.rude : '还行吧',
        day: first + (i % 7),
      }))
    const answers = [...week(0, 4, 10, 12), ...week(7, 20, 10, 2), { score: 10, comment: comments.fast, day: 9 }]
    const { site, survey } = await siteWith(answers)
    const result = await themesFor(env.DB, site.id, survey, { from: dayOf(7), to: dayOf(13) })
    expect(result.unhappy).toBe(40)
    expect(result.hotIssues.map((issue) => issue.tag)).toEqual(['delivery'])
    const [delivery] = result.hotIssues
    expect(delivery).toMatchObject({ unhappy: 20, share: 50, previousUnhappy: 4, previousShare: 10, rise: 40, verdict: 'significant', minAnswers: 30 })
    const p = jStat.fn.twoSidedDifferenceOfProportions(20 / 40, 40, 4 / 40, 40)
    expect(delivery!.pValue).toBeCloseTo(p, 4)

    // Fewer than 30 unhappy answers in a period: a rise is only directional.
    const small = await themesFor(env.DB, site.id, survey, { from: dayOf(7), to: dayOf(8), previous: { from: dayOf(0), to: dayOf(1) } })
    expect(small.hotIssues.length).toBeGreaterThan(0)
    for (const issue of small.hotIssues) expect(issue).toMatchObject({ verdict: 'directional', pValue: null })
  })

  it('takes a hot issue\'s share of the unhappy answers with a comment, as a recount of the stored rows gives it', async () => {
    // The week before: 10 unhappy answers, all with a comment, 4 about delivery. This week: 30
    // unhappy answers, of which only 10 wrote a comment, 5 about delivery. Of all unhappy
    // answers delivery fell (40 % to 16.7 %); of those who said what went wrong it rose (40 % to 50 %).
    const unhappy = (first: number, commented: number, delivery: number, silent: number): Sent[] => [
      ...Array.from({ length: commented }, (_, i) => ({ score: i % 7, comment: i < delivery ? comments.slow : '还行吧', day: first + (i % 7) })),
      ...Array.from({ length: silent }, (_, i) => ({ score: i % 7, comment: '', day: first + (i % 7) })),
    ]
    const answers = [...unhappy(0, 10, 4, 0), ...unhappy(7, 10, 5, 20), { score: 10, comment: comments.fast, day: 9 }]
    const { site, survey, siteId } = await siteWith(answers)
    const result = await themesFor(env.DB, site.id, survey, { from: dayOf(7), to: dayOf(13) })

    // The reference: the stored answers and their stored tags, counted in SQL.
    const recounted = async (from: number, to: number) => {
      const [base, delivery] = await env.DB.batch<{ n: number }>([
        env.DB.prepare(`SELECT COUNT(*) AS n FROM responses WHERE site_id = ? AND day BETWEEN ? AND ? AND score <= 6 AND flags = '' AND comment IS NOT NULL`).bind(siteId, dayOf(from), dayOf(to)),
        env.DB.prepare(
          `SELECT COUNT(*) AS n FROM responses r JOIN response_tags t ON t.site_id = r.site_id AND t.response_id = r.id
           WHERE r.site_id = ? AND r.day BETWEEN ? AND ? AND r.score <= 6 AND r.flags = '' AND t.tag = 'delivery'`,
        ).bind(siteId, dayOf(from), dayOf(to)),
      ])
      return { base: base!.results[0]!.n, delivery: delivery!.results[0]!.n }
    }
    const now = await recounted(7, 13)
    const then = await recounted(0, 6)
    expect([now, then]).toEqual([{ base: 10, delivery: 5 }, { base: 10, delivery: 4 }])
    expect(result.unhappy).toBe(30)
    expect({ now: result.unhappyCommented, then: result.previousUnhappyCommented }).toEqual({ now: now.base, then: then.base })
    const round1 = (value: number) => Math.round(value * 10) / 10
    expect(result.hotIssues.find((issue) => issue.tag === 'delivery')).toMatchObject({
      unhappy: now.delivery,
      share: round1((now.delivery / now.base) * 100),
      previousUnhappy: then.delivery,
      previousShare: round1((then.delivery / then.base) * 100),
      rise: 10,
      verdict: 'directional',
    })
    // Retention erases comments but keeps the tags and the base they were counted in.
    await env.DB.prepare("UPDATE sites SET settings = json_set(settings, '$.retentionDays', 1) WHERE id = ?").bind(siteId).run()
    const newest = (await env.DB.prepare('SELECT MAX(created_at) AS at FROM responses WHERE site_id = ?').bind(siteId).first<{ at: number }>())!.at
    await applyRetention(env, newest + 2 * 24 * 3600_000)
    expect((await env.DB.prepare('SELECT COUNT(*) AS n FROM responses WHERE site_id = ? AND comment IS NOT NULL').bind(siteId).first<{ n: number }>())!.n).toBe(0)
    const erased = await themesFor(env.DB, site.id, survey, { from: dayOf(7), to: dayOf(13) })
    expect(erased.hotIssues).toEqual(result.hotIssues)
  })

  it('reads a CSAT survey\'s low scores as unhappy, and narrows by segment like the stats', async () => {
    const answers: Sent[] = [
      { score: 1, comment: comments.rude, day: 1, segment: 'vip' },
      { score: 2, comment: comments.rude, day: 2 },
      { score: 4, comment: comments.rude, day: 3 },
      { score: 5, comment: comments.praise, day: 3, segment: 'vip' },
    ]
    const { site, survey } = await siteWith(answers, 'csat')
    const result = await themesFor(env.DB, site.id, survey, { from: dayOf(0), to: dayOf(6) })
    const support = byTag(result.themes, 'support')!
    expect(support).toMatchObject({ n: 3, unhappy: 2, unhappyShare: 66.7 })
    expect(support.csat).toMatchObject({ score: 33.3, satisfied: 1, n: 3 })
    const vip = await themesFor(env.DB, site.id, survey, { from: dayOf(0), to: dayOf(6), segment: 'vip' })
    expect(byTag(vip.themes, 'support')).toMatchObject({ n: 1, unhappy: 1 })
    expect(vip.answers).toBe(2)
  })

  it('is part of the stats, with the tagging state', async () => {
    const { token, siteId } = await siteWith([{ score: 3, comment: comments.late, day: 1 }])
    const stats: StatsResult = await statsOf(siteId, token, `survey=nps&from=${dayOf(0)}&to=${dayOf(6)}`)
    expect(stats.themes.tagging).toEqual({ state: 'current', done: 0, total: null, through: null })
    // One answer carries both: equal scores, so by name.
    expect(stats.themes.themes.map((theme) => theme.tag)).toEqual(['delivery', 'problem'])
  })
})
