import { expect, test } from './fixtures.ts'
import { calls, expectAccessible, openHarness, testSurvey } from './widget-support.ts'

test('bottom-left puts the card in the bottom left corner', async ({ page }) => {
  await openHarness(page, testSurvey({ placement: 'bottom-left' }))
  const box = (await page.getByRole('dialog').boundingBox())!
  expect(box.x).toBe(16)
  expect(box.y + box.height).toBe(page.viewportSize()!.height - 16)
})

test('inline renders in the page flow, inside the host container, as a named region', async ({ page }) => {
  await openHarness(page, testSurvey({ placement: 'inline' }))
  const card = page.getByRole('region', { name: 'How likely are you to recommend us?' })
  await expect(card).toHaveCSS('position', 'relative')
  await expect(page.locator('#slot [data-hearken]')).toHaveCount(1)
  const slot = (await page.locator('#slot').boundingBox())!
  const box = (await card.boundingBox())!
  expect(box.y).toBeGreaterThanOrEqual(slot.y)
  expect(box.y + box.height).toBeLessThanOrEqual(slot.y + slot.height)
  // The page's own content comes after the card, not under it.
  expect((await page.locator('#after').boundingBox())!.y).toBeGreaterThanOrEqual(box.y + box.height)
  await expectAccessible(page)
  await card.getByRole('radio', { name: '8', exact: true }).click()
  expect(await calls(page)).toEqual([['answer', 8]])
})

test('a CES survey asks 1–7 from "Very difficult" to "Very easy", and a 4 gets the neutral prompt', async ({ page }) => {
  await openHarness(page, testSurvey({ type: 'ces', question: { en: 'How easy was it to return your order?' }, followUp: { low: { en: 'What made it hard?' }, high: { en: 'What made it easy?' } }, dimensions: [] }))
  const card = page.getByRole('dialog')
  await expect(card.getByRole('radio')).toHaveCount(7)
  await expect(card.getByRole('radio', { name: '1', exact: true })).toHaveAccessibleDescription('Very difficult')
  await expect(card.getByRole('radio', { name: '7', exact: true })).toHaveAccessibleDescription('Very easy')
  await expectAccessible(page)
  await card.getByRole('radio', { name: '4', exact: true }).click()
  await expect(card.getByRole('textbox', { name: 'What would have made it better?' })).toBeVisible()
})

test('the survey theme reaches the card through custom properties', async ({ page }) => {
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
})

test('the thanks closes the card by itself a few seconds later', async ({ page }) => {
  await page.clock.install()
  await openHarness(page, testSurvey({ followUp: {}, dimensions: [] }))
  await page.getByRole('radio', { name: '9', exact: true }).click()
  await expect(page.getByRole('status')).toHaveText('Thank you for your feedback!')
  expect(await calls(page)).toEqual([['answer', 9], ['complete', { score: 9 }]])
  await page.clock.runFor(3000)
  await expect(page.getByRole('dialog')).toBeVisible()
  await page.clock.runFor(1000)
  await expect(page.getByRole('dialog')).toHaveCount(0)
  expect(await calls(page)).toEqual([['answer', 9], ['complete', { score: 9 }], ['close']])
})
