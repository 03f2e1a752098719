import { expect, test } from './fixtures.ts'
import { chunks } from './sdk-support.ts'

test('the loader stays at a stable URL with a short cache; the chunks it names are cached for a year', async ({ request }) => {
  for (const path of ['/hearken.js', '/widget.js']) {
    const reply = await request.get(path)
    expect(reply.status()).toBe(200)
    expect(reply.headers()['cache-control']).toBe('public, max-age=300')
  }
  const loader = await (await request.get('/hearken.js')).text()
  for (const file of [chunks.sdk, chunks.widget]) {
    expect(file).toMatch(/^chunks\/[\w-]+\.[\w-]{8}\.js$/)
    expect(loader).toContain(file)
    const reply = await request.get(`/${file}`)
    expect(reply.status()).toBe(200)
    expect(reply.headers()['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(reply.headers()['access-control-allow-origin']).toBe('*')
  }
  // The SDK chunk names its courier chunk itself, by content too.
  expect(await (await request.get(`/${chunks.sdk}`)).text()).toContain(chunks.courier.replace('chunks/', './'))
})

test('a first checkpoint fetches the SDK, the site config and the card at once: none waits for the SDK to arrive', async ({ page }) => {
  const started: string[] = []
  page.on('request', (sent) => started.push(new URL(sent.url()).pathname))
  let release: () => void = () => {}
  const held = new Promise<void>((done) => (release = done))
  // Hold the SDK chunk back: whatever else is requested meanwhile was not asked for by the SDK.
  await page.route(`**/${chunks.sdk}`, async (route) => {
    await held
    await route.continue()
  })
  await page.goto('/examples/order-complete.html')
  await expect.poll(() => started).toEqual(expect.arrayContaining([`/${chunks.sdk}`, '/v1/sites/pk_demo/config', `/${chunks.widget}`]))
  release()
  await expect(page.getByRole('dialog')).toBeVisible()
  // The SDK used what the loader fetched: no second request for the config or the card.
  expect(started.filter((path) => path === '/v1/sites/pk_demo/config')).toHaveLength(1)
  expect(started.filter((path) => path === `/${chunks.widget}`)).toHaveLength(1)
})

test('a checkpoint fired before the loader arrived still shows the card', async ({ page }) => {
  let release: () => void = () => {}
  const held = new Promise<void>((done) => (release = done))
  await page.route('**/hearken.js', async (route) => {
    await held
    await route.continue()
  })
  // An async script holds back `load`, not DOMContentLoaded: the page's checkpoint is queued by now.
  await page.goto('/examples/order-complete.html', { waitUntil: 'domcontentloaded' })
  expect(await page.evaluate(() => (window as unknown as { hearken: { q?: unknown[] } }).hearken.q?.length)).toBe(1)
  release()
  await expect(page.getByRole('dialog')).toBeVisible()
  await expect(page.locator('[data-hearken="post-purchase-nps"]')).toHaveCount(1)
})

test('a page that calls nothing loads only the loader, not the SDK, the config or the card', async ({ page }) => {
  const requested: string[] = []
  page.on('request', (sent) => requested.push(new URL(sent.url()).pathname))
  // The loader peeks at the outbox once; the page learns when that read (and whatever it started) is done.
  await page.addInitScript(() => {
    const get = IDBObjectStore.prototype.get
    IDBObjectStore.prototype.get = function (this: IDBObjectStore, key: IDBValidKey | IDBKeyRange) {
      const read = get.call(this, key)
      if (key === 'outbox') read.addEventListener('success', () => setTimeout(() => Object.assign(window, { outboxPeeked: true })))
      return read
    }
  })
  await page.route('**/examples/plain.html', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>plain</title><script async src="/hearken.js" data-site="pk_demo"></script><h1>Hello</h1>' }),
  )
  await page.goto('/examples/plain.html')
  await expect(page.getByRole('heading', { name: 'Hello' })).toBeVisible()
  await page.waitForFunction(() => (window as unknown as { outboxPeeked?: boolean }).outboxPeeked)
  // A request of our own after the peek: anything the loader started before it is reported first.
  await page.evaluate(() => fetch('/health'))
  await expect.poll(() => requested).toContain('/health')
  expect(requested.slice(0, requested.indexOf('/health'))).toEqual(['/examples/plain.html', '/hearken.js'])
})
