import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { ResponseInput } from '../../sdk/protocol.ts'
import { storeResponse } from '../src/ingest.ts'
import { findSite, saveSite } from '../src/sites.ts'
import { findSurvey } from '../src/surveys.ts'
import { freshSite, statsOf } from './helpers.ts'
import { open, signIn } from './dashboard-helpers.ts'

/** What the dashboard's stats section says, as the statements an operator reads. */

async function answersAt(site: string, survey: string, answers: [at: string, score: number, extra?: Partial<ResponseInput>][]) {
  const siteRow = (await findSite(env.DB, site))!
  const surveyRow = (await findSurvey(env.DB, site, survey))!
  for (const [at, score, extra] of answers) {
    await storeResponse(env.DB, siteRow, surveyRow, { id: crypto.randomUUID(), site, survey, score, visitor: `d${crypto.randomUUID().slice(0, 8)}`, elapsedMs: 5000, ...extra }, {}, Date.parse(at))
  }
}

/** The text of the page without tags, entities of & only, whitespace squeezed. */
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replaceAll('&#39;', "'").replaceAll('&amp;', '&').replace(/\s+/g, ' ')

const PERIOD = 'survey=nps&from=2026-08-01&to=2026-08-31'

describe('the dashboard explains its numbers', () => {
  it('says how many flagged answers it leaves out and why, and counts them on request', async () => {
    const { site, token } = await freshSite()
    await answersAt(site, 'nps', [
      ['2026-08-03T06:00:00Z', 10, { comment: 'Fast and friendly' }],
      ['2026-08-03T06:00:00Z', 9],
      ['2026-08-03T06:00:00Z', 0, { elapsedMs: 50, comment: 'bot-like' }],
    ])
    const cookie = await signIn(site, token)
    const page = textOf((await open(`/dashboard?${PERIOD}`, cookie)).html)
    expect(page).toContain('Left out of these scores: 1 flagged answer (given too fast to have been read, sent by a bot, or a repeat by the same visitor). They stay in the comments and the CSV. Include flagged answers')
    expect(page).toContain('Answers: 2')
    // The feed still lists the flagged answer, with its flag in words.
    expect(page).toContain('Flags: too fast')
    const html = (await open(`/dashboard?${PERIOD}`, cookie)).html
    const toggle = /<p class="note" id="flagged-note">[^]*?<a href="([^"]+)"/.exec(html)![1]!.replaceAll('&amp;', '&')
    expect(new URL(toggle, 'https://x.test').searchParams.get('flagged')).toBe('include')
    const counted = textOf((await open(toggle, cookie)).html)
    expect(counted).toContain('These scores include 1 flagged answer (too fast, bots, repeats). Leave flagged answers out')
    expect(counted).toContain('Answers: 3')
    const chinese = textOf((await open(`/dashboard?${PERIOD}&lang=zh-CN`, cookie)).html)
    expect(chinese).toContain('这些得分未计入 1 个被标记的回答')
    expect(chinese).toContain('标记: 作答过快')
    expect(chinese).not.toContain('too fast')
  })

  it('names tags and flags in the dashboard’s language: the tag filter’s options, the chips, the flags', async () => {
    const { site, token } = await freshSite()
    await answersAt(site, 'nps', [
      ['2026-08-03T06:00:00Z', 2, { comment: 'The delivery was late and support never answered' }],
      ['2026-08-03T06:00:00Z', 9, { comment: 'Fine', visitor: undefined }],
    ])
    const cookie = await signIn(site, token)
    const chinese = (await open(`/dashboard?${PERIOD}&flagged=include&lang=zh-CN`, cookie)).html
    const options = /<select id="filter-tag"[^]*?<\/select>/.exec(chinese)![0]
    expect(options).toContain('<option value="delivery">物流</option>')
    expect(options).toContain('<option value="problem">问题</option>')
    expect(options).not.toMatch(/>(problem|suggestion|praise|delivery|price|quality|support|usability)</)
    const chips = [...chinese.matchAll(/<ul class="chips" aria-label="标签">([^]*?)<\/ul>/g)].map((match) => textOf(match[1]!).trim())
    expect(chips.sort()).toEqual(['问题 物流 客服', '表扬'].sort())
    expect(textOf(chinese)).toContain('标记: 信息不全（无访客 ID 或作答时间）')
    // English keeps the tags' own names; a chosen tag stays selected under its label.
    const english = (await open(`/dashboard?${PERIOD}&tag=delivery&lang=en`, cookie)).html
    expect(english).toContain('<option value="delivery" selected="">delivery</option>')
    expect((await open(`/dashboard?${PERIOD}&tag=delivery&lang=zh-CN`, cookie)).html).toContain('<option value="delivery" selected="">物流</option>')
  })

  it('shows promoters, passives and detractors, the CSAT mean, and an interval that is never ±0', async () => {
    const { site, token } = await freshSite()
    await answersAt(site, 'nps', [['2026-08-03T06:00:00Z', 10], ['2026-08-03T06:00:00Z', 10], ['2026-08-03T06:00:00Z', 10]])
    await answersAt(site, 'csat', [['2026-08-03T06:00:00Z', 5], ['2026-08-03T06:00:00Z', 4], ['2026-08-03T06:00:00Z', 2]])
    const cookie = await signIn(site, token)
    const nps = textOf((await open(`/dashboard?${PERIOD}`, cookie)).html)
    expect(nps).toContain('Promoters 100% · Passives 0% · Detractors 0%')
    expect(nps).toContain('95% interval −6.6 to 100')
    // Three promoters: the interval is not symmetric about 100, so the card gives its ends, the stats API's,
    // and 1.96²·0.5/0.05² − 3 ≈ 766 answers for one 10 points wide, not "0".
    const stats = await statsOf(site, token, PERIOD)
    const [low, high] = stats.nps!.interval!.map((end) => String(end).replace('-', '−'))
    expect(nps).toContain(`n = 3: 100 (95% interval ${low} to ${high}); ~770 answers for an interval 10 points wide`)
    expect(nps).not.toMatch(/±\s*\d/)
    expect(textOf((await open(`/dashboard?${PERIOD}&lang=zh-CN`, cookie)).html)).toContain(`n = 3：100（95% 区间 ${low} 至 ${high}）; 约需 770 个回答才能使区间宽度缩小到 10 分`)
    expect(nps).toContain('A change between two periods is tested once each has 30 answers.')
    const csat = textOf((await open('/dashboard?survey=csat&from=2026-08-01&to=2026-08-31', cookie)).html)
    expect(csat).toContain('Mean 3.7 / 5')
    expect(csat).toContain('95% interval 20.8–93.9%')
    expect(csat).toContain('n = 3: 66.7% (95% interval 20.8% to 93.9%)')
  })

  it('says which filters narrow only the comments, not the scores', async () => {
    const { site, token } = await freshSite()
    await answersAt(site, 'nps', [['2026-08-03T06:00:00Z', 2, { comment: 'late delivery' }], ['2026-08-03T06:00:00Z', 10]])
    const cookie = await signIn(site, token)
    const plain = textOf((await open(`/dashboard?${PERIOD}`, cookie)).html)
    expect(plain).not.toContain('narrows only the comments')
    const filtered = textOf((await open(`/dashboard?${PERIOD}&band=detractor&followUp=open`, cookie)).html)
    expect(filtered).toContain('The scores count every answer of the period, checkpoint and segment: Band, Follow-up narrows only the comments below.')
    expect(filtered).toContain('Answers: 2')
    const chinese = textOf((await open(`/dashboard?${PERIOD}&band=detractor&lang=zh-CN`, cookie)).html)
    expect(chinese).toContain('得分统计该周期、触点和分群的全部回答：分段只筛选下方的评论。')
  })

  it('prints times in the site timezone and says which, and when the timezone changed', async () => {
    const { site, token } = await freshSite()
    // 20:00 UTC is 04:00 the next day in Shanghai.
    await answersAt(site, 'nps', [['2026-08-02T20:00:00Z', 3, { comment: 'Box was crushed' }]])
    const cookie = await signIn(site, token)
    const page = textOf((await open(`/dashboard?${PERIOD}`, cookie)).html)
    expect(page).toContain('Times in Asia/Shanghai.')
    expect(page).toContain('2026-08-03 04:00')
    expect(page).not.toContain('UTC')
    const siteRow = (await findSite(env.DB, site))!
    await saveSite(env.DB, site, { name: siteRow.name, origins: siteRow.origins, timezone: 'Europe/Berlin' }, siteRow, undefined, Date.parse('2026-08-10T12:00:00Z'))
    const after = textOf((await open(`/dashboard?${PERIOD}`, cookie)).html)
    expect(after).toContain("The site's timezone changed to Europe/Berlin on 2026-08-10: answers before that day were counted on days in Asia/Shanghai, and are not re-counted.")
    expect(after).toContain('Times in Europe/Berlin.')
    expect(after).toContain('2026-08-02 22:00')
  })

  it('states the key driver, in English and Chinese, and nothing firm below the minimum', async () => {
    const { site, token } = await freshSite()
    const cookie = await signIn(site, token)
    await answersAt(site, 'nps', [['2026-08-03T06:00:00Z', 3, { dimensions: { delivery: 1, product: 4 } }]])
    expect(textOf((await open(`/dashboard?${PERIOD}`, cookie)).html)).toContain('Not enough answers with ratings yet: each rating needs 30.')
    const answers = Array.from({ length: 60 }, (_, index): [string, number, Partial<ResponseInput>] => {
      const delivery = 1 + (index % 3)
      return ['2026-08-04T06:00:00Z', Math.min(10, 3 * delivery + (index % 2)), { dimensions: { delivery, product: 4 + (index % 2) } }]
    })
    await answersAt(site, 'nps', answers)
    const stats = await statsOf(site, token, PERIOD)
    expect(stats.keyDrivers.advice.kind).toBe('fix_first')
    const page = textOf((await open(`/dashboard?${PERIOD}`, cookie)).html)
    expect(page).toContain('Delivery matters most and scores lowest: fix it first.')
    const delivery = stats.keyDrivers.drivers.find((driver) => driver.id === 'delivery')!
    expect(page).toContain(`${delivery.withScore!.r.toFixed(2)} ${delivery.withScore!.interval[0].toFixed(2)} – ${delivery.withScore!.interval[1].toFixed(2)}`)
    expect(textOf((await open(`/dashboard?${PERIOD}&lang=zh-CN`, cookie)).html)).toContain('Delivery影响最大且评分最低：请优先改进。')
  })

  it('compares with a period the operator picks, under the same rules', async () => {
    const { site, token } = await freshSite()
    await answersAt(site, 'nps', [['2026-06-03T06:00:00Z', 2], ['2026-08-03T06:00:00Z', 10]])
    const cookie = await signIn(site, token)
    const page = textOf((await open(`/dashboard?${PERIOD}&compareFrom=2026-06-01&compareTo=2026-06-30`, cookie)).html)
    expect(page).toContain('+200')
    expect(page).toContain('directional only: a period has fewer than 30 answers, so no test is run')
    expect(page).toContain('vs 2026-06-01 – 2026-06-30')
    const overlapping = await open(`/dashboard?${PERIOD}&compareFrom=2026-08-15&compareTo=2026-09-15`, cookie)
    expect(overlapping.status).toBe(400)
    expect(textOf(overlapping.html)).toContain('compareFrom must choose, with compareTo, days as YYYY-MM-DD outside 2026-08-01 – 2026-08-31')
    // A to before any data, with no from: the 30 days up to it that exist, and no earlier period to compare with.
    const early = await open('/dashboard?survey=nps&to=2000-01-10', cookie)
    expect(early.status).toBe(200)
    expect(textOf(early.html)).toContain('No earlier period to compare with: days start at 2000-01-01.')
  })
})
