import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { addDays, dayIn } from '../src/dates.ts'
import type { FollowUpMetrics } from '../src/follow-up-metrics.ts'
import type { Report } from '../src/report.ts'
import type { StatsResult } from '../src/stats-result.ts'
import { open, signIn } from './dashboard-helpers.ts'
import { storeAnswer } from './digest-harness.ts'
import { ADMIN, asOperator, call, freshSite, ORIGIN } from './helpers.ts'

/**
 * The report (JSON and the printable page) and the follow-up loop's figures, through the API as
 * an operator calls it, on the real clock: answers are placed relative to now.
 */

const HOUR = 3600_000
const HOSTILE = '<img src=x onerror=alert(1)> 商店'

async function reportSite() {
  const { site, token } = await freshSite()
  await asOperator(`/v1/sites/${site}`, ADMIN, { method: 'PUT', body: JSON.stringify({ name: HOSTILE, origins: [ORIGIN], timezone: 'Asia/Shanghai' }) })
  const now = Date.now()
  const ids: string[] = []
  for (let index = 0; index < 36; index++) {
    ids.push(await storeAnswer(site, now - (index + 1) * 3 * HOUR, { survey: 'nps', score: index % 11, checkpoint: index % 3 ? 'order_completed' : 'checkout', segment: index % 2 ? 'mobile' : 'desktop' }))
  }
  const today = dayIn('Asia/Shanghai', now)
  return { site, token, ids, from: addDays(today, -13), to: today }
}

const patch = (site: string, token: string, id: string, body: unknown) => asOperator(`/v1/sites/${site}/responses/${id}`, token, { method: 'PATCH', body: JSON.stringify(body) })
const times = (site: string, id: string) =>
  env.DB.prepare('SELECT first_action_at, resolved_at FROM follow_ups WHERE site_id = ? AND response_id = ?').bind(site, id).first<{ first_action_at: number | null; resolved_at: number | null }>()

describe('the follow-up loop measured', () => {
  it('keeps the first action once, the resolution until reopened, and counts them per assignee and checkpoint', async () => {
    const { site, token, ids, from, to } = await reportSite()
    // ids[2] is NPS 2, from 9 hours ago: a follow-up was opened for it.
    const id = ids[2]!
    expect(await times(site, id)).toEqual({ first_action_at: null, resolved_at: null })
    expect((await patch(site, token, id, { assignee: 'alice' })).status).toBe(200)
    const first = (await times(site, id))!.first_action_at!
    expect(first).toBeGreaterThan(Date.now() - 60_000)
    expect((await patch(site, token, id, { status: 'resolved' })).status).toBe(200)
    const resolved = (await times(site, id))!.resolved_at!
    expect(resolved).toBeGreaterThanOrEqual(first)
    expect((await patch(site, token, id, { note: 'called, all good' })).status).toBe(200)
    expect(await times(site, id)).toEqual({ first_action_at: first, resolved_at: resolved })
    expect((await patch(site, token, id, { status: 'open' })).status).toBe(200)
    expect(await times(site, id)).toEqual({ first_action_at: first, resolved_at: null })
    expect((await patch(site, token, id, { status: 'resolved' })).status).toBe(200)
    expect((await times(site, id))!.resolved_at).toBeGreaterThanOrEqual(resolved)

    const metrics = await (await asOperator(`/v1/sites/${site}/follow-ups/metrics?from=${from}&to=${to}`, token)).json<FollowUpMetrics>()
    const { results } = await env.DB.prepare(`SELECT COUNT(*) AS n FROM follow_ups WHERE site_id = ?`).bind(site).all<{ n: number }>()
    expect(metrics).toMatchObject({ from, to, survey: null, opened: results[0]!.n, resolved: 1, firstAction: { n: 1 }, resolve: { n: 1 } })
    expect(metrics.byAssignee.find((group) => group.key === 'alice')).toMatchObject({ resolved: 1, firstAction: { n: 1 } })
    expect(metrics.byCheckpoint.map((group) => group.key).sort()).toEqual(['checkout', 'order_completed'])
    const csat = await (await asOperator(`/v1/sites/${site}/follow-ups/metrics?from=${from}&to=${to}&survey=csat`, token)).json<FollowUpMetrics>()
    expect(csat).toMatchObject({ survey: 'csat', opened: 0, resolved: 0, byAssignee: [] })
  })

  it('refuses a bad period or survey with a 4xx naming it', async () => {
    const { site, token } = await reportSite()
    for (const [query, status, field] of [
      ['from=garbage', 400, 'from'],
      ['to=9999-12-31', 400, 'to'],
      ['from=2026-03-09&to=2026-03-01', 400, 'from'],
      ['survey=nope', 404, 'survey'],
    ] as const) {
      const reply = await asOperator(`/v1/sites/${site}/follow-ups/metrics?${query}`, token)
      expect(reply.status, query).toBe(status)
      expect((await reply.json<{ error: { field: string } }>()).error.field, query).toBe(field)
    }
    expect((await call(`/v1/sites/${site}/follow-ups/metrics`)).status).toBe(401)
  })
})

