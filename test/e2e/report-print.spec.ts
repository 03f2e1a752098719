import AxeBuilder from '@axe-core/playwright'
import type { APIRequestContext, Page } from '@playwright/test'
import type { StatsResult } from '../../worker/src/stats-result.ts'
import { expect, test, TOKEN } from './fixtures.ts'

/**
 * The printable report in Chromium, as a manager prints it: print media at A4 (794 × 1123 CSS
 * px), nothing wider than the page, both SVG charts drawn, key drivers and hot issues shown, the screen-only parts gone, no
 * accessibility violation, a PDF of A4 pages, and every figure the same as the stats API's.
 * A survey of this run's own (its own checkpoint, deleted afterwards) keeps the numbers apart
 * from the other specs' answers.
 */

/** A4 at 96 CSS px per inch: 210 × 297 mm. */
const A4 = { width: 794, height: 1123 }
const auth = { authorization: `Bearer ${TOKEN}` }
/** The part of `GET …/follow-ups/metrics` this spec reads (the worker's module needs Workers types). */
type FollowUpMetrics = { opened: number }

/** A figure as the dashboard prints it: one decimal at most, a true minus sign. */
const figure = (value: number) => String(Math.round(value * 10) / 10).replace('-', '−')

async function createSurvey(request: APIRequestContext, id: string): Promise<void> {
  const reply = await request.put(`/v1/sites/pk_demo/surveys/${id}`, {
    headers: auth,
    data: {
      id,
      type: 'nps',
      checkpoints: ['report_printed'],
      question: { en: 'How likely are you to recommend us?', 'zh-CN': '您有多大可能向朋友推荐我们？' },
      dimensions: [
        { id: 'delivery', label: { en: 'Delivery speed', 'zh-CN': '配送速度' } },
        { id: 'product', label: { en: 'Product quality', 'zh-CN': '商品质量' } },
      ],
      goal: { target: 30 },
      minAnswerMs: 0,
    },
  })
  expect(reply.status(), await reply.text()).toBe(201)
}

/** 30 answers where the score follows the delivery rating, in one batch, each from its own visitor. */
async function postAnswers(request: APIRequestContext, baseURL: string, survey: string): Promise<string[]> {
  const answers = Array.from({ length: 30 }, (_, index) => {
    const delivery = 1 + (index % 5)
    const score = Math.min(10, 2 * delivery + (index % 2))
    return {
      id: crypto.randomUUID(),
      site: 'pk_demo',
      survey,
      checkpoint: 'report_printed',
      segment: ['mobile', 'desktop'][index % 2],
      visitor: `print-${index}-${survey}`,
      // What the SDK always sends; without it an answer is flagged incomplete.
      elapsedMs: 4000,
      score,
      dimensions: { delivery, product: 3 + (index % 3) },
      // Unhappy answers say why, so the report has themes and a hot issue to show.
      ...(score <= 6 ? { comment: index % 2 ? '快递太慢，包裹破损了' : 'The courier was late and the parcel arrived damaged' } : {}),
    }
  })
  const reply = await request.post('/v1/responses', { headers: { origin: new URL(baseURL).origin }, data: { responses: answers } })
  expect(reply.status()).toBe(200)
  return answers.map((answer) => answer.id)
}

async function signIn(page: Page, lang: 'en' | 'zh-CN') {
  await page.context().clearCookies()
  await page.goto(`/dashboard?lang=${lang}`)
  await page.locator('#site').fill('pk_demo')
  await page.locator('#token').fill(TOKEN)
  await page.locator('form button[type=submit]').click()
  await expect(page.locator('h1')).toContainText('Demo Shop')
}

/** Elements whose box reaches past the page's width, by tag and class. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth
    return [...document.querySelectorAll('main *')]
      .filter((element) => {
        const box = element.getBoundingClientRect()
        return box.width > 0 && box.right > width + 0.5
      })
      .map((element) => `${element.tagName.toLowerCase()}.${element.className}: ${element.getBoundingClientRect().right.toFixed(1)} px`)
  })
}

/** Width and height of a PNG, from its IHDR chunk. */
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) })

