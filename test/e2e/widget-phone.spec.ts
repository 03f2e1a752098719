import { expect, test } from './fixtures.ts'
import { expectAccessible, snapshot } from './widget-support.ts'

test.use({ viewport: { width: 320, height: 640 }, hasTouch: true })

test('on a 320 px phone the card is a bottom sheet whose 11 options fit, each at least 40 px', async ({ page }, testInfo) => {
  await page.goto('/examples/order-complete.html')
  const card = page.getByRole('dialog')
  await expect(card).toBeVisible()
  await expect(card).toHaveCSS('opacity', '1')

  const sheet = (await card.boundingBox())!
  expect(sheet.x).toBe(0)
  expect(sheet.width).toBe(320)
  expect(sheet.y + sheet.height).toBe(640)

  const layout = await page.evaluate(() => {
    const root = document.querySelector('[data-hearken]')!.shadowRoot!
    const scale = root.querySelector('[role=radiogroup]')!
    return {
      pageScrolls: document.documentElement.scrollWidth > window.innerWidth,
      scaleScrolls: scale.scrollWidth > scale.clientWidth,
      targets: [...root.querySelectorAll('label')].map((label) => label.getBoundingClientRect()).map(({ width, height, right }) => ({ width, height, right })),
    }
  })
  expect(layout.pageScrolls).toBe(false)
  expect(layout.scaleScrolls).toBe(false)
  expect(layout.targets).toHaveLength(11)
  for (const target of layout.targets) {
    expect(target.width).toBeGreaterThanOrEqual(40)
    expect(target.height).toBeGreaterThanOrEqual(40)
    expect(target.right).toBeLessThanOrEqual(320)
  }
  await expectAccessible(page)
  await snapshot(page, testInfo, 'phone-score')

  await card.getByRole('radio', { name: '10' }).tap()
  await card.getByRole('button', { name: 'Send' }).tap()
  await expect(card.getByRole('textbox')).toBeVisible()
  await snapshot(page, testInfo, 'phone-details')
  await card.getByRole('button', { name: 'Send' }).tap()
  await expect(card.getByRole('status')).toHaveText('Thank you for your feedback!')
  await snapshot(page, testInfo, 'phone-thanks')
})
