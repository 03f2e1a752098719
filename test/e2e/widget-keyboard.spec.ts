import { expect, test } from './fixtures.ts'
import { calls, expectAccessible, openHarness, snapshot, testSurvey } from './widget-support.ts'

/** The element focused inside the widget's shadow root, described for assertions. */
const focusedInWidget = (page: import('@playwright/test').Page) =>
  page.evaluate(() => {
    const active = document.activeElement?.shadowRoot?.activeElement as HTMLInputElement | null | undefined
    if (!active) return document.activeElement?.id || document.activeElement?.tagName
    return active.type === 'radio' ? `${active.name}=${active.value}` : active.name || active.className
  })

test('a visitor answers the NPS card with the keyboard alone', async ({ page }, testInfo) => {
  const posts: string[] = []
  page.on('request', (request) => {
    if (request.url().endsWith('/v1/responses') && request.method() === 'POST') posts.push(request.postData() ?? '')
  })
  await page.goto('/examples/order-complete.html')
  const card = page.getByRole('dialog')
  await expect(card).toBeVisible()

  await page.keyboard.press('Tab')
  await expect(card.getByRole('radio', { name: '0', exact: true })).toBeFocused()
  for (let step = 0; step < 9; step++) await page.keyboard.press('ArrowRight')
  await expect(card.getByRole('radio', { name: '9', exact: true })).toBeChecked()
  await snapshot(page, testInfo, 'keyboard-score')
  await page.keyboard.press('Enter')

  await expect(card.getByRole('textbox', { name: 'What did you like most?' })).toBeFocused()
  await page.keyboard.type('Quick delivery')
  await page.keyboard.press('Tab')
  expect(await focusedInWidget(page)).toBe('product=1')
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('ArrowRight')
  await expect(card.getByRole('radiogroup', { name: 'Product quality' }).getByRole('radio', { name: '4', exact: true })).toBeChecked()
  await page.keyboard.press('Tab')
  await page.keyboard.press('Space')
  await expect(card.getByRole('radiogroup', { name: 'Delivery speed' }).getByRole('radio', { name: '1', exact: true })).toBeChecked()
  await expectAccessible(page)
  await snapshot(page, testInfo, 'keyboard-details')
  await page.keyboard.press('Tab')
  await page.keyboard.press('Enter')

  await expect(card.getByRole('status')).toHaveText('Thank you for your feedback!')
  expect(await focusedInWidget(page)).toBe('close')
  await expect.poll(() => posts.length).toBe(2)
  expect(JSON.parse(posts[1]!)).toMatchObject({ score: 9, comment: 'Quick delivery' })
})

test('Escape dismisses a corner card and focus goes back where it was', async ({ page }) => {
  await openHarness(page, testSurvey())
  await expect(page.locator('#before')).toBeFocused()
  await page.keyboard.press('Tab')
  await page.keyboard.press('Tab')
  expect(await focusedInWidget(page)).toBe('score=0')
  await page.keyboard.press('Escape')
  await expect(page.getByRole('dialog')).toHaveCount(0)
  expect(await calls(page)).toEqual([['dismiss']])
  await expect(page.locator('#before')).toBeFocused()
})

test('a corner card leaves the focus on the page until the visitor moves into it', async ({ page }) => {
  await openHarness(page, testSurvey())
  await expect(page.getByRole('dialog')).toBeVisible()
  await expect(page.locator('#before')).toBeFocused()
})

test('the modal takes focus, keeps Tab inside, and gives focus back when it closes', async ({ page }, testInfo) => {
  await openHarness(page, testSurvey({ placement: 'center' }))
  expect(await focusedInWidget(page)).toBe('score=0')
  await snapshot(page, testInfo, 'modal-focus')

  const forward: unknown[] = []
  for (let press = 0; press < 4; press++) {
    await page.keyboard.press('Tab')
    forward.push(await focusedInWidget(page))
  }
  expect(forward).toEqual(['send', 'close', 'score=0', 'send'])

  await page.keyboard.press('Shift+Tab')
  await page.keyboard.press('Shift+Tab')
  expect(await focusedInWidget(page)).toBe('close')

  await page.keyboard.press('Tab')
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('Enter')
  expect(await focusedInWidget(page)).toBe('comment')
  await page.keyboard.press('Shift+Tab')
  expect(await focusedInWidget(page)).toBe('close')

  await page.keyboard.press('Escape')
  await expect(page.getByRole('dialog')).toHaveCount(0)
  expect(await calls(page)).toEqual([['answer', 1], ['close']])
  await expect(page.locator('#before')).toBeFocused()
})
