import { expect, test, type Page } from '@playwright/test'
import { exportedIds, ownWorker } from './worker.ts'

const PAGES = 4

/** Opens the order page in a fresh browser context, recording the id of every answer the SDK takes. */
async function openShop(browser: import('@playwright/test').Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: url })
  const page = await context.newPage()
  await page.addInitScript(() => {
    const answered: string[] = []
    Object.assign(window, { answered })
    const stub = ((...args: unknown[]) => void (stub.q ??= []).push(args)) as ((...args: unknown[]) => void) & { q?: unknown[][] }
    Object.assign(window, { hearken: stub })
    stub('on', 'answer', (event: { id: string }) => void answered.push(event.id))
  })
  return page
}

async function showCard(page: Page): Promise<void> {
  await page.goto('/examples/order-complete.html')
  await expect(page.getByRole('dialog').getByRole('radio', { name: '0', exact: true })).toBeVisible()
}

/** Answers the card on screen and returns the id the SDK reported for it. */
async function answer(page: Page, score: number): Promise<string> {
  const card = page.getByRole('dialog')
  // A click records the score at once (the card then moves on to its details).
  await card.getByRole('radio', { name: String(score), exact: true }).click()
  await expect.poll(() => page.evaluate(() => (window as unknown as { answered: string[] }).answered.length)).toBe(1)
  return page.evaluate(() => (window as unknown as { answered: string[] }).answered[0]!)
}

test('the worker restarted mid-burst while browsers keep answering: every answer the browsers took is stored exactly once', async ({ browser }) => {
  const worker = await ownWorker()
  try {
    const pages = await Promise.all(Array.from({ length: PAGES }, () => openShop(browser, worker.url)))
    const submitted: string[] = []

    // A first round with the worker up.
    for (const [index, page] of pages.entries()) {
      await showCard(page)
      submitted.push(await answer(page, index))
    }
    // The next round's cards are on screen when the worker goes down; the visitors answer anyway.
    for (const page of pages) await showCard(page)
    const restarting = worker.restart()
    for (const [index, page] of pages.entries()) submitted.push(await answer(page, 10 - index))
    await restarting

    // The outboxes retry on a backoff of up to a minute; waiting for it would make this test a
    // race against that timer. A browser that is back in touch says `online`, which sends what
    // waits at once: so the test says it, and the answers go as soon as the worker is up again.
    for (const page of pages) await page.evaluate(() => dispatchEvent(new Event('online')))
    await expect
      .poll(async () => new Set(await exportedIds(worker.url, 'post-purchase-nps')).size, { timeout: 30_000, intervals: [500] })
      .toBeGreaterThanOrEqual(submitted.length)
    for (const page of pages) await showCard(page)
    const stored = await exportedIds(worker.url, 'post-purchase-nps')
    expect(stored.length).toBe(new Set(stored).size)
    expect(stored.sort()).toEqual([...new Set(submitted)].sort())
    expect(submitted).toHaveLength(2 * PAGES)
  } finally {
    await worker.stop()
  }
})
