import type { Page } from '@playwright/test'
import type { APIRequestContext } from '@playwright/test'
import { expect, readStats, TOKEN, test } from './fixtures.ts'

/**
 * The SDK's delivery promises, in Chromium against the local worker. The card is a stand-in
 * that keeps the widget contract (WidgetProps) with one button per score, so these tests follow
 * the SDK, not the card's design; the real card is shown in the last test and in checkpoint.spec.ts.
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

/**
 * Serves the stand-in card, and records every `delivered` and `error` event the page sees.
 * `loseBeacons` makes the browser refuse `sendBeacon`, leaving the outbox as the only way.
 */
async function prepare(page: Page, options: { loseBeacons?: boolean } = {}): Promise<void> {
  await page.route('**/widget.js', (route) => route.fulfill({ contentType: 'text/javascript', body: standInWidget }))
  if (options.loseBeacons) await page.addInitScript(() => Object.assign(navigator, { sendBeacon: () => false }))
  await page.addInitScript(() => {
    const seen: unknown[] = []
    Object.assign(window, { seen })
    const stub = ((...args: unknown[]) => void (stub.q ??= []).push(args)) as ((...args: unknown[]) => void) & { q?: unknown[][] }
    Object.assign(window, { hearken: stub })
    stub('on', 'delivered', (event: unknown) => void seen.push(['delivered', event]))
    stub('on', 'error', (event: unknown) => void seen.push(['error', event]))
  })
}

/** The ids of the responses waiting in the page's outbox (IndexedDB `hearken`, store `kv`, key `outbox`). */
function queuedIds(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((done, fail) => {
        const open = indexedDB.open('hearken')
        open.onerror = () => fail(open.error)
        open.onsuccess = () => {
          const read = open.result.transaction('kv').objectStore('kv').get('outbox')
          read.onsuccess = () => {
            open.result.close()
            const items = (read.result ?? []) as { url: string; body: { id: string } }[]
            done(items.filter((item) => item.url.endsWith('/v1/responses')).map((item) => item.body.id))
          }
        }
      }),
  )
}

const queuedResponses = async (page: Page) => (await queuedIds(page)).length

/** How many stored rows the operator's export holds for one response id. */
async function storedCopies(request: APIRequestContext, id: string): Promise<number> {
  const reply = await request.get('/v1/sites/pk_demo/responses?format=json&limit=1000', { headers: { authorization: `Bearer ${TOKEN}` } })
  if (!reply.ok()) throw new Error(`responses: HTTP ${reply.status()} ${await reply.text()}`)
  return ((await reply.json()) as { responses: { id: string }[] }).responses.filter((stored) => stored.id === id).length
}

const delivered = (page: Page) =>
  page.evaluate(() => (window as unknown as { seen: [string, { id: string; kind: string }][] }).seen.filter(([name, event]) => name === 'delivered' && event.kind === 'responses').map(([, event]) => event.id))

/** Answers counted in the NPS stats. */
const npsCount = async (request: APIRequestContext) => (await readStats(request, 'post-purchase-nps')).nps!.n

test('an answer given offline survives a reload and is stored exactly once when the browser is back online', async ({ page, context, request }) => {
  // Playwright's routes do not see beacons, which would deliver the answer on reload.
  await prepare(page, { loseBeacons: true })
  const before = await npsCount(request)
  await page.goto('/examples/order-complete.html')
  const card = page.getByRole('dialog')
  await expect(card).toBeVisible()

  await context.setOffline(true)
  await card.getByRole('button', { name: '7', exact: true }).click()
  await expect.poll(() => queuedResponses(page)).toBe(1)
  const [id] = await queuedIds(page)

  // Reload with the worker still out of reach (only the page itself may load).
  await page.route('**/v1/responses', (route) => route.abort('internetdisconnected'))
  await context.setOffline(false)
  await page.reload()
  await expect(page.getByRole('dialog')).toBeVisible()
  expect(await queuedResponses(page)).toBe(1)
  expect(await npsCount(request)).toBe(before)

  await context.setOffline(true)
  await page.unroute('**/v1/responses')
  await context.setOffline(false)
  await expect.poll(() => queuedResponses(page)).toBe(0)
  await expect.poll(() => npsCount(request)).toBe(before + 1)

  await page.reload()
  await expect(page.getByRole('dialog')).toBeVisible()
  expect(await queuedResponses(page)).toBe(0)
  expect(await npsCount(request)).toBe(before + 1)
  expect(await storedCopies(request, id!)).toBe(1)
})

test('a worker answering 503, then 201, gets the answer once, after the wait it asked for', async ({ page, request }) => {
  await prepare(page)
  const before = await npsCount(request)
  const attempts: number[] = []
  await page.route('**/v1/responses', async (route) => {
    attempts.push(Date.now())
    if (attempts.length === 1) return route.fulfill({ status: 503, headers: { 'retry-after': '1' }, json: { error: { code: 'unavailable', message: 'try later' } } })
    await route.continue()
  })
  await page.goto('/examples/order-complete.html')
  await page.getByRole('dialog').getByRole('button', { name: '10' }).click()

  await expect.poll(() => delivered(page)).toHaveLength(1)
  const [id] = await delivered(page)
  expect(await storedCopies(request, id!)).toBe(1)
  expect(attempts).toHaveLength(2)
  expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(1000)
  expect(await npsCount(request)).toBe(before + 1)
  expect(await queuedResponses(page)).toBe(0)
})

test('an answer given right before the tab closes is still delivered', async ({ page, request }) => {
  await prepare(page)
  const before = await npsCount(request)
  await page.goto('/examples/order-complete.html')
  await page.getByRole('dialog').getByRole('button', { name: '8' }).click()
  await page.close({ runBeforeUnload: true })
  await expect.poll(() => npsCount(request)).toBe(before + 1)
})

test('a checkpoint fired before the loader arrived still shows the card', async ({ page }) => {
  await page.route('**/hearken.js', async (route) => {
    await new Promise((done) => setTimeout(done, 1500))
    await route.continue()
  })
  // An async script holds back `load`, not DOMContentLoaded: the page's checkpoint is queued by now.
  await page.goto('/examples/order-complete.html', { waitUntil: 'domcontentloaded' })
  expect(await page.evaluate(() => (window as unknown as { hearken: { q?: unknown[] } }).hearken.q?.length)).toBe(1)
  await expect(page.getByRole('dialog')).toBeVisible()
  await expect(page.locator('[data-hearken="post-purchase-nps"]')).toHaveCount(1)
})

test('a page that calls nothing loads only the loader', async ({ page }) => {
  const scripts: string[] = []
  page.on('request', (sent) => sent.resourceType() === 'script' && scripts.push(new URL(sent.url()).pathname))
  await page.route('**/examples/plain.html', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>plain</title><script async src="/hearken.js" data-site="pk_demo"></script><h1>Hello</h1>' }),
  )
  await page.goto('/examples/plain.html')
  await expect(page.getByRole('heading', { name: 'Hello' })).toBeVisible()
  await page.waitForLoadState('networkidle')
  expect(scripts).toEqual(['/hearken.js'])
})
