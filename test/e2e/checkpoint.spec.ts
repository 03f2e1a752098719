import { expect, readStats, test } from './fixtures.ts'
import { chunks } from './sdk-support.ts'

test('an order_completed checkpoint shows the NPS card, and the answer reaches the stats', async ({ page, request }) => {
  const before = await readStats(request, 'post-purchase-nps')
  const posted = page.waitForResponse((reply) => reply.url().endsWith('/v1/responses') && reply.request().method() === 'POST')

  await page.goto('/examples/order-complete.html')
  await expect(page.getByRole('heading', { name: 'Thank you for your order!' })).toBeVisible()

  const card = page.getByRole('dialog')
  await expect(card).toBeVisible()
  await expect(card).toHaveAccessibleName(/How likely are you to recommend Demo Shop/)
  await expect(card.getByRole('radiogroup')).toHaveAccessibleName(/How likely are you to recommend Demo Shop/)
  const options = card.getByRole('radio')
  await expect(options).toHaveCount(11)
  for (let score = 0; score <= 10; score++) await expect(options.nth(score)).toHaveAccessibleName(String(score))

  await card.getByRole('radio', { name: '9', exact: true }).click()
  expect((await posted).status()).toBe(201)
  // The follow-up and ratings are optional: sending them empty finishes the survey.
  await card.getByRole('button', { name: 'Send' }).click()
  await expect(card.getByRole('status')).toHaveText('Thank you for your feedback!')

  const after = await readStats(request, 'post-purchase-nps')
  expect(after.nps!.n).toBe(before.nps!.n + 1)
  expect(after.nps!.promoters).toBe(before.nps!.promoters + 1)
  expect(after.nps!.score).not.toBeNull()
})

test('the widget lives in an open shadow root, apart from the page', async ({ page }) => {
  await page.goto('/examples/order-complete.html')
  await expect(page.getByRole('dialog')).toBeVisible()
  const host = page.locator('[data-hearken="post-purchase-nps"]')
  expect(await host.evaluate((element) => element.shadowRoot?.mode)).toBe('open')
})

test('a ticket_closed checkpoint shows the CSAT card with five options', async ({ page, request }) => {
  const before = await readStats(request, 'support-csat')
  await page.goto('/examples/ticket-closed.html')
  const card = page.getByRole('dialog')
  await expect(card.getByRole('radio')).toHaveCount(5)
  await card.getByRole('radio', { name: '4', exact: true }).click()
  await expect(card.getByRole('textbox', { name: 'Anything we could do even better?' })).toBeVisible()
  await card.getByRole('button', { name: 'Send' }).click()
  await expect(card.getByRole('status')).toHaveText('Thank you for your feedback!')
  await expect.poll(async () => (await readStats(request, 'support-csat')).csat!.n).toBe(before.csat!.n + 1)
})

test('the ES-module example app shows the card the config names (hashed, of its contract) on a checkpoint from code, and hears its answer delivered', async ({ page }) => {
  const requested: string[] = []
  page.on('request', (sent) => requested.push(new URL(sent.url()).pathname))
  await page.goto('/examples/app/')
  await page.getByRole('button', { name: 'Pay now' }).click()
  const card = page.getByRole('dialog')
  await expect(card).toBeVisible()
  // An app's bundled SDK imports the content-hashed card, never the five-minute /widget.js a browser may hold from an older release.
  expect(requested).toContain(`/${chunks.widget}`)
  expect(requested).not.toContain('/widget.js')
  await card.getByRole('radio', { name: '10', exact: true }).click()
  const log = page.getByRole('list').last()
  await expect(log).toContainText('answered 10: stored in the outbox, on its way')
  await expect(log).toContainText(/responses [0-9a-f]{8}… delivered/)
})
