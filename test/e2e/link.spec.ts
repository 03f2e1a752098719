import { expect, readStats, TOKEN, test } from './fixtures.ts'
import { expectAccessible } from './widget-support.ts'

/**
 * Mints a survey link for the demo NPS survey, as an operator's mailer would, in a segment of
 * its own: the test then reads the stats of that segment, which nothing else writes to.
 */
async function mintLink(request: import('@playwright/test').APIRequestContext, user: string, segment = `link${crypto.randomUUID().slice(0, 8)}`) {
  const reply = await request.post('/v1/sites/pk_demo/links', {
    headers: { authorization: `Bearer ${TOKEN}` },
    data: { survey: 'post-purchase-nps', user, subject: 'A-2002', segment, checkpoint: 'order_shipped' },
  })
  expect(reply.status()).toBe(201)
  const link = (await reply.json()) as { token: string; url: string; emailHtml: string }
  return { ...link, stats: () => readStats(request, 'post-purchase-nps', `segment=${segment}`) }
}

test('a survey link is answered by keyboard alone and counted exactly once; answering again updates it', async ({ page, request }) => {
  const link = await mintLink(request, `link-user-${crypto.randomUUID().slice(0, 8)}`)
  expect((await link.stats()).nps!.n).toBe(0)
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

  await expect.poll(async () => (await link.stats()).nps!.n).toBe(1)
  expect((await link.stats()).nps).toMatchObject({ n: 1, promoters: 1, detractors: 0 })

  // The same link used again, from the email's "3": the one answer moves, nothing is added.
  await page.goto(`${link.url}?score=3`)
  const problem = page.getByRole('region').getByRole('textbox', { name: 'What was the main problem with your order?' })
  await expect(problem).toBeVisible()
  // Recorded at the person's first gesture on the page, not by the load.
  await problem.click()
  await expect.poll(async () => (await link.stats()).nps!.detractors).toBe(1)
  expect((await link.stats()).nps).toMatchObject({ n: 1, promoters: 0, detractors: 1 })
})

test('a mail scanner fetching a one-click link records nothing; a person opening it records the score', async ({ page, request }) => {
  const link = await mintLink(request, `scanner-${crypto.randomUUID().slice(0, 8)}`)
  const email = await (await request.get(link.emailHtml, { headers: { authorization: `Bearer ${TOKEN}` } })).text()
  const nine = /href="([^"]+\?score=9)"/.exec(email)![1]!
  expect((await request.get(nine)).status()).toBe(200)
  expect((await link.stats()).nps!.n).toBe(0)

  await page.goto(nine)
  const liked = page.getByRole('region').getByRole('textbox', { name: 'What did you like most?' })
  await expect(liked).toBeVisible()
  // A scanner that runs the page's script records nothing either: only a person's gesture does.
  expect((await link.stats()).nps!.n).toBe(0)
  await liked.click()
  await expect.poll(async () => (await link.stats()).nps!.n).toBe(1)
  expect((await link.stats()).nps!.promoters).toBe(1)
})

test('a tampered link says so plainly', async ({ page, request }) => {
  const link = await mintLink(request, 'tamper')
  const reply = await page.goto(`${link.url.slice(0, -2)}xx`)
  expect(reply!.status()).toBe(400)
  await expect(page.getByRole('heading', { name: 'This survey link is not valid' })).toBeVisible()
})

test('a link page answers through the SDK’s outbox: an answer given offline is delivered when the page is opened again', async ({ page, context, request }) => {
  const link = await mintLink(request, `offline-${crypto.randomUUID().slice(0, 8)}`)
  await page.goto(link.url)
  const card = page.getByRole('region')
  await expect(card).toBeVisible()
  await context.setOffline(true)
  await card.getByRole('radio', { name: '8', exact: true }).click()
  await expect(card.getByText('Your score 8')).toBeVisible()
  const waiting = () =>
    page.evaluate(
      () =>
        new Promise<number>((done) => {
          const open = indexedDB.open('hearken')
          open.onsuccess = () => {
            const read = open.result.transaction('kv').objectStore('kv').get('outbox')
            read.onsuccess = () => (open.result.close(), done(((read.result ?? []) as { kind: string }[]).filter((item) => item.kind === 'responses').length))
          }
        }),
    )
  await expect.poll(waiting).toBe(1)
  expect((await link.stats()).nps!.n).toBe(0)
  await context.setOffline(false)
  await page.reload()
  await expect.poll(async () => (await link.stats()).nps!.n).toBe(1)
  expect((await link.stats()).nps).toMatchObject({ n: 1, passives: 1 })
  await expect.poll(waiting).toBe(0)
})

test('closing the card on a link page leaves a note that the link still works', async ({ page, request }) => {
  const link = await mintLink(request, `closer-${crypto.randomUUID().slice(0, 8)}`)
  await page.goto(link.url)
  await page.getByRole('region').getByRole('button', { name: 'Close survey' }).click()
  await expect(page.getByRole('region')).toHaveCount(0)
  await expect(page.getByRole('status')).toHaveText(/You can close this page. The link keeps working/)
})
