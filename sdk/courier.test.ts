// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { createStore } from 'idb-keyval'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as courierModule from './courier.ts'
import { createDelivery } from './delivery.ts'
import { createEmitter } from './events.ts'
import { pending, type Parcel } from './outbox.ts'
import type { ResponseInput } from './protocol.ts'
import { REQUEST_TIMEOUT_MS } from './request.ts'
import { idbStore, memoryStore, type Store } from './store.ts'
import { beaconAll } from './transport.ts'

const endpoint = 'https://hearken.test'
const answer = (id: string, score = 9): ResponseInput => ({ id, site: 'pk_demo', survey: 'nps', score })
const response = (id: string, score = 9): Parcel => ({ kind: 'responses', body: answer(id, score) })
const impression = (id: string): Parcel => ({ kind: 'impressions', body: { id, site: 'pk_demo', survey: 'nps', kind: 'shown' } })
const reply = (status: number, headers: Record<string, string> = {}) => new Response(JSON.stringify({ error: { code: 'x', message: `status ${status}` } }), { status, headers })

/** A fetch that answers from a script and records each posted id. */
function scriptedFetch(...answers: (number | 'offline' | [number, Record<string, string>])[]) {
  const posted: string[] = []
  const times: number[] = []
  const fetch = vi.fn(async (_url: string, init: RequestInit) => {
    times.push(Date.now())
    posted.push((JSON.parse(init.body as string) as { id: string }).id)
    const next = answers.length > 1 ? answers.shift()! : answers[0]!
    if (next === 'offline') throw new TypeError('Failed to fetch')
    return Array.isArray(next) ? reply(...next) : reply(next)
  })
  vi.stubGlobal('fetch', fetch)
  return { fetch, posted, times }
}

/** A browser whose sendBeacon records what it is handed (and accepts it, unless told not to). */
function recordBeacons(options: { accept?: boolean; onLine?: boolean } = {}) {
  const beacons: { url: string; body: { responses?: { id: string }[]; impressions?: { id: string }[] } }[] = []
  const sendBeacon = (url: string, body: string) => {
    beacons.push({ url, body: JSON.parse(body) as (typeof beacons)[number]['body'] })
    return options.accept ?? true
  }
  vi.stubGlobal('navigator', { ...navigator, onLine: options.onLine ?? true, sendBeacon })
  return beacons
}

function setup(store: Store = memoryStore(), limit?: number) {
  const events = createEmitter()
  const seen = { delivered: [] as string[], errors: [] as string[] }
  events.on('delivered', ({ id }) => void seen.delivered.push(id))
  events.on('error', ({ message }) => void seen.errors.push(message))
  const load = vi.fn(async () => courierModule)
  const delivery = createDelivery({ endpoint, store, events, load, ...(limit && { limit }) })
  stops.push(delivery.stop)
  return { delivery, store, seen, load }
}

