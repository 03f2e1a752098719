/**
 * `npm run bench`: what the browser bundles weigh, against their budgets, and how long a
 * returning visitor waits from checkpoint to visible card (a measurement, never a pass/fail).
 */
import { chromium } from '@playwright/test'
import { mkdtempSync, rmSync } from 'node:fs'
import { arch, cpus, platform, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { demoSeed, freePort, prepareLocalDatabase, startWorker } from './local-worker.ts'
import { budgets, bundleSizes } from './sizes.ts'

const sizes = bundleSizes()
const row = (name: string, size: { raw: number; gzip: number; brotli: number }) =>
  `${name.padEnd(22)} ${String(size.raw).padStart(7)} ${String(size.gzip).padStart(7)} ${String(size.brotli).padStart(7)}`
const share = (used: number, budget: number) => `${used} / ${budget} B gzip (${((used / budget) * 100).toFixed(0)}% of budget)`

console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${platform()}/${arch()}, Node ${process.version}\n`)
console.log(`${'bundle (bytes)'.padEnd(22)} ${'raw'.padStart(7)} ${'gzip'.padStart(7)} ${'brotli'.padStart(7)}`)
console.log(row('loader (hearken.js)', sizes.loader))
console.log(row('sdk (hearken-sdk.js)', sizes.sdk))
console.log(row('widget (widget.js)', sizes.widget))
console.log(`\nLoader: ${share(sizes.loader.gzip, budgets.loader)}`)
console.log(`Loader + SDK: ${share(sizes.loaderAndSdkGzip, budgets.loaderAndSdk)}`)
console.log(`To a visible survey: ${share(sizes.toVisibleSurveyGzip, budgets.toVisibleSurvey)}`)

/** Milliseconds from the page's checkpoint call to the card in the DOM, on each of `runs` warm reloads. */
async function checkpointToVisible(runs: number): Promise<number[]> {
  const port = await freePort()
  const persistTo = mkdtempSync(join(tmpdir(), 'hearken-bench-'))
  const seed = demoSeed()
  await prepareLocalDatabase(persistTo, { ...seed, origins: [...seed.origins, `http://127.0.0.1:${port}`] })
  const worker = await startWorker({ port, persistTo })
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
  try {
    const page = await browser.newPage()
    // Stamp the checkpoint as the page's stub queues it, and the first frame with the card in it.
    await page.addInitScript(() => {
      const marks = { checkpoint: 0, visible: 0 }
      Object.assign(window, { marks })
      const stub = (...args: unknown[]) => {
        if (args[0] === 'checkpoint' && !marks.checkpoint) marks.checkpoint = performance.now()
        ;(stub.q ??= []).push(args)
      }
      stub.q = undefined as unknown[][] | undefined
      Object.assign(window, { hearken: stub })
      const look = () => {
        if (document.querySelector('[data-hearken]')?.shadowRoot?.querySelector('[role=dialog]')) marks.visible = performance.now()
        else requestAnimationFrame(look)
      }
      requestAnimationFrame(look)
    })
    const url = `${worker.url}/examples/order-complete.html`
    const measure = async () => {
      await page.goto(url)
      await page.waitForFunction(() => (window as unknown as { marks: { visible: number } }).marks.visible > 0)
      return page.evaluate(() => {
        const { marks } = window as unknown as { marks: { checkpoint: number; visible: number } }
        return marks.visible - marks.checkpoint
      })
    }
    await measure() // cold: fills the HTTP cache and the kept config
    const times: number[] = []
    for (let run = 0; run < runs; run++) times.push(await measure())
    return times
  } finally {
    await browser.close()
    await worker.stop()
    rmSync(persistTo, { recursive: true, force: true })
  }
}

const times = (await checkpointToVisible(7)).sort((a, b) => a - b)
const median = times[Math.floor(times.length / 2)]!
console.log(`\nCheckpoint → visible card, warm cache (Chromium, local worker, ${times.length} reloads): median ${median.toFixed(0)} ms, min ${times[0]!.toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms`)
