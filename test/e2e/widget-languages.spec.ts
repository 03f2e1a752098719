import type { Locator, Page } from '@playwright/test'
import type { Locale } from '../../sdk/protocol.ts'
import { expect, test } from './fixtures.ts'
import { expectAccessible, expectLooks } from './widget-support.ts'

/** The order page, its script tag asking for `locale` (the loader's `data-locale`). */
async function orderPageIn(page: Page, locale: Locale): Promise<Locator> {
  await page.route('**/examples/order-complete.html', async (route) => {
    const response = await route.fetch()
    await route.fulfill({ response, body: (await response.text()).replace('data-site="pk_demo"', `data-site="pk_demo" data-locale="${locale}"`) })
  })
  await page.goto('/examples/order-complete.html')
  const card = page.getByRole('dialog')
  await expect(card).toBeVisible()
  return card
}

/** The fonts Chromium really drew an element's text with, and how many glyphs each (CDP `CSS.getPlatformFontsForNode`), not what CSS asked for. */
async function drawnWith(page: Page, selector: string): Promise<Record<string, number>> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('DOM.enable')
  await cdp.send('CSS.enable')
  await cdp.send('DOM.getDocument', { depth: -1, pierce: true })
  const { result } = await cdp.send('Runtime.evaluate', { expression: `document.querySelector('[data-hearken]').shadowRoot.querySelector(${JSON.stringify(selector)})` })
  const { nodeId } = await cdp.send('DOM.requestNode', { objectId: result.objectId! })
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId })
  await cdp.detach()
  return Object.fromEntries(fonts.map((font) => [font.familyName, font.glyphCount]))
}

for (const [locale, question, low, high, font] of [
  ['ja', 'Demo Shop を友人や同僚に勧める可能性はどのくらいありますか？', '全く可能性がない', '非常に可能性が高い', /Noto Sans CJK JP/],
  ['ko', 'Demo Shop을 친구나 동료에게 추천할 가능성은 얼마나 됩니까?', '전혀 가능성 없음', '매우 가능성 높음', /Noto Sans CJK KR/],
] as const) {
  test.describe(`${locale} at 320 px`, () => {
    test.use({ viewport: { width: 320, height: 640 }, hasTouch: true, isMobile: true })

    test(`the card speaks ${locale}, drawn in a CJK font, and fits a 320 px phone`, async ({ page }) => {
      const card = await orderPageIn(page, locale)
      await expect(card).toHaveAttribute('lang', locale)
      await expect(card).toHaveAccessibleName(question)
      await expect(card.getByText(low)).toBeVisible()
      await expect(card.getByText(high)).toBeVisible()
      // Every CJK character of the question is drawn by the CJK font (the Latin "Demo Shop" may come from another).
      const fonts = await drawnWith(page, '#question')
      const cjk = Object.entries(fonts).filter(([family]) => font.test(family))
      expect(cjk).toHaveLength(1)
      expect(cjk[0]![1]).toBeGreaterThanOrEqual([...question].filter((character) => character.charCodeAt(0) > 0x2e80).length)
      expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false)
      const overflowing = await card.evaluate((element) =>
        [...element.querySelectorAll('*')].filter((child) => child.scrollWidth > child.clientWidth + 1 && getComputedStyle(child).overflow === 'visible').map((child) => child.className),
      )
      expect(overflowing).toEqual([])
      for (const score of [0, 10]) {
        const option = (await card.getByRole('radio', { name: String(score), exact: true }).locator('..').boundingBox())!
        expect(option.width).toBeGreaterThanOrEqual(40)
        expect(option.x + option.width).toBeLessThanOrEqual(320)
      }
      await expectAccessible(page)
      await expectLooks(card, `${locale}-320-score`)

      await card.getByRole('radio', { name: '4', exact: true }).tap()
      await expect(card.getByRole('button', { name: locale === 'ja' ? '変更' : '변경' })).toBeVisible()
      await expectLooks(card, `${locale}-320-details`)
    })
  })
}

test('in Arabic the card reads right to left and its layout is mirrored', async ({ page }) => {
  const card = await orderPageIn(page, 'ar')
  await expect(card).toHaveAttribute('dir', 'rtl')
  await expect(card).toHaveAttribute('lang', 'ar')
  await expect(card).toHaveAccessibleName('ما مدى احتمال أن توصي بـ Demo Shop لصديق أو زميل؟')
  const frame = (await card.boundingBox())!
  const close = (await card.getByRole('button', { name: 'إغلاق الاستبيان' }).boundingBox())!
  const zero = (await card.getByRole('radio', { name: '0', exact: true }).locator('..').boundingBox())!
  const ten = (await card.getByRole('radio', { name: '10', exact: true }).locator('..').boundingBox())!
  const low = (await card.getByText('غير محتمل على الإطلاق').boundingBox())!
  // Mirrored: × top left, 0 on the right and 10 on the left, "not at all likely" under 0.
  expect(close.x - frame.x).toBeLessThan(frame.width / 4)
  expect(zero.x).toBeGreaterThan(ten.x)
  expect(Math.round(low.x + low.width)).toBe(Math.round(zero.x + zero.width))
  await expectAccessible(page)
  await expectLooks(card, 'ar-score')

  await card.getByRole('radio', { name: '8', exact: true }).click()
  await expect(card.getByRole('button', { name: 'تغيير' })).toBeVisible()
  await expect(card.getByRole('button', { name: 'إرسال' })).toBeVisible()
  await expectLooks(card, 'ar-details')
})

test('in Simplified Chinese every text of the card is Chinese, from the worker, and the card says so', async ({ page }) => {
  const card = await orderPageIn(page, 'zh-CN')
  await expect(card).toHaveAttribute('lang', 'zh-CN')
  await expect(card).toHaveAccessibleName('您向朋友或同事推荐 Demo Shop 的可能性有多大？')
  await expect(card.getByText('完全不可能')).toBeVisible()
  await card.getByRole('button', { name: '提交' }).click()
  await expect(card.getByRole('alert')).toHaveText('请先选择一个分数。')
  await expectAccessible(page)
})
