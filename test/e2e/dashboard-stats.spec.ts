import AxeBuilder from '@axe-core/playwright'
import type { APIRequestContext, Page } from '@playwright/test'
import { expect, test, TOKEN } from './fixtures.ts'

/**
 * The stats section as an operator reads it, in a segment of this run's own: what flagged
 * answers are left out, the key driver, charts and tables that stay readable, at 320 px and
 * 1280 px, in English and Chinese, with no accessibility violation.
 */

/** 30 answers where the score follows the delivery rating (rated low), and two from a bot. */
async function postSegment(request: APIRequestContext, baseURL: string, segment: string): Promise<void> {
  const origin = new URL(baseURL).origin
  const answers = Array.from({ length: 30 }, (_, index) => {
    const delivery = 1 + (index % 3)
    return {
      id: crypto.randomUUID(),
      site: 'pk_demo',
      survey: 'post-purchase-nps',
      checkpoint: 'order_completed',
      segment,
      visitor: `drv-${index}-${segment}`,
      // What the SDK always sends; without it an answer is flagged incomplete.
      elapsedMs: 4000,
      score: Math.min(10, 3 * delivery + (index % 2)),
      dimensions: { delivery, product: 4 + (index % 2) },
    }
  })
  // One batch of 30, each answer from its own visitor.
  const batch = await request.post('/v1/responses', { headers: { origin }, data: { responses: answers } })
  expect(batch.status()).toBe(200)
  for (const index of [0, 1]) {
    const bot = await request.post('/v1/responses', {
      headers: { origin, 'user-agent': 'curl/8.5.0' },
      data: { id: crypto.randomUUID(), site: 'pk_demo', survey: 'post-purchase-nps', checkpoint: 'order_completed', segment, visitor: `bot-${index}-${segment}`, score: 0, comment: `scripted ${segment}` },
    })
    expect(bot.status()).toBe(201)
  }
}

async function signIn(page: Page, lang: 'en' | 'zh-CN') {
  await page.goto(`/dashboard?lang=${lang}`)
  await page.locator('#site').fill('pk_demo')
  await page.locator('#token').fill(TOKEN)
  await page.locator('form button[type=submit]').click()
  await expect(page.locator('h1')).toContainText('Demo Shop')
}

/** Every piece of text inside the charts is at least 11 px tall on screen. */
async function smallestChartText(page: Page): Promise<number> {
  return page.evaluate(() => {
    let smallest = Infinity
    for (const chart of document.querySelectorAll('.chart')) {
      const walker = document.createTreeWalker(chart, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement!
        if (!node.textContent!.trim() || parent.closest('title') || getComputedStyle(parent).display === 'none' || parent.closest('[style*="display: none"]')) continue
        const range = document.createRange()
        range.selectNodeContents(node)
        const box = range.getBoundingClientRect()
        if (box.width > 0) smallest = Math.min(smallest, box.height)
      }
    }
    return smallest
  })
}

/** The tables whose last column reaches past the box they scroll in (hidden until scrolled), with by how much. */
async function cutColumns(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const cut: string[] = []
    for (const wrap of document.querySelectorAll('.card .table-wrap')) {
      const last = wrap.querySelector('thead th:last-child')
      if (!(wrap as HTMLElement).offsetParent || !last) continue
      const over = last.getBoundingClientRect().right - wrap.getBoundingClientRect().right
      if (over > 0.5) cut.push(`${wrap.getAttribute('aria-labelledby')}: ${over.toFixed(1)} px`)
    }
    return cut
  })
}

const COPY = {
  en: {
    excluded: 'Left out of these scores: 2 flagged answers',
    include: 'Include flagged answers',
    included: 'These scores include 2 flagged answers',
    advice: 'Delivery speed matters most and scores lowest: fix it first.',
    flag: 'Flags: bot',
    drivers: 'Key drivers',
  },
  'zh-CN': {
    excluded: '这些得分未计入 2 个被标记的回答',
    include: '计入被标记的回答',
    included: '这些得分包含 2 个被标记的回答',
    advice: '配送速度影响最大且评分最低：请优先改进。',
    flag: '标记: 机器人',
    drivers: '关键驱动因素',
  },
} as const

test('the stats section says what it leaves out and what to fix, readable and accessible at 320 px and 1280 px, in English and Chinese', async ({ page, request, baseURL }, testInfo) => {
  test.setTimeout(120_000)
  const segment = `drv${Date.now()}`
  await postSegment(request, baseURL!, segment)
  const stats = await request.get(`/v1/sites/pk_demo/stats?survey=post-purchase-nps&segment=${segment}`, { headers: { authorization: `Bearer ${TOKEN}` } })
  expect(await stats.json()).toMatchObject({ flagged: 2, nps: { n: 30 }, keyDrivers: { advice: { kind: 'fix_first', dimension: 'delivery' } } })

  for (const lang of ['en', 'zh-CN'] as const) {
    const copy = COPY[lang]
    await page.context().clearCookies()
    await signIn(page, lang)
    await page.goto(`/dashboard?lang=${lang}&survey=post-purchase-nps&segment=${segment}`)
    const note = page.locator('#flagged-note')
    await expect(note).toContainText(copy.excluded)
    await expect(page.locator('#drivers-advice')).toHaveText(copy.advice)
    await expect(page.getByRole('group', { name: copy.drivers })).toBeVisible()
    await expect(page.locator('ol.feed')).toContainText(copy.flag)

    for (const width of [1280, 320]) {
      await page.setViewportSize({ width, height: 900 })
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `page wider than ${width} px`).toBeLessThanOrEqual(width)
      const shot = testInfo.outputPath(`stats-${lang}-${width}px.png`)
      await page.screenshot({ path: shot, fullPage: true })
      await testInfo.attach(`stats-${lang}-${width}px`, { path: shot, contentType: 'image/png' })
      expect(await smallestChartText(page), `chart text at ${width} px`).toBeGreaterThanOrEqual(11)
      expect(await cutColumns(page), `tables cut at ${width} px`).toEqual([])
      const accessibility = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze()
      expect(accessibility.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([])
    }

    await note.getByRole('link', { name: copy.include }).click()
    await expect(page).toHaveURL(/flagged=include/)
    await expect(page.locator('#flagged-note')).toContainText(copy.included)
    await expect(page.locator('#filter-flagged')).toBeChecked()
  }
})
