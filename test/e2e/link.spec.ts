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

test('a survey link is answered by keyboard alone and counted exactly once; answering again updates it', async ({ page, request }) => {
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
  await expect(card.getByText('Your score 10')).toBeVisible()
  // The first field is the first rating; the text box comes after both ratings.
  for (let press = 0; press < 2; press++) await page.keyboard.press('Tab')
  await expect(card.getByRole('textbox', { name: 'What did you like most?' })).toBeFocused()
  await page.keyboard.type('Careful packing')
  await page.keyboard.press('Tab')
  await page.keyboard.press('Enter')
  await expect(card.getByRole('status')).toHaveText('Thank you for your feedback!')

  await expect.poll(async () => (await readStats(request, 'post-purchase-nps')).nps!.n).toBe(before.nps!.n + 1)
  const afterFirst = await readStats(request, 'post-purchase-nps')
  expect(afterFirst.nps!.promoters).toBe(before.nps!.promoters + 1)

  // The same link used again, from the email's "3": the one answer moves, nothing is added.
  await page.goto(`${link.url}?score=3`)
  await expect(page.getByRole('region').getByRole('textbox', { name: 'What was the main problem with your order?' })).toBeVisible()
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

  await page.goto(nine)
  await expect(page.getByRole('region').getByRole('textbox', { name: 'What did you like most?' })).toBeVisible()
  await expect.poll(async () => (await readStats(request, 'post-purchase-nps')).nps!.n).toBe(before.nps!.n + 1)
})

test('a tampered link says so plainly', async ({ page, request }) => {
  const link = await mintLink(request, 'tamper')
  const reply = await page.goto(`${link.url.slice(0, -2)}xx`)
  expect(reply!.status()).toBe(400)
  await expect(page.getByRole('heading', { name: 'This survey link is not valid' })).toBeVisible()
})

test('a link page answers through the SDK’s outbox: an answer given offline is delivered when the page is opened again', async ({ page, context, request }) => {
  const before = await readStats(request, 'post-purchase-nps')
  const link = await mintLink(request, `offline-${Date.now()}`)
  await page.goto(link.url)
  const card = page.getByRole('region')
  await expect(card).toBeVisible()
  await context.setOffline(true)
  await card.getByRole('radio', { name: '8', exact: true }).click()
  await expect(card.getByText('Your score 8')).toBeVisible()
  await expect
    .poll(() => page.evaluate(() => new Promise<number>((done) => {
      const open = indexedDB.open('hearken')
      open.onsuccess = () => {
        const read = open.result.transaction('kv').objectStore('kv').get('outbox')
        read.onsuccess = () => (open.result.close(), done(((read.result ?? []) as { kind: string }[]).filter((item) => item.kind === 'responses').length))
      }
    })))
    .toBe(1)
  await context.setOffline(false)
  await page.reload()
  await expect.poll(async () => (await readStats(request, 'post-purchase-nps')).nps!.n).toBe(before.nps!.n + 1)
  expect((await readStats(request, 'post-purchase-nps')).nps!.passives).toBe(before.nps!.passives + 1)
})

test('closing the card on a link page leaves a note that the link still works', async ({ page, request }) => {
  const link = await mintLink(request, `closer-${Date.now()}`)
  await page.goto(link.url)
  await page.getByRole('region').getByRole('button', { name: 'Close survey' }).click()
  await expect(page.getByRole('region')).toHaveCount(0)
  await expect(page.getByRole('status')).toHaveText(/You can close this page. The link keeps working/)
})
