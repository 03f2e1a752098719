import type { Locator } from '@playwright/test'
import { expect, test } from './fixtures.ts'
import { expectAccessible, expectLooks } from './widget-support.ts'

test.use({ viewport: { width: 320, height: 640 }, hasTouch: true, isMobile: true })

const box = async (locator: Locator) => (await locator.boundingBox())!

test('on a 320 px phone the card is a bottom sheet: 0–5 and 6–10 fill two rows of ≥ 40 px targets, each end labelled by its own value', async ({ page }) => {
  await page.goto('/examples/order-complete.html')
  const card = page.getByRole('dialog')
  await expect(card).toBeVisible()

  const sheet = await box(card)
  expect(sheet.x).toBe(0)
  expect(sheet.width).toBe(320)
  expect(sheet.y + sheet.height).toBe(640)
  expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false)

  const options = await Promise.all(Array.from({ length: 11 }, (_, score) => box(card.getByRole('radio', { name: String(score), exact: true }).locator('..'))))
  for (const option of options) {
    expect(option.width).toBeGreaterThanOrEqual(40)
    expect(option.height).toBeGreaterThanOrEqual(40)
    expect(option.x + option.width).toBeLessThanOrEqual(320)
  }
  const rowOf = (option: { y: number }) => options.filter((other) => other.y === option.y).length
  expect(options.slice(0, 6).every((option) => option.y === options[0]!.y)).toBe(true)
  expect(options.slice(6).every((option) => option.y === options[6]!.y && option.y > options[0]!.y)).toBe(true)
  expect([rowOf(options[0]!), rowOf(options[6]!)]).toEqual([6, 5])
  // Both rows span the same width: 10 ends where 5 ends, nothing sits under an empty slot.
  expect(Math.round(options[10]!.x + options[10]!.width)).toBe(Math.round(options[5]!.x + options[5]!.width))
  expect(Math.round(options[6]!.x)).toBe(Math.round(options[0]!.x))

  const low = await box(card.getByText('Not at all likely'))
  const high = await box(card.getByText('Extremely likely'))
  // "Not at all likely" above the row that starts with 0; "Extremely likely" under the row that ends with 10.
  expect(low.y + low.height).toBeLessThanOrEqual(options[0]!.y)
  expect(Math.round(low.x)).toBe(Math.round(options[0]!.x))
  expect(high.y).toBeGreaterThanOrEqual(options[10]!.y + options[10]!.height)
  expect(Math.round(high.x + high.width)).toBe(Math.round(options[10]!.x + options[10]!.width))
  await expectAccessible(page)
  await expectLooks(card, 'phone-score')
})

test('on a phone a tap records the score, the text box waits below the ratings, and no keyboard is summoned', async ({ page }) => {
  const posted = page.waitForResponse((reply) => reply.url().endsWith('/v1/responses'))
  await page.goto('/examples/order-complete.html')
  const card = page.getByRole('dialog')
  await card.getByRole('radio', { name: '10', exact: true }).tap()
  expect(JSON.parse((await posted).request().postData()!)).toMatchObject({ score: 10 })

  const textbox = card.getByRole('textbox', { name: 'What did you like most?' })
  await expect(textbox).toBeVisible()
  await expect(textbox).not.toBeFocused()
  expect(await page.evaluate(() => document.querySelector('[data-hearken]')!.shadowRoot!.activeElement?.tagName)).not.toBe('TEXTAREA')
  const ratings = await box(card.getByRole('radiogroup', { name: 'Delivery speed' }))
  expect(ratings.y + ratings.height).toBeLessThanOrEqual((await box(textbox)).y)
  await expectLooks(card, 'phone-details')

  await card.getByRole('button', { name: 'Send' }).tap()
  await expect(card.getByRole('status')).toHaveText('Thank you for your feedback!')
})
