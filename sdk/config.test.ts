import { afterEach, expect, it, vi } from 'vitest'
import { configSource } from './config.ts'
import { memoryStore } from './store.ts'

afterEach(() => vi.unstubAllGlobals())

it('fails with the worker’s own words when it refuses, so the error event says what to fix', async () => {
  const message = "site pk_shop does not allow the origin http://localhost:5173: add it to the site's origins"
  vi.stubGlobal('fetch', async () => Response.json({ error: { code: 'origin_not_allowed', message, field: 'origin' } }, { status: 403 }))
  await expect(configSource('https://hearken.test', 'pk_shop', memoryStore())()).rejects.toThrow(message)
})

it('fails with the status when the refusal has no readable body', async () => {
  vi.stubGlobal('fetch', async () => new Response('<h1>Bad gateway</h1>', { status: 502 }))
  await expect(configSource('https://hearken.test', 'pk_shop', memoryStore())()).rejects.toThrow('config: HTTP 502')
})
