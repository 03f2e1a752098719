import { expect, readStats, test } from './fixtures.ts'
import { calls, expectAccessible, expectLooks, openHarness, testSurvey } from './widget-support.ts'

test('a visitor answers the NPS card by mouse: a click records the score, the next step shows it, a rating, thanks', async ({ page }) => {
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
  await expectLooks(card, 'nps-score')

  await card.getByRole('button', { name: 'Send' }).click()
  await expect(card.getByRole('alert')).toHaveText('Please choose a score first.')

  // One click: the score is recorded and the card moves on, no Send needed.
  const first = page.waitForResponse((reply) => reply.url().endsWith('/v1/responses'))
  await card.getByRole('radio', { name: '3', exact: true }).click()
  expect((await first).status()).toBe(201)
  await expect(card.getByText('Your score 3')).toBeVisible()
  const comment = card.getByRole('textbox', { name: 'What was the main problem with your order?' })
  await expect(comment).toBeVisible()
  // A click leaves focus on the card, not in the text box: a phone's keyboard stays down.
  await expect(comment).not.toBeFocused()
  await expect(card.getByRole('radiogroup', { name: 'Delivery speed' })).toBeVisible()
  await expectAccessible(page)
  await expectLooks(card, 'nps-details')

  await comment.fill('The <b>box</b> arrived crushed')
  await card.getByRole('radiogroup', { name: 'Delivery speed' }).getByRole('radio', { name: '2', exact: true }).click()
  await card.getByRole('button', { name: 'Send' }).click()
  await expect(card.getByRole('status')).toHaveText('Thank you for your feedback!')
  await expectAccessible(page)

  await expect.poll(() => posts.length).toBe(2)
  expect(JSON.parse(posts[0]!)).toMatchObject({ survey: 'post-purchase-nps', score: 3 })
  expect(JSON.parse(posts[1]!)).toMatchObject({ score: 3, comment: 'The <b>box</b> arrived crushed', dimensions: { delivery: 2 } })
})

test('the step after the score lets the visitor change it, and the stats follow the change', async ({ page, request }) => {
  const before = await readStats(request, 'post-purchase-nps')
  await page.goto('/examples/order-complete.html')
  const card = page.getByRole('dialog')
  await card.getByRole('radio', { name: '2', exact: true }).click()
  await expect(card.getByText('Your score 2')).toBeVisible()
  await expect.poll(async () => (await readStats(request, 'post-purchase-nps')).nps!.detractors).toBe(before.nps!.detractors + 1)

  await card.getByRole('button', { name: 'Change' }).click()
  await expect(card.getByRole('radio', { name: '2', exact: true })).toBeChecked()
  await card.getByRole('radio', { name: '9', exact: true }).click()
  await expect(card.getByText('Your score 9')).toBeVisible()
  await expect(card.getByRole('textbox', { name: 'What did you like most?' })).toBeVisible()
  await expect
    .poll(async () => {
      const { nps } = await readStats(request, 'post-purchase-nps')
      return [nps!.n - before.nps!.n, nps!.promoters - before.nps!.promoters, nps!.detractors - before.nps!.detractors]
    })
    .toEqual([1, 1, 0])
})

test('the card reports the score the moment it is clicked, and everything at the thanks', async ({ page }) => {
  await openHarness(page, testSurvey())
  const card = page.getByRole('dialog')
  await card.getByRole('radio', { name: '10' }).click()
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
  await page.getByRole('button', { name: 'Close survey' }).click()
  await expect(page.getByRole('dialog')).toHaveCount(0)
  expect(await calls(page)).toEqual([['answer', 7], ['close']])
})

test('the centred CSAT modal opens with no score looking chosen, asks a 3 what was missing, and closes on a click outside', async ({ page }) => {
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
  // The modal holds focus itself: no radio is focused, so no ring sits on "1" as if it were chosen.
  await expect(card).toBeFocused()
  const rings = await card.locator('.option span').evaluateAll((spans) => spans.map((span) => getComputedStyle(span).outlineStyle))
  expect(rings).toEqual(['none', 'none', 'none', 'none', 'none'])
  await expectAccessible(page)
  await expectLooks(page, 'csat-modal')
  await page.mouse.click(5, 5)
  await expect(card).toHaveCount(0)
  expect(await page.evaluate(() => (window as unknown as { dismissed: number }).dismissed)).toBe(1)

  await page.goto('/examples/ticket-closed.html')
  await page.getByRole('dialog').getByRole('radio', { name: '3', exact: true }).click()
  await expect(page.getByRole('dialog').getByRole('textbox', { name: 'What was missing?' })).toBeVisible()
  await expect(page.getByRole('dialog').getByText('What went wrong?')).toHaveCount(0)
})
