import { expect, readStats, TOKEN, test } from './fixtures.ts'
import { expectAccessible } from './widget-support.ts'

/** Mints a survey link for the demo NPS survey, as an operator's mailer would. */
async function mintLink(request: import('@playwright/test').APIRequestContext, user: string) {
  const reply = await request.post('/v1/sites/pk_demo/links', {
    headers: { authorization: `Bearer ${TOKEN}` },
    data: { survey: 'post-purchase-nps', user, subject: 'A-2002', segment: 'key', checkpoint: 'order_shipped' },
  })
  expect(reply.status()).toBe(201)
  return (await reply.json()) as { token: string; url: string; emailHtml: string }
}

test('a survey link is answered by keyboard alone and counted exactly once; answering again updates it', async ({ page, request }, testInfo) => {
  const before = await readStats(request, 'post-purchase-nps')
  const link = await mintLink(request, `link-user-${Date.now()}`)
  await page.goto(link.url)
  const card = page.getByRole('region')
  await expect(card).toBeVisible()
  await expectAccessible(page)

  await page.keyboard.press('Tab')
  await expect(card.getByRole('radio', { name: '0', exact: true })).toBeFocused()
  for (let step = 0; step < 10; step++) await page.keyboard.press('ArrowRight')
  await expect(card.getByRole('radio', { name: '10', exact: true })).toBeChecked()
  await page.keyboard.press('Enter')
  await expect(card.getByRole('textbox', { name: 'What did you like most?' })).toBeFocused()
  await page.keyboard.type('Careful packing')
  for (let press = 0; press < 3; press++) await page.keyboard.press('Tab')
  await page.keyboard.press('Enter')
  await expect(card.getByRole('status')).toBeVisible()
  await testInfo.attach('link-thanks', { body: await page.screenshot(), contentType: 'image/png' })

  await expect.poll(async () => (await readStats(request, 'post-purchase-nps')).nps!.n).toBe(before.nps!.n + 1)
  const afterFirst = await readStats(request, 'post-purchase-nps')
  expect(afterFirst.nps!.promoters).toBe(before.nps!.promoters + 1)

  // The same link used again, from the email's "3": the one answer moves, nothing is added.
  await page.goto(`${link.url}?score=3`)
  const problem = page.getByRole('region').getByRole('textbox', { name: 'What was the main problem with your order?' })
  await expect(problem).toBeVisible()
  // Recorded at the person's first gesture on the page, not by the load.
  await problem.click()
  await expect.poll(async () => (await readStats(request, 'post-purchase-nps')).nps!.detractors).toBe(afterFirst.nps!.detractors + 1)
  const afterSecond = await readStats(request, 'post-purchase-nps')
  expect(afterSecond.nps!.n).toBe(afterFirst.nps!.n)
  expect(afterSecond.nps!.promoters).toBe(afterFirst.nps!.promoters - 1)
})

test('a mail scanner fetching a one-click link records nothing; a person opening it records the score', async ({ page, request }) => {
  const before = await readStats(request, 'post-purchase-nps')
  const link = await mintLink(request, `scanner-${Date.now()}`)
  const email = await (await request.get(link.emailHtml, { headers: { authorization: `Bearer ${TOKEN}` } })).text()
  const nine = /href="([^"]+\?score=9)"/.exec(email)![1]!
  expect((await request.get(nine)).status()).toBe(200)
  expect((await readStats(request, 'post-purchase-nps')).nps!.n).toBe(before.nps!.n)

  // A scanner that runs the page's script records nothing either: only a person's gesture does.
  await page.goto(nine)
  const liked = page.getByRole('region').getByRole('textbox', { name: 'What did you like most?' })
  await expect(liked).toBeVisible()
  expect((await readStats(request, 'post-purchase-nps')).nps!.n).toBe(before.nps!.n)
  await liked.click()
  await expect.poll(async () => (await readStats(request, 'post-purchase-nps')).nps!.n).toBe(before.nps!.n + 1)
})

test('a tampered link says so plainly', async ({ page, request }) => {
  const link = await mintLink(request, 'tamper')
  const reply = await page.goto(`${link.url.slice(0, -2)}xx`)
  expect(reply!.status()).toBe(400)
  await expect(page.getByRole('heading', { name: 'This survey link is not valid' })).toBeVisible()
})