test('the report prints on A4: fits the page, charts drawn, accessible, its figures the stats API’s, in English and Chinese', async ({ page, request, baseURL }, testInfo) => {
  test.setTimeout(120_000)
  const survey = `report-print-${Date.now()}`
  await createSurvey(request, survey)
  try {
    const ids = await postAnswers(request, baseURL!, survey)
    // Some follow-up work, so the report has performance to show.
    for (const [index, body] of [{ assignee: 'Wang Fang' }, { assignee: 'Li Lei', status: 'resolved' }, { assignee: 'Wang Fang', status: 'in_progress' }].entries()) {
      const reply = await request.patch(`/v1/sites/pk_demo/responses/${ids[index * 2]}`, { headers: auth, data: body })
      expect(reply.status()).toBe(200)
    }
    const query = `survey=${survey}`
    const stats = (await (await request.get(`/v1/sites/pk_demo/stats?${query}&compare=previous`, { headers: auth })).json()) as StatsResult
    const metrics = (await (await request.get(`/v1/sites/pk_demo/follow-ups/metrics?${query}&from=${stats.from}&to=${stats.to}`, { headers: auth })).json()) as FollowUpMetrics
    expect(stats.nps!.n).toBe(30)
    expect(metrics.opened).toBeGreaterThan(0)

    for (const lang of ['en', 'zh-CN'] as const) {
      await signIn(page, lang)
      await page.setViewportSize(A4)
      await page.emulateMedia({ media: 'print' })
      await page.goto(`/dashboard/report?${query}&lang=${lang}`)
      await expect(page.locator('h1')).toContainText(lang === 'en' ? `Report: ${survey}` : `报告：${survey}`)

      // The figures are the stats API's.
      const nps = stats.nps!
      await expect(page.locator('#report-score')).toHaveText(figure(nps.score!))
      await expect(page.locator('#report-interval')).toContainText(`${figure(nps.interval![0])}`)
      await expect(page.locator('#report-interval')).toContainText(`${figure(nps.interval![1])}`)
      await expect(page.locator('#report-n')).toContainText(String(nps.n))
      await expect(page.locator('#report-goal-gap')).toContainText(figure(Math.abs(nps.score! - 30)))
      // The interval is not symmetric about the score: the statement gives its ends, not "± margin".
      await expect(page.locator('#report-sample')).toContainText(
        lang === 'en' ? `the score is ${figure(nps.score!)}; with 95% confidence it lies between ${figure(nps.interval![0])} and ${figure(nps.interval![1])}` : `得分为 ${figure(nps.score!)}，95% 置信区间为 ${figure(nps.interval![0])} 至 ${figure(nps.interval![1])}`,
      )
      await expect(page.locator('#report-sample')).not.toContainText('±')
      await expect(page.locator('#report-follow-ups-figures dd').first()).toHaveText(String(metrics.opened))
      for (const group of stats.byCheckpoint) await expect(page.locator('.card[aria-labelledby=gaps-checkpoint] tbody tr', { hasText: group.key })).toContainText(figure(group.nps!.score!))

      // Laid out for the page: nothing wider than A4, both charts drawn, the screen-only parts gone.
      expect(await overflowing(page)).toEqual([])
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(A4.width)
      const charts = page.locator('.chart svg[role=img]')
      await expect(charts).toHaveCount(2)
      for (const chart of await charts.all()) {
        const box = (await chart.boundingBox())!
        expect(box.width).toBeGreaterThan(200)
        expect(box.height).toBeGreaterThan(80)
      }
      expect(await page.locator('.chart svg polyline, .chart svg line[stroke-linecap=round]').count()).toBeGreaterThan(0)
      expect(await page.locator('.chart svg.bars rect').count()).toBe(11)
      await expect(page.locator('.no-print').first()).toBeHidden()
      await expect(page.locator('.report-nav')).toBeHidden()
      if (stats.keyDrivers.drivers.length) await expect(page.locator('#drivers-title')).toBeVisible()
      expect(stats.themes.hotIssues.map((issue) => issue.tag)).toContain('delivery')
      await expect(page.locator('#themes-title')).toBeVisible()
      await expect(page.locator('#hot-issues')).toContainText('delivery')

      // The page as printed, at A4's width: the image is exactly as wide as the page.
      const shot = await page.screenshot({ fullPage: true, path: testInfo.outputPath(`report-${lang}-a4.png`) })
      expect(pngSize(shot).width).toBe(A4.width)

      const accessibility = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze()
      expect(accessibility.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([])

      // Saved as PDF: A4 pages, a handful of them.
      const pdf = (await page.pdf({ format: 'A4', printBackground: true })).toString('latin1')
      const pages = pdf.match(/\/Type\s*\/Page(?!s)/g) ?? []
      expect(pages.length).toBeGreaterThan(0)
      expect(pages.length).toBeLessThanOrEqual(4)
      for (const box of pdf.match(/\/MediaBox\s*\[[^\]]*\]/g) ?? []) {
        const [, , width, height] = box.replace(/[^\d.\s]/g, ' ').trim().split(/\s+/).map(Number)
        // A4 is 595.28 × 841.89 pt; Chromium rounds it to whole hundredths of an inch.
        expect(Math.abs(width! - 595.28)).toBeLessThan(1)
        expect(Math.abs(height! - 841.89)).toBeLessThan(1.5)
      }

      // On screen too, the report is accessible.
      await page.emulateMedia({ media: 'screen' })
      await expect(page.locator('.report-nav')).toBeVisible()
      const onScreen = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze()
      expect(onScreen.violations.map((violation) => violation.id)).toEqual([])
    }
  } finally {
    await request.delete(`/v1/sites/pk_demo/surveys/${survey}`, { headers: auth })
  }
})
