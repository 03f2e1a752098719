import { expect, test } from './fixtures.ts'
import { calls, expectAccessible, focusedInWidget, openHarness, testSurvey } from './widget-support.ts'

test('a visitor answers the NPS card with the keyboard alone: arrows only move, Enter sends', async ({ page }) => {
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
  // Moving through the scale chose nothing yet: no step change, nothing sent.
  await expect(card.getByRole('radiogroup', { name: /recommend/ })).toBeVisible()
  expect(posts).toEqual([])
  await page.keyboard.press('Enter')

  // Sent with the keyboard: focus goes to the first field of the next step, the first rating.
  await expect(card.getByText('Your score 9')).toBeVisible()
  expect(await focusedInWidget(page)).toBe('product=1')
  for (let press = 0; press < 3; press++) await page.keyboard.press('ArrowRight')
  await expect(card.getByRole('radiogroup', { name: 'Product quality' }).getByRole('radio', { name: '4', exact: true })).toBeChecked()
  await page.keyboard.press('Tab')
  await page.keyboard.press('Space')
  await expect(card.getByRole('radiogroup', { name: 'Delivery speed' }).getByRole('radio', { name: '1', exact: true })).toBeChecked()
  await page.keyboard.press('Tab')
  await expect(card.getByRole('textbox', { name: 'What did you like most?' })).toBeFocused()
  await page.keyboard.type('Quick delivery')
  await expectAccessible(page)
  await page.keyboard.press('Tab')
  await page.keyboard.press('Enter')

  await expect(card.getByRole('status')).toHaveText('Thank you for your feedback!')
  expect(await focusedInWidget(page)).toBe('close')
  await expect.poll(() => posts.length).toBe(2)
  expect(JSON.parse(posts[0]!)).toMatchObject({ score: 9 })
  expect(JSON.parse(posts[1]!)).toMatchObject({ score: 9, comment: 'Quick delivery', dimensions: { product: 4, delivery: 1 } })
})

test('the score can be changed by keyboard from the next step', async ({ page }) => {
  await openHarness(page, testSurvey())
  await page.keyboard.press('Tab')
  await page.keyboard.press('Tab')
  for (let step = 0; step < 3; step++) await page.keyboard.press('ArrowRight')
  await page.keyboard.press('Enter')
  expect(await calls(page)).toEqual([['answer', 3]])
  await page.keyboard.press('Shift+Tab')
  expect(await focusedInWidget(page)).toBe('change')
  await page.keyboard.press('Enter')
  expect(await focusedInWidget(page)).toBe('score=3')
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('Enter')
  expect(await calls(page)).toEqual([['answer', 3], ['answer', 4]])
  await expect(page.getByRole('dialog').getByText('Your score 4')).toBeVisible()
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

test('the modal takes focus on itself, keeps Tab inside, and gives focus back when it closes', async ({ page }) => {
  await openHarness(page, testSurvey({ placement: 'center' }))
  await expect(page.getByRole('dialog')).toBeFocused()

  const forward: unknown[] = []
  for (let press = 0; press < 4; press++) {
    await page.keyboard.press('Tab')
    forward.push(await focusedInWidget(page))
  }
  expect(forward).toEqual(['score=0', 'send', 'close', 'score=0'])

  await page.keyboard.press('Shift+Tab')
  expect(await focusedInWidget(page)).toBe('close')

  await page.keyboard.press('Tab')
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('Enter')
  expect(await focusedInWidget(page)).toBe('speed=1')
  await page.keyboard.press('Shift+Tab')
  expect(await focusedInWidget(page)).toBe('change')
  await page.keyboard.press('Shift+Tab')
  expect(await focusedInWidget(page)).toBe('close')

  await page.keyboard.press('Escape')
  await expect(page.getByRole('dialog')).toHaveCount(0)
  expect(await calls(page)).toEqual([['answer', 1], ['close']])
  await expect(page.locator('#before')).toBeFocused()
})
