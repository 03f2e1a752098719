import { expect, test } from './fixtures.ts'
import { calls, expectAccessible, openHarness, snapshot, testSurvey } from './widget-support.ts'

test('bottom-left puts the card in the bottom left corner', async ({ page }, testInfo) => {
  await openHarness(page, testSurvey({ placement: 'bottom-left' }))
  const box = (await page.getByRole('dialog').boundingBox())!
  expect(box.x).toBe(16)
  expect(box.y + box.height).toBe(page.viewportSize()!.height - 16)
  await snapshot(page, testInfo, 'bottom-left')
})

test('inline renders in the page flow, inside the host container, as a named region', async ({ page }, testInfo) => {
  await openHarness(page, testSurvey({ placement: 'inline' }))
  const card = page.getByRole('region', { name: 'How likely are you to recommend us?' })
  await expect(card).toHaveCSS('position', 'relative')
  await expect(page.locator('#slot [data-hearken]')).toHaveCount(1)
  const slot = (await page.locator('#slot').boundingBox())!
  const box = (await card.boundingBox())!
  expect(box.y).toBeGreaterThanOrEqual(slot.y)
  expect(box.y + box.height).toBeLessThanOrEqual(slot.y + slot.height)
  await expectAccessible(page)
  await snapshot(page, testInfo, 'inline')
  await card.getByRole('radio', { name: '8', exact: true }).click()
  await card.getByRole('button', { name: 'Send' }).click()
  expect(await calls(page)).toEqual([['answer', 8]])
})

test('a CES survey asks 1–7 from "Very difficult" to "Very easy"', async ({ page }) => {
  await openHarness(page, testSurvey({ type: 'ces', question: { en: 'How easy was it to return your order?' }, followUp: {}, dimensions: [] }))
  const card = page.getByRole('dialog')
  await expect(card.getByRole('radio')).toHaveCount(7)
  await expect(card.getByRole('radio', { name: '1', exact: true })).toHaveAccessibleDescription('Very difficult')
  await expect(card.getByRole('radio', { name: '7', exact: true })).toHaveAccessibleDescription('Very easy')
  await expectAccessible(page)
})

test('the survey theme reaches the card through custom properties', async ({ page }, testInfo) => {
  await openHarness(page, testSurvey({ theme: { brand: '#ffd400', radius: '2px', font: 'serif' } }))
  const card = page.getByRole('dialog')
  await expect(card).toHaveCSS('border-radius', '2px')
  await expect(card).toHaveCSS('font-family', 'serif')
  const send = card.getByRole('button', { name: 'Send' })
  await expect(send).toHaveCSS('background-color', 'rgb(255, 212, 0)')
  // A light brand gets dark text on it, so the button stays readable.
  await expect(send).toHaveCSS('color', 'oklch(0 0 0)')
  await expect(page.locator('[data-hearken]')).not.toHaveAttribute('style')
  await expectAccessible(page)
  await snapshot(page, testInfo, 'themed')
})

test('in Simplified Chinese every text of the card is Chinese and the card says so', async ({ page }, testInfo) => {
  await openHarness(page, testSurvey(), 'zh-CN')
  const card = page.getByRole('dialog', { name: '您向朋友推荐我们的可能性有多大？' })
  await expect(card).toHaveAttribute('lang', 'zh-CN')
  await expect(card.getByText('完全不可能')).toBeVisible()
  await card.getByRole('button', { name: '提交' }).click()
  await expect(card.getByRole('alert')).toHaveText('请先选择一个分数。')
  await expectAccessible(page)
  await snapshot(page, testInfo, 'zh-CN')
})

test('the thanks closes the card by itself a few seconds later', async ({ page }) => {
  await page.clock.install()
  await openHarness(page, testSurvey({ followUp: {}, dimensions: [] }))
  await page.getByRole('radio', { name: '9', exact: true }).click()
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(page.getByRole('status')).toHaveText('Thank you for your feedback!')
  expect(await calls(page)).toEqual([['answer', 9], ['complete', { score: 9 }]])
  await page.clock.runFor(3000)
  await expect(page.getByRole('dialog')).toBeVisible()
  await page.clock.runFor(1000)
  await expect(page.getByRole('dialog')).toHaveCount(0)
  expect(await calls(page)).toEqual([['answer', 9], ['complete', { score: 9 }], ['close']])
})
