import type { Page, Route } from '@playwright/test'
import { expect, readStats, test } from './fixtures.ts'
import { outbox, storedCopies } from './sdk-support.ts'

/**
 * The SDK's delivery promises, in Chromium against the local worker. The card is a stand-in
 * that keeps the widget contract (WidgetProps) with one button per score, so these tests follow
 * the SDK, not the card's design; the real card is in checkpoint.spec.ts and the widget specs.
 * Waits are on what the page did (a request seen, the outbox changed), never on the wall clock;
 * retries are driven by Playwright's clock, paused, so a backoff fires only when the test says.
 */
const standInWidget = `
export function mount(root, props) {
  const card = document.createElement('div')
  card.setAttribute('role', 'dialog')
  card.setAttribute('aria-label', props.survey.question.en)
  for (let score = 0; score <= 10; score++) {
    const button = document.createElement('button')
    button.textContent = String(score)
    button.onclick = () => props.onAnswer(score)
    card.append(button)
  }
  root.append(card)
  return () => card.remove()
}`

const START = new Date('2026-06-01T08:00:00Z').getTime()

/**
 * Serves the stand-in card, records every `delivered` and `error` event, and optionally pauses
 * the page's clock. `loseBeacons` makes the browser refuse `sendBeacon`, leaving the outbox as the only way.
 */
async function prepare(page: Page, options: { loseBeacons?: boolean; pausedClock?: boolean } = {}): Promise<void> {
  await page.route('**/chunks/widget.*.js', (route) => route.fulfill({ contentType: 'text/javascript', body: standInWidget, headers: { 'access-control-allow-origin': '*' } }))
  if (options.loseBeacons) await page.addInitScript(() => Object.assign(navigator, { sendBeacon: () => false }))
  if (options.pausedClock) {
    await page.clock.install({ time: START })
    await page.clock.pauseAt(START + 1000)
  }
  await page.addInitScript(() => {
    const seen: unknown[] = []
    Object.assign(window, { seen })
    const stub = ((...args: unknown[]) => void (stub.q ??= []).push(args)) as ((...args: unknown[]) => void) & { q?: unknown[][] }
    Object.assign(window, { hearken: stub })
    stub('on', 'delivered', (event: unknown) => void seen.push(['delivered', event]))
    stub('on', 'error', (event: unknown) => void seen.push(['error', event]))
  })
}

/** The ids of the responses waiting in the page's outbox, and how often each was tried. */
const queued = async (page: Page) => (await outbox(page)).filter((item) => item.kind === 'responses')

const delivered = (page: Page) =>
  page.evaluate(() => (window as unknown as { seen: [string, { id: string; kind: string }][] }).seen.filter(([name, event]) => name === 'delivered' && event.kind === 'responses').map(([, event]) => event.id))
const errors = (page: Page) =>
  page.evaluate(() => (window as unknown as { seen: [string, { message: string }][] }).seen.filter(([name]) => name === 'error').map(([, event]) => event.message))

/** Answers counted in the NPS stats. */
const npsCount = async (request: import('@playwright/test').APIRequestContext) => (await readStats(request, 'post-purchase-nps')).nps!.n

/** Routes posts of answers, counting them; each is handled by `handle` (continue, fail, or hold). */
async function routeAnswers(page: Page, handle: (route: Route, count: number) => Promise<void> | void): Promise<{ count: () => number }> {
  let count = 0
  await page.route('**/v1/responses', (route) => handle(route, ++count))
  return { count: () => count }
}