let stops: (() => void)[] = []
beforeEach(() => {
  stops = []
})
afterEach(() => {
  stops.forEach((stop) => stop())
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('the outbox', () => {
  it('holds every parcel before it is sent', async () => {
    const store = memoryStore()
    let queuedAtSend: string[] = []
    vi.stubGlobal('fetch', async () => {
      queuedAtSend = (await pending(store)).map((item) => item.body.id)
      return reply(201)
    })
    const { delivery, seen } = setup(store)
    await delivery.send(response('a'))
    await delivery.flush()
    expect(queuedAtSend).toEqual(['a'])
    expect(seen.delivered).toEqual(['a'])
    expect(await pending(store)).toEqual([])
  })

  it('sends JSON as text/plain with keepalive, so no preflight and it outlives the tab', async () => {
    const { fetch } = scriptedFetch(201)
    const { delivery } = setup()
    await delivery.send(response('a'))
    await delivery.flush()
    expect(fetch).toHaveBeenCalledWith(`${endpoint}/v1/responses`, expect.objectContaining({ keepalive: true, headers: { 'content-type': 'text/plain;charset=UTF-8' } }))
  })

  it('keeps what the worker has not confirmed across a reload', async () => {
    const db = createStore('reload', 'kv')
    scriptedFetch('offline')
    const before = setup(idbStore(db))
    await before.delivery.send(response('kept'))
    await before.delivery.flush()
    before.delivery.stop()

    const { posted } = scriptedFetch(201)
    const after = setup(idbStore(db))
    await after.delivery.resume()
    expect(posted).toEqual(['kept'])
    expect(after.seen.delivered).toEqual(['kept'])
    expect(await pending(idbStore(db))).toEqual([])
  })

  it('loads the courier only once something waits to be sent', async () => {
    scriptedFetch(201)
    const { delivery, load } = setup()
    await delivery.resume()
    expect(load).not.toHaveBeenCalled()
    await delivery.send(response('a'))
    await delivery.flush()
    expect(load).toHaveBeenCalledTimes(1)
  })

  it('stores an answer even when the courier cannot be loaded, for the next page to send', async () => {
    const store = memoryStore()
    const events = createEmitter()
    const errors: string[] = []
    events.on('error', ({ message }) => void errors.push(message))
    const delivery = createDelivery({ endpoint, store, events, load: () => Promise.reject(new TypeError('Failed to fetch dynamically imported module')) })
    await delivery.send(response('offline'))
    await expect.poll(() => errors).toEqual([expect.stringContaining('dynamically imported')])
    expect((await pending(store)).map((item) => item.body.id)).toEqual(['offline'])
  })

  it('when full, drops impressions before answers, oldest first, each with an error event', async () => {
    scriptedFetch('offline')
    const { delivery, store, seen } = setup(memoryStore(), 3)
    for (const parcel of [impression('i1'), response('r1'), impression('i2'), response('r2'), response('r3'), response('r4')]) await delivery.send(parcel)
    expect((await pending(store)).map((item) => item.body.id)).toEqual(['r2', 'r3', 'r4'])
    expect(seen.errors).toEqual([
      expect.stringContaining('dropped i1'),
      expect.stringContaining('dropped i2'),
      expect.stringContaining('dropped r1'),
    ])
  })

  it('replaces a queued answer with the fuller one of the same id', async () => {
    scriptedFetch('offline')
    const { delivery, store } = setup()
    await delivery.send(response('a', 9))
    await delivery.send({ kind: 'responses', body: { ...answer('a', 9), comment: 'fast delivery' } })
    expect((await pending(store)).map((item) => item.body)).toEqual([expect.objectContaining({ id: 'a', comment: 'fast delivery' })])
  })
})

describe('retries', () => {
  beforeEach(() => {
    // Only timers and the clock: fake-indexeddb schedules its work with setImmediate.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
  })

  it('waits as long as Retry-After says after a 503, then delivers once', async () => {
    const { posted } = scriptedFetch([503, { 'retry-after': '2' }], 201)
    const { delivery, seen } = setup()
    await delivery.send(response('a'))
    await vi.advanceTimersByTimeAsync(1999)
    expect(posted).toEqual(['a'])
    await vi.advanceTimersByTimeAsync(1)
    expect(posted).toEqual(['a', 'a'])
    expect(seen.delivered).toEqual(['a'])
    await vi.advanceTimersByTimeAsync(600_000)
    expect(posted).toHaveLength(2)
  })

  it('backs off exponentially, with jitter, on network errors and 5xx', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1)
    const { times } = scriptedFetch('offline', 500, 429, 201)
    const { delivery, seen } = setup()
    await delivery.send(response('a'))
    await vi.advanceTimersByTimeAsync(60_000)
    expect(seen.delivered).toEqual(['a'])
    const waits = times.slice(1).map((time, index) => time - times[index]!)
    expect(waits).toEqual([1000, 2000, 4000])
  })

  it('drops an item the worker refuses (4xx), saying why', async () => {
    const { posted } = scriptedFetch(400)
    const { delivery, store, seen } = setup()
    await delivery.send(response('bad'))
    await vi.advanceTimersByTimeAsync(0)
    expect(seen.errors).toEqual([expect.stringMatching(/bad.*HTTP 400: status 400/)])
    expect(await pending(store)).toEqual([])
    await vi.advanceTimersByTimeAsync(600_000)
    expect(posted).toEqual(['bad'])
  })

  it('sends at once when the browser comes back online', async () => {
    const { posted } = scriptedFetch('offline', 201)
    const { delivery, seen } = setup()
    await delivery.send(response('a'))
    await vi.advanceTimersByTimeAsync(10)
    dispatchEvent(new Event('online'))
    await vi.advanceTimersByTimeAsync(10)
    expect(posted).toEqual(['a', 'a'])
    expect(seen.delivered).toEqual(['a'])
  })

  it('gives up on a request that never answers, frees the outbox for another tab, and tries again', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    let hang = true
    const posted: string[] = []
    vi.stubGlobal('fetch', (_url: string, init: RequestInit) => {
      posted.push((JSON.parse(init.body as string) as { id: string }).id)
      if (!hang) return Promise.resolve(reply(201))
      // A connection the network never answers: only the abort ends it.
      return new Promise((_, fail) => init.signal!.addEventListener('abort', () => fail(init.signal!.reason)))
    })
    let held = Promise.resolve()
    const locks = {
      request: (_name: string, task: () => Promise<void>) => {
        const run = held.then(task)
        held = run.catch(() => {})
        return run
      },
    }
    vi.stubGlobal('navigator', { ...navigator, onLine: true, locks })
    const store = memoryStore()
    const first = setup(store)
    await first.delivery.send(response('a'))
    await vi.advanceTimersByTimeAsync(REQUEST_TIMEOUT_MS - 1)
    expect(posted).toEqual(['a'])
    // A second tab wants the outbox while the first tab's request hangs.
    const second = setup(store)
    hang = false
    const secondFlush = second.delivery.flush()
    await vi.advanceTimersByTimeAsync(1)
    await secondFlush
    expect(posted).toEqual(['a', 'a'])
    expect(second.seen.delivered).toEqual(['a'])
    expect(first.seen.delivered).toEqual([])
    expect(await pending(store)).toEqual([])
  })
})