describe('the report', () => {
  it('as JSON is the stats API’s answer with the distribution, gaps, sample size, follow-ups and themes of the same period', async () => {
    const { site, token, from, to } = await reportSite()
    const report = await (await asOperator(`/v1/sites/${site}/report?survey=nps&from=${from}&to=${to}`, token)).json<Report>()
    const stats = await (await asOperator(`/v1/sites/${site}/stats?survey=nps&from=${from}&to=${to}&compare=previous`, token)).json<StatsResult>()
    expect(report.stats).toEqual(stats)
    expect(report.distribution.reduce((sum, bar) => sum + bar.n, 0)).toBe(stats.nps!.n)
    expect(report.goal).toEqual({ target: 40, gap: Math.round((stats.nps!.score! - 40) * 10) / 10, met: stats.nps!.score! >= 40 })
    expect(report.gaps.byCheckpoint.map((group) => [group.key, group.n])).toEqual(stats.byCheckpoint.map((group) => [group.key, group.nps!.n]))
    expect(report.sampleSize).toMatchObject({ n: stats.nps!.n, margin: stats.nps!.margin, targetMargin: 5, minAnswersPerPeriod: 30 })
    expect(report.sampleSize.needed).toBeGreaterThanOrEqual(30)
    const metrics = await (await asOperator(`/v1/sites/${site}/follow-ups/metrics?survey=nps&from=${from}&to=${to}`, token)).json<FollowUpMetrics>()
    expect(report.followUps).toEqual(metrics)
    expect(report.site).toEqual({ id: site, name: HOSTILE, timezone: 'Asia/Shanghai' })

    const chosen = await (await asOperator(`/v1/sites/${site}/report?survey=nps&from=${from}&to=${to}&compareFrom=2025-01-01&compareTo=2025-01-31`, token)).json<Report>()
    expect(chosen.stats.comparison).toMatchObject({ kind: 'chosen', from: '2025-01-01', to: '2025-01-31' })
    for (const [query, status] of [['', 400], ['survey=nope', 404], ['survey=nps&from=2026-02-30', 400]] as const) {
      expect((await asOperator(`/v1/sites/${site}/report?${query}`, token)).status, query).toBe(status)
    }
  })

  it('as a page is behind the session, escaped, under the dashboard’s CSP, in English and Chinese; the dashboard links to it and shows the follow-ups', async () => {
    const { site, token, from, to } = await reportSite()
    expect((await open(`/dashboard/report?survey=nps`, '')).html).toContain('<form')
    const cookie = await signIn(site, token)
    const page = await open(`/dashboard/report?survey=nps&from=${from}&to=${to}&lang=zh-CN`, cookie)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(page.html).toContain('报告：nps · &lt;img src=x onerror=alert(1)&gt; 商店')
    expect(page.html).not.toContain('<img src=x')
    expect(page.html).toContain('<link rel="stylesheet" href="/dashboard/report.css"/>')
    expect(page.html).toContain('跟进表现')
    expect(page.html).not.toMatch(/<script/i)
    // The sample-size statement gives the interval's own ends (it is not symmetric about the score), as the stats API computed them.
    const stats = await (await asOperator(`/v1/sites/${site}/stats?survey=nps&from=${from}&to=${to}&compare=previous`, token)).json<StatsResult>()
    const [score, low, high] = [stats.nps!.score!, ...stats.nps!.interval!].map((value) => String(value).replace('-', '−'))
    expect(page.html).toContain(`基于 ${stats.nps!.n} 个回答，得分为 ${score}，95% 置信区间为 ${low} 至 ${high}。`)
    const englishNps = await open(`/dashboard/report?survey=nps&from=${from}&to=${to}&lang=en`, cookie)
    expect(englishNps.html).toContain(`Based on ${stats.nps!.n} answers, the score is ${score}; with 95% confidence it lies between ${low} and ${high}.`)
    expect(englishNps.html).not.toContain('±')
    const english = await open(`/dashboard/report?survey=csat&from=${from}&to=${to}&lang=en`, cookie)
    expect(english.html).toContain('Report: csat')
    expect(english.html).toContain('No answers in this period')
    const css = await call('/dashboard/report.css')
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8')
    expect(await css.text()).toContain('@page{size:A4')
    expect((await open(`/dashboard/report?survey=nope`, cookie)).status).toBe(400)
    expect((await open(`/dashboard/report?survey=nps&from=9999-01-01`, cookie)).status).toBe(400)
    const dashboard = await open(`/dashboard?survey=nps&from=${from}&to=${to}&lang=en`, cookie)
    expect(dashboard.html).toContain(`href="/dashboard/report?survey=nps&amp;from=${from}&amp;to=${to}&amp;lang=en"`)
    expect(dashboard.html).toContain('Follow-up performance')
  })
})
