import { afterEach, describe, expect, it, vi } from 'vitest'
import { CONFIG_MAX_AGE_MS, configSource, configUrl } from './config.ts'
import type { SiteConfig } from './protocol.ts'
import { memoryStore } from './store.ts'
import { WIDGET_CONTRACT } from './widget-contract.ts'

const url = configUrl('https://hearken.test', 'pk_demo', 'zh-Hant-TW')
const version = (capDays: number) => ({ site: 'pk_demo', capDays }) as SiteConfig

/** A worker whose config is whatever `current` says now, counting fetches. */
function fakeWorker() {
  const worker = { current: version(1), fetches: 0 }
  vi.stubGlobal('fetch', async () => {
    worker.fetches++
    return Response.json(worker.current)
  })
  return worker
}

afterEach(() => vi.unstubAllGlobals())

describe('the site config', () => {
  it('is asked for in the visitor’s language', () => {
    expect(url).toBe('https://hearken.test/v1/sites/pk_demo/config?lang=zh-Hant-TW')
  })

  it('is fetched once for a page, then again behind the copy once that copy is ten minutes old', async () => {
    let now = 0
    const worker = fakeWorker()
    const config = configSource(url, memoryStore(), () => now)
    expect((await config()).capDays).toBe(1)
    worker.current = version(2)
    now = CONFIG_MAX_AGE_MS - 1
    expect((await config()).capDays).toBe(1)
    expect(worker.fetches).toBe(1)
    now = CONFIG_MAX_AGE_MS
    // This checkpoint still decides on the copy it has; the next one has the new config.
    expect((await config()).capDays).toBe(1)
    await expect.poll(() => worker.fetches).toBe(2)
    await expect.poll(async () => (await config()).capDays).toBe(2)
  })

  it('answers a returning visitor from the kept copy and keeps the fresh one for next time', async () => {
    const store = memoryStore()
    const worker = fakeWorker()
    await configSource(url, store)()
    worker.current = version(3)
    const next = configSource(url, store)
    expect((await next()).capDays).toBe(1)
    await expect.poll(async () => (await configSource(url, store)()).capDays).toBe(3)
  })

  it('never starts from a copy an SDK of another widget contract kept', async () => {
    const store = memoryStore()
    // What an older SDK kept: under the key without a contract, and under another contract's.
    await store.update(`config:${url}`, () => version(7))
    await store.update(`config:${WIDGET_CONTRACT + 1}:${url}`, () => version(8))
    fakeWorker()
    expect((await configSource(url, store)()).capDays).toBe(1)
  })
})

describe('a refused config', () => {
  it('fails with the worker’s own words, so the error event says what to fix', async () => {
    const message = "site pk_shop does not allow the origin http://localhost:5173: add it to the site's origins"
    vi.stubGlobal('fetch', async () => Response.json({ error: { code: 'origin_not_allowed', message, field: 'origin' } }, { status: 403 }))
    await expect(configSource(configUrl('https://hearken.test', 'pk_shop', 'en'), memoryStore())()).rejects.toThrow(message)
  })

  it('fails with the status when the refusal has no readable body', async () => {
    vi.stubGlobal('fetch', async () => new Response('<h1>Bad gateway</h1>', { status: 502 }))
    await expect(configSource(configUrl('https://hearken.test', 'pk_shop', 'en'), memoryStore())()).rejects.toThrow('config: HTTP 502')
  })
})