describe('leaving and sharing', () => {
  const hide = (state: 'hidden' | 'visible') => {
    Object.defineProperty(document, 'visibilityState', { value: state, configurable: true })
    document.dispatchEvent(new Event('visibilitychange'))
  }
  afterEach(() => {
    Reflect.deleteProperty(document, 'visibilityState')
  })

  it('hands what waits to sendBeacon in one batch per route when the page is left, and never posts it again', async () => {
    scriptedFetch('offline')
    const { delivery, store } = setup()
    await delivery.send(response('r1'))
    await delivery.send(impression('i1'))
    await delivery.flush()
    const beacons = recordBeacons()
    // Given just before leaving: the courier has it before IndexedDB does.
    void delivery.send(response('r2'))
    dispatchEvent(new Event('pagehide'))
    expect(beacons).toEqual([
      { url: `${endpoint}/v1/responses`, body: { responses: [answer('r1'), answer('r2')] } },
      { url: `${endpoint}/v1/impressions`, body: { impressions: [impression('i1').body] } },
    ])
    const { posted } = scriptedFetch(201)
    await delivery.flush()
    expect(posted).toEqual([])
    await expect.poll(async () => (await pending(store)).length).toBe(0)
  })

  it('beacons when the page is hidden (mobile Safari may never fire pagehide), not when it is shown again', async () => {
    scriptedFetch('offline')
    const { delivery, store } = setup()
    await delivery.send(response('a'))
    await delivery.flush()
    const beacons = recordBeacons()
    hide('visible')
    expect(beacons).toEqual([])
    hide('hidden')
    expect(beacons.map((beacon) => beacon.body.responses?.map(({ id }) => id))).toEqual([['a']])
    await expect.poll(async () => (await pending(store)).length).toBe(0)
  })

  it('leaves the answer a fetch is carrying to that fetch', async () => {
    let answered: ((reply: Response) => void) | undefined
    vi.stubGlobal('fetch', () => new Promise<Response>((done) => (answered = done)))
    const { delivery, store, seen } = setup()
    await delivery.send(response('flying'))
    await expect.poll(() => answered).toBeDefined()
    const beacons = recordBeacons()
    dispatchEvent(new Event('pagehide'))
    expect(beacons).toEqual([])
    answered!(reply(201))
    await expect.poll(() => seen.delivered).toEqual(['flying'])
    expect(await pending(store)).toEqual([])
  })

  it('keeps everything for the next page when the browser is offline or refuses the beacon', async () => {
    scriptedFetch('offline')
    const { delivery, store } = setup()
    await delivery.send(response('a'))
    await delivery.flush()
    const offline = recordBeacons({ onLine: false })
    dispatchEvent(new Event('pagehide'))
    expect(offline).toEqual([])
    const refused = recordBeacons({ accept: false })
    dispatchEvent(new Event('pagehide'))
    expect(refused).toHaveLength(1)
    expect((await pending(store)).map((item) => item.body.id)).toEqual(['a'])
  })

  it('lets two tabs flush the same outbox without sending an item twice', async () => {
    let held = Promise.resolve()
    const locks = {
      request: (_name: string, task: () => Promise<void>) => {
        const run = held.then(task)
        held = run.catch(() => {})
        return run
      },
    }
    vi.stubGlobal('navigator', { ...navigator, onLine: true, locks })
    const store = memoryStore()
    scriptedFetch('offline')
    const first = setup(store)
    for (const id of ['1', '2', '3']) await first.delivery.send(response(id))
    await first.delivery.flush()
    const second = setup(store)
    const { posted } = scriptedFetch(201)
    await Promise.all([first.delivery.flush(), second.delivery.flush()])
    expect(posted.sort()).toEqual(['1', '2', '3'])
  })
})

describe('beacon batches', () => {
  it('stay within the worker’s 50 items and 16 KB a request', () => {
    const bodies: string[] = []
    vi.stubGlobal('navigator', { sendBeacon: (_url: string, body: string) => bodies.push(body) > 0 })
    const small = Array.from({ length: 120 }, (_, index) => answer(`s${index}`))
    const large = Array.from({ length: 12 }, (_, index) => ({ ...answer(`l${index}`), comment: '很'.repeat(2000) }))
    const taken = beaconAll(`${endpoint}/v1/responses`, 'responses', [...small, ...large])
    expect(taken).toHaveLength(132)
    const batches = bodies.map((body) => (JSON.parse(body) as { responses: { id: string }[] }).responses)
    expect(batches.flat().map(({ id }) => id)).toEqual([...small, ...large].map(({ id }) => id))
    for (const [index, batch] of batches.entries()) {
      expect(batch.length).toBeLessThanOrEqual(50)
      expect(new TextEncoder().encode(bodies[index]).length).toBeLessThanOrEqual(16 * 1024)
    }
  })
})
