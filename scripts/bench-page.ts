/**
 * The loader's cost to a host page, in Chromium: the example order page with and without the
 * Hearken snippet, each load in a fresh browser context, and how long a visitor waits from the
 * checkpoint call to the card on screen, cold and warm.
 */
import { chromium, type Browser, type Page } from '@playwright/test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { demoSeed, prepareLocalDatabase, runAdminToken, startWorker } from './local-worker.ts'

/** What one page load cost the page's main thread, observed until a second after it settled. */
export interface PageCost {
  longTasks: number
  longTaskMs: number
  /** Sum of every layout-shift entry not caused by input (an upper bound of the page's CLS). */
  layoutShift: number
  /** Chromium's TaskDuration: everything the renderer's main thread did. */
  mainThreadMs: number
  /** Chromium's ScriptDuration: the part of it spent running JavaScript. */
  scriptMs: number
}

export interface PageBench {
  runs: number
  /** Medians over `runs` loads of each variant. */
  withLoader: PageCost
  withoutLoader: PageCost
  /** Checkpoint → card on screen, in ms: first visit (empty cache and storage), then a reload. */
  coldMs: number[]
  warmMs: number[]
  /**
   * The same first visit with {@link SLOW_LATENCY_MS} added to every request (CDP network
   * emulation): on loopback a round trip costs almost nothing, so this is where the number of
   * requests waiting one for another shows.
   */
  coldSlowMs: number[]
}

/** Latency added to each request for {@link PageBench.coldSlowMs}: a round trip on a mobile network. */
export const SLOW_LATENCY_MS = 100

interface Marks {
  longTasks: number
  longTaskMs: number
  layoutShift: number
  checkpoint: number
  visible: number
}

/** Once the page has settled: time left for late long tasks and shifts to be reported. */
export const SETTLE_MS = 1000

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** Runs in the page before any of its scripts, in both variants, so both pay the same observers. */
function observe(): void {
  const marks: Marks = { longTasks: 0, longTaskMs: 0, layoutShift: 0, checkpoint: 0, visible: 0 }
  Object.assign(window, { benchMarks: marks })
  new PerformanceObserver((list) => {
    for (const task of list.getEntries()) {
      marks.longTasks++
      marks.longTaskMs += task.duration
    }
  }).observe({ type: 'longtask', buffered: true })
  new PerformanceObserver((list) => {
    // LayoutShift entries are not in TypeScript's DOM library yet.
    for (const shift of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
      if (!shift.hadRecentInput) marks.layoutShift += shift.value
    }
  }).observe({ type: 'layout-shift', buffered: true })
  // Our stub comes first, so the page's `window.hearken || …` keeps it: it stamps the checkpoint
  // as the page queues it and queues exactly as the page's own stub would.
  const stub = (...args: unknown[]) => {
    if (args[0] === 'checkpoint' && !marks.checkpoint) marks.checkpoint = performance.now()
    ;(stub.q ??= []).push(args)
  }
  stub.q = undefined as unknown[][] | undefined
  Object.assign(window, { hearken: stub })
  // Watching for the card's host costs nothing until it appears (polling every frame would
  // add main-thread time to the page without the loader too); then stamp the first frame
  // that has the card in it.
  const watcher = new MutationObserver(() => {
    const host = document.querySelector('[data-hearken]')
    if (!host) return
    watcher.disconnect()
    const look = () => {
      if (host.shadowRoot?.querySelector('[role=dialog]')) marks.visible = performance.now()
      else requestAnimationFrame(look)
    }
    requestAnimationFrame(look)
  })
  watcher.observe(document, { childList: true, subtree: true })
}

/** The example page without the snippet: the stub, the loader tag, the checkpoint call and the comment. */
function withoutSnippet(html: string): string {
  const stripped = html.replace(/<!-- Hearken:[\s\S]*?-->/, '').replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, (tag) => (/hearken/.test(tag) ? '' : tag))
  if (/hearken/i.test(stripped)) throw new Error('the example page changed: could not strip the Hearken snippet')
  return stripped
}