test('an answer given offline survives a reload and is stored exactly once when the browser is back online', async ({ page, context, request }) => {
  // A beacon on reload would deliver the answer; this test is about the outbox alone.
  await prepare(page, { loseBeacons: true })
  const before = await npsCount(request)
  await page.goto('/examples/order-complete.html')
  const card = page.getByRole('dialog')
  await expect(card).toBeVisible()

  await context.setOffline(true)
  await card.getByRole('button', { name: '7', exact: true }).click()
  await expect.poll(async () => (await queued(page)).length).toBe(1)
  const { body } = (await queued(page))[0]!

  // Reload with the worker still out of reach (only the page itself may load).
  await page.route('**/v1/responses', (route) => route.abort('internetdisconnected'))
  await context.setOffline(false)
  await page.reload()
  await expect(page.getByRole('dialog')).toBeVisible()
  expect((await queued(page)).map((item) => item.body.id)).toEqual([body.id])
  expect(await npsCount(request)).toBe(before)

  await context.setOffline(true)
  await page.unroute('**/v1/responses')
  await context.setOffline(false)
  await expect.poll(async () => (await queued(page)).length).toBe(0)
  await expect.poll(() => npsCount(request)).toBe(before + 1)

  await page.reload()
  await expect(page.getByRole('dialog')).toBeVisible()
  expect(await queued(page)).toEqual([])
  expect(await npsCount(request)).toBe(before + 1)
  expect(await storedCopies(request, body.id)).toBe(1)
})

test('a worker answering 503 with Retry-After gets the answer again only after that wait, and stores it once', async ({ page, request }) => {
  await prepare(page, { pausedClock: true })
  const before = await npsCount(request)
  const answers = await routeAnswers(page, (route, count) =>
    count === 1 ? route.fulfill({ status: 503, headers: { 'retry-after': '2' }, json: { error: { code: 'unavailable', message: 'try later' } } }) : route.continue(),
  )
  await page.goto('/examples/order-complete.html')
  await page.getByRole('dialog').getByRole('button', { name: '10' }).click()

  // The 503 is in and the retry is scheduled: the outbox says it was tried once.
  await expect.poll(async () => (await queued(page))[0]?.attempts).toBe(1)
  await page.clock.runFor(1999)
  expect(answers.count()).toBe(1)
  await page.clock.runFor(1)
  await expect.poll(() => delivered(page)).toHaveLength(1)
  const [id] = await delivered(page)
  expect(answers.count()).toBe(2)
  expect(await storedCopies(request, id!)).toBe(1)
  expect(await npsCount(request)).toBe(before + 1)
  expect(await queued(page)).toEqual([])
})

test('a request the network leaves hanging is given up after 10 s and tried again, and the answer is stored once', async ({ page, request }) => {
  await prepare(page, { pausedClock: true })
  let hung: () => void = () => {}
  const hanging = new Promise<void>((done) => (hung = done))
  const answers = await routeAnswers(page, (route, count) => {
    // The first post never gets an answer: the route is simply never fulfilled.
    if (count === 1) return hung()
    return route.continue()
  })
  await page.goto('/examples/order-complete.html')
  await page.getByRole('dialog').getByRole('button', { name: '4' }).click()
  await hanging

  await page.clock.runFor(9_999)
  expect(answers.count()).toBe(1)
  expect(await delivered(page)).toEqual([])
  await page.clock.runFor(1)
  await expect.poll(async () => (await queued(page))[0]?.attempts).toBe(1)
  // The backoff after a first failure is at most a second.
  await page.clock.runFor(1000)
  await expect.poll(() => delivered(page)).toHaveLength(1)
  const [id] = await delivered(page)
  expect(answers.count()).toBe(2)
  expect(await storedCopies(request, id!)).toBe(1)
})

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })

  test('a page hidden (visibilitychange, no pagehide) hands what waits to a beacon, which the page never posts again', async ({ page, request }) => {
    await prepare(page, { pausedClock: true })
    const beacons: string[] = []
    // Posts fail; the beacon (a `ping`) goes through to the worker.
    const answers = await routeAnswers(page, (route) => {
      if (route.request().resourceType() !== 'ping') return route.abort('connectionreset')
      beacons.push(route.request().postData() ?? '')
      return route.continue()
    })
    await page.goto('/examples/order-complete.html')
    await page.getByRole('dialog').getByRole('button', { name: '9' }).tap()
    await expect.poll(async () => (await queued(page))[0]?.attempts).toBe(1)
    const { body } = (await queued(page))[0]!

    // Mobile Safari often fires only visibilitychange when the visitor switches apps.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' })
      document.dispatchEvent(new Event('visibilitychange'))
    })
    await expect.poll(() => storedCopies(request, body.id)).toBe(1)
    expect(beacons.map((sent) => (JSON.parse(sent) as { responses: { id: string }[] }).responses.map(({ id }) => id))).toEqual([[body.id]])
    await expect.poll(async () => (await queued(page)).length).toBe(0)

    // Back on the page, and past any backoff: the answer the beacon carried is not posted again.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' })
      document.dispatchEvent(new Event('visibilitychange'))
    })
    await page.clock.runFor(10 * 60_000)
    await page.evaluate(() => (window as unknown as { hearken: (verb: string) => void }).hearken('flush'))
    await expect.poll(async () => (await outbox(page)).length).toBe(0)
    // One failed post, one beacon: nothing posted after the beacon carried it.
    expect(answers.count() - beacons.length).toBe(1)
    expect(await storedCopies(request, body.id)).toBe(1)
  })
})

