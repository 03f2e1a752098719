import { expect, test } from './fixtures.ts'
import { chunks, newSite, nps, openShop, outbox, seen } from './sdk-support.ts'

const START = new Date('2026-06-01T08:00:00Z').getTime()

test('a second device of the same user is not asked within the site’s cap, and neither is their survey link', async ({ browser, request, baseURL }, testInfo) => {
  const { site, token } = await newSite(request, baseURL!, { capDays: 30 })
  const device = () => browser.newContext({ baseURL: baseURL!, userAgent: testInfo.project.use.userAgent! })
  const [laptop, phone] = await Promise.all([device(), device()])
  try {
    const identified = "hearken('identify', 'user-77'); hearken('checkpoint', 'order_completed')"
    const first = await laptop.newPage()
    await openShop(first, site, identified)
    await expect(first.getByRole('dialog')).toBeVisible()
    await expect.poll(async () => (await seen<{ kind: string }>(first, 'delivered')).map((event) => event.kind)).toContain('impressions')

    // Another browser, the same user: the worker remembers what this browser cannot.
    const second = await phone.newPage()
    const asked = second.waitForResponse((reply) => reply.url().endsWith('/v1/fatigue'))
    await openShop(second, site, identified)
    expect(await (await asked).json()).toEqual({ ask: false, reason: 'fatigue' })
    await expect.poll(() => seen(second, 'skip')).toEqual([{ reason: 'fatigue', checkpoint: 'order_completed' }])
    await expect(second.locator('[data-hearken]')).toHaveCount(0)

    // Someone else on that browser is asked: fatigue is the user's, not the device's.
    const other = await phone.newPage()
    await openShop(other, site, "hearken('identify', 'user-78'); hearken('checkpoint', 'order_completed')", '/e2e/other.html')
    await expect(other.getByRole('dialog')).toBeVisible()

    // A survey link mailed to the first user: thanked, not asked, nothing recorded.
    const minted = await request.post(`/v1/sites/${site}/links`, { headers: { authorization: `Bearer ${token}` }, data: { survey: 'nps', user: 'user-77' } })
    const { url } = (await minted.json()) as { url: string }
    const mail = await phone.newPage()
    await mail.goto(url)
    await expect(mail.getByRole('heading', { name: 'Thank you, we asked you recently' })).toBeVisible()
    await expect(mail.locator('#hearken-survey')).toHaveCount(0)
  } finally {
    await Promise.all([laptop.close(), phone.close()])
  }
})

test('a card never appears when the visitor opts out during its delay, and no impression is recorded', async ({ page, request, baseURL }) => {
  const { site } = await newSite(request, baseURL!, { surveys: [nps({ delayMs: 5000 })] })
  await page.clock.install({ time: START })
  await page.clock.pauseAt(START + 1000)
  const impressions: string[] = []
  page.on('request', (sent) => sent.url().endsWith('/v1/impressions') && impressions.push(sent.postData() ?? ''))
  // The fatigue check is sent right as the delay starts: when it is seen, the card is waiting.
  const waiting = page.waitForRequest((sent) => sent.url().endsWith('/v1/fatigue'))
  await openShop(page, site, "hearken('identify', 'user-90'); hearken('checkpoint', 'order_completed')")
  await waiting
  await page.evaluate(() => (window as unknown as { hearken: (verb: string) => void }).hearken('optOut'))
  await page.clock.runFor(5000)
  await expect.poll(() => seen(page, 'skip')).toEqual([{ reason: 'opted-out', checkpoint: 'order_completed' }])
  await expect(page.locator('[data-hearken]')).toHaveCount(0)
  expect(await seen(page, 'show')).toEqual([])
  expect(impressions).toEqual([])
  expect(await outbox(page)).toEqual([])
})

test('a card never appears when the app destroys the SDK while the card is loading', async ({ page }) => {
  await page.route('**/e2e/app.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><title>app</title><h1>App</h1><script type="module">
  import { createHearken } from '/${chunks.sdk}'
  let release
  const held = new Promise((done) => (release = done))
  const hearken = createHearken({
    site: 'pk_demo',
    endpoint: location.origin,
    widget: async () => {
      await held
      const widget = await import('/${chunks.widget}')
      // After the import and a task more, whatever the SDK does with the card is done.
      setTimeout(() => (window.widgetLoaded = true))
      return widget
    },
  })
  window.seen = []
  for (const name of ['show', 'answer', 'skip', 'error']) hearken.on(name, (event) => window.seen.push([name, event]))
  Object.assign(window, { app: hearken, release })
  hearken.checkpoint('order_completed')
</script>`,
    }),
  )
  await page.goto('/e2e/app.html')
  await expect.poll(async () => (await seen(page, 'show')).length).toBe(1)
  // One task later the SDK is past its show handlers and waiting for the card.
  await page.evaluate(() => new Promise((done) => setTimeout(done)))
  await page.evaluate(() => {
    const { app, release } = window as unknown as { app: { destroy: () => void }; release: () => void }
    app.destroy()
    release()
  })
  await page.waitForFunction(() => (window as unknown as { widgetLoaded?: boolean }).widgetLoaded)
  await expect(page.locator('[data-hearken]')).toHaveCount(0)
  expect((await outbox(page)).filter((item) => item.kind === 'impressions')).toEqual([])
})