const marksOf = (page: Page) => page.evaluate(() => (window as unknown as { benchMarks: Marks }).benchMarks)
const cardVisible = (page: Page) =>
  page.waitForFunction(() => (window as unknown as { benchMarks: Marks }).benchMarks.visible > 0, undefined, { timeout: 15_000 })

/** One first visit to `url`; with the loader, also the checkpoint → visible time, cold and on a reload. */
async function visit(browser: Browser, url: string, loader: boolean, latencyMs = 0): Promise<{ cost: PageCost; times?: { coldMs: number; warmMs: number } }> {
  // Headless Chromium names itself "HeadlessChrome", which the worker flags as a bot.
  const context = await browser.newContext({
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
  })
  try {
    const page = await context.newPage()
    await page.addInitScript(observe)
    // Both variants go through the same route, so only the HTML differs between them.
    await page.route(url, async (route) => {
      const response = await route.fetch()
      const html = await response.text()
      await route.fulfill({ response, body: loader ? html : withoutSnippet(html) })
    })
    const cdp = await context.newCDPSession(page)
    await cdp.send('Performance.enable')
    if (latencyMs) {
      await cdp.send('Network.enable')
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: latencyMs, downloadThroughput: -1, uploadThroughput: -1 })
    }
    await page.goto(url, { waitUntil: 'load' })
    if (loader) await cardVisible(page)
    await page.waitForTimeout(SETTLE_MS)
    const marks = await marksOf(page)
    const { metrics } = await cdp.send('Performance.getMetrics')
    const metric = (name: string) => (metrics.find((entry) => entry.name === name)?.value ?? 0) * 1000
    const cost = { longTasks: marks.longTasks, longTaskMs: marks.longTaskMs, layoutShift: marks.layoutShift, mainThreadMs: metric('TaskDuration'), scriptMs: metric('ScriptDuration') }
    if (!loader) return { cost }
    await page.reload({ waitUntil: 'load' })
    await cardVisible(page)
    const warm = await marksOf(page)
    return { cost, times: { coldMs: marks.visible - marks.checkpoint, warmMs: warm.visible - warm.checkpoint } }
  } finally {
    await context.close()
  }
}

/** Starts a worker of its own (on a port wrangler picks), loads the example page `runs` times with and without the loader, and stops it. */
export async function benchPage(runs = 10): Promise<PageBench> {
  const persistTo = mkdtempSync(join(tmpdir(), 'hearken-bench-page-'))
  await prepareLocalDatabase(persistTo, demoSeed())
  const worker = await startWorker({ persistTo, adminToken: runAdminToken() })
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  try {
    const url = `${worker.url}/examples/order-complete.html`
    // Unmeasured: the worker's first requests compile its code and open D1. Each measured load
    // gets a fresh context, so nothing of this visit's cache or storage carries over.
    await visit(browser, url, true)
    const withLoader: Awaited<ReturnType<typeof visit>>[] = []
    const withoutLoader: PageCost[] = []
    const slow: number[] = []
    // Alternating the variants spreads the noise of a shared machine over all alike.
    for (let run = 0; run < runs; run++) {
      withLoader.push(await visit(browser, url, true))
      withoutLoader.push((await visit(browser, url, false)).cost)
      slow.push((await visit(browser, url, true, SLOW_LATENCY_MS)).times!.coldMs)
    }
    const medians = (costs: PageCost[]): PageCost => ({
      longTasks: median(costs.map((cost) => cost.longTasks)),
      longTaskMs: median(costs.map((cost) => cost.longTaskMs)),
      layoutShift: median(costs.map((cost) => cost.layoutShift)),
      mainThreadMs: median(costs.map((cost) => cost.mainThreadMs)),
      scriptMs: median(costs.map((cost) => cost.scriptMs)),
    })
    return {
      runs,
      withLoader: medians(withLoader.map((visit) => visit.cost)),
      withoutLoader: medians(withoutLoader),
      coldMs: withLoader.flatMap((visit) => visit.times?.coldMs ?? []),
      warmMs: withLoader.flatMap((visit) => visit.times?.warmMs ?? []),
      coldSlowMs: slow,
    }
  } finally {
    await browser.close()
    await worker.stop()
    rmSync(persistTo, { recursive: true, force: true })
  }
}