test('an answer given right before the tab closes is still delivered', async ({ page, request }) => {
  await prepare(page)
  const before = await npsCount(request)
  await page.goto('/examples/order-complete.html')
  // As a person answers: the card has been up long enough for its "shown" impression to go out,
  // so the courier chunk that sends is loaded. (A tab closed within milliseconds of the card
  // appearing, before that chunk arrives, leaves the answer in the outbox for the next page: the
  // offline and reload tests above.)
  const shownDelivered = () =>
    page.evaluate(() => (window as unknown as { seen: [string, { kind: string }][] }).seen.some(([name, event]) => name === 'delivered' && event.kind === 'impressions'))
  await expect.poll(shownDelivered).toBe(true)
  await page.getByRole('dialog').getByRole('button', { name: '8' }).click()
  await page.close({ runBeforeUnload: true })
  await expect.poll(() => npsCount(request)).toBe(before + 1)
})

test('a full outbox (200 items) drops the oldest impressions, never an answer', async ({ page }) => {
  await prepare(page, { pausedClock: true })
  await page.route('**/v1/impressions', (route) => route.abort('internetdisconnected'))
  await routeAnswers(page, (route) => route.abort('internetdisconnected'))
  await page.goto('/examples/order-complete.html')
  const card = page.getByRole('dialog')
  await expect(card).toBeVisible()
  // The card's own "shown" impression waits too; then fill the outbox up to its bound, oldest
  // first: 150 impressions, then 49 answers from earlier pages.
  await expect.poll(async () => (await outbox(page)).length).toBe(1)
  const seeded = await page.evaluate(async () => {
    const item = (kind: string, n: number) => ({
      kind,
      url: `${location.origin}/v1/${kind}`,
      body: { id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, site: 'pk_demo', survey: 'post-purchase-nps', ...(kind === 'responses' ? { score: 5 } : { kind: 'shown' }) },
      attempts: 1,
      due: Date.now() + 864e5,
    })
    const items = [...Array.from({ length: 150 }, (_, n) => item('impressions', n)), ...Array.from({ length: 49 }, (_, n) => item('responses', 1000 + n))]
    await new Promise<void>((done, fail) => {
      const open = indexedDB.open('hearken')
      open.onsuccess = () => {
        const store = open.result.transaction('kv', 'readwrite').objectStore('kv')
        const read = store.get('outbox')
        read.onsuccess = () => {
          store.put([...items, ...(read.result ?? [])], 'outbox')
          store.transaction.oncomplete = () => (open.result.close(), done())
        }
      }
      open.onerror = () => fail(open.error)
    })
    return { oldest: items[0]!.body.id, second: items[1]!.body.id, answers: items.slice(150).map((queued) => queued.body.id) }
  })
  expect((await outbox(page)).length).toBe(200)

  await card.getByRole('button', { name: '6', exact: true }).click()
  await expect.poll(async () => (await outbox(page)).length).toBe(200)
  const after = await outbox(page)
  expect(after.filter((item) => item.kind === 'responses').map((item) => item.body.id)).toEqual([...seeded.answers, expect.any(String)])
  expect(after.find((item) => item.kind === 'responses' && item.body.score === 6)).toBeDefined()
  expect(after.map((item) => item.body.id)).not.toContain(seeded.oldest)
  expect(after.map((item) => item.body.id)).toContain(seeded.second)
  expect(await errors(page)).toEqual([`outbox full, dropped ${seeded.oldest}`])
})
