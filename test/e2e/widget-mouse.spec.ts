import { expect, test } from './fixtures.ts'
import { calls, expectAccessible, openHarness, snapshot, testSurvey } from './widget-support.ts'

test('a visitor answers the NPS card by mouse: score, follow-up, a rating, thanks', async ({ page }, testInfo) => {
  const posts: string[] = []
  page.on('request', (request) => {
    if (request.url().endsWith('/v1/responses') && request.method() === 'POST') posts.push(request.postData() ?? '')
  })
  await page.goto('/examples/order-complete.html')
  const card = page.getByRole('dialog', { name: /How likely are you to recommend Demo Shop/ })
  await expect(card.getByRole('radio')).toHaveCount(11)
  await expect(card.getByText('Not at all likely')).toBeVisible()
  await expect(card.getByText('Extremely likely')).toBeVisible()
  await expectAccessible(page)
  await snapshot(page, testInfo, 'score')

  await card.getByRole('button', { name: 'Send' }).click()
  await expect(card.getByRole('alert')).toHaveText('Please choose a score first.')
  await expectAccessible(page)
  await snapshot(page, testInfo, 'score-error')

  await card.getByRole('radio', { name: '3', exact: true }).click()
  await card.getByRole('button', { name: 'Send' }).click()
  const comment = card.getByRole('textbox', { name: 'What was the main problem with your order?' })
  await expect(comment).toBeFocused()
  await expect(card.getByRole('radiogroup', { name: 'Delivery speed' })).toBeVisible()
  await expectAccessible(page)
  await snapshot(page, testInfo, 'details')

  await comment.fill('The <b>box</b> arrived crushed')
  await card.getByRole('radiogroup', { name: 'Delivery speed' }).getByRole('radio', { name: '2', exact: true }).click()
  await card.getByRole('button', { name: 'Send' }).click()
  await expect(card.getByRole('status')).toHaveText('Thank you for your feedback!')
  await expectAccessible(page)
  await snapshot(page, testInfo, 'thanks')

  await expect.poll(() => posts.length).toBe(2)
  expect(JSON.parse(posts[0]!)).toMatchObject({ survey: 'post-purchase-nps', score: 3 })
  expect(JSON.parse(posts[1]!)).toMatchObject({ score: 3, comment: 'The <b>box</b> arrived crushed' })
})

test('the card reports the score as soon as it is sent, and everything at the thanks', async ({ page }) => {
  await openHarness(page, testSurvey())
  const card = page.getByRole('dialog')
  await card.getByRole('radio', { name: '10' }).click()
  await card.getByRole('button', { name: 'Send' }).click()
  expect(await calls(page)).toEqual([['answer', 10]])
  await expect(card.getByText('What did you like?')).toBeVisible()
  await card.getByRole('textbox').fill('  Fast and friendly  ')
  await card.getByRole('radiogroup', { name: 'Speed' }).getByRole('radio', { name: '5', exact: true }).click()
  await card.getByRole('button', { name: 'Send' }).click()
  expect(await calls(page)).toEqual([['answer', 10], ['complete', { score: 10, comment: 'Fast and friendly', dimensions: { speed: 5 } }]])
})

test('× before a score is a dismissal; × after it only closes the card', async ({ page }) => {
  await openHarness(page, testSurvey())
  await page.getByRole('button', { name: 'Close survey' }).click()
  await expect(page.getByRole('dialog')).toHaveCount(0)
  expect(await calls(page)).toEqual([['dismiss']])

  await openHarness(page, testSurvey())
  await page.getByRole('radio', { name: '7', exact: true }).click()
  await page.getByRole('button', { name: 'Send' }).click()
  await page.getByRole('button', { name: 'Close survey' }).click()
  await expect(page.getByRole('dialog')).toHaveCount(0)
  expect(await calls(page)).toEqual([['answer', 7], ['close']])
})

test('the centred CSAT modal closes on a click outside it, as a dismissal', async ({ page }, testInfo) => {
  await page.goto('/examples/ticket-closed.html')
  await page.evaluate(() => {
    const counter = window as unknown as { dismissed: number }
    counter.dismissed = 0
    window.hearken?.('on', 'dismiss', () => counter.dismissed++)
  })
  const card = page.getByRole('dialog', { name: 'How satisfied are you with the help you received?' })
  await expect(card).toHaveAttribute('aria-modal', 'true')
  await expect(card.getByText('Very dissatisfied')).toBeVisible()
  await expect(card.getByText('Very satisfied')).toBeVisible()
  await expectAccessible(page)
  await snapshot(page, testInfo, 'modal')
  await page.mouse.click(5, 5)
  await expect(card).toHaveCount(0)
  expect(await page.evaluate(() => (window as unknown as { dismissed: number }).dismissed)).toBe(1)
})
