// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createCourier, type Parcel } from './courier.ts'
import { createEmitter } from './events.ts'
import { pending } from './outbox.ts'
import type { ResponseInput } from './protocol.ts'
import { createStore } from 'idb-keyval'
import { idbStore, memoryStore, type Store } from './store.ts'

const endpoint = 'https://hearken.test'
const answer = (id: string, score = 9): ResponseInput => ({ id, site: 'pk_demo', survey: 'nps', score })
const response = (id: string, score = 9): Parcel => ({ kind: 'responses', body: answer(id, score) })
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

function setup(store: Store = memoryStore(), limit?: number) {
  const events = createEmitter()
  const seen = { delivered: [] as string[], errors: [] as string[] }
  events.on('delivered', ({ id }) => void seen.delivered.push(id))
  events.on('error', ({ message }) => void seen.errors.push(message))
  const courier = createCourier({ endpoint, store, events, ...(limit && { limit }) })
  return { courier, store, seen }
}

let stops: (() => void)[] = []
const track = <T extends { courier: { stop: () => void } }>(made: T): T => (stops.push(made.courier.stop), made)

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
    const { courier, seen } = track(setup(store))
    await courier.send(response('a'))
    await courier.flush()
    expect(queuedAtSend).toEqual(['a'])
    expect(seen.delivered).toEqual(['a'])
    expect(await pending(store)).toEqual([])
  })

  it('sends JSON as text/plain with keepalive, so no preflight and it outlives the tab', async () => {
    const { fetch } = scriptedFetch(201)
    const { courier } = track(setup())
    await courier.send(response('a'))
    await courier.flush()
    expect(fetch).toHaveBeenCalledWith(`${endpoint}/v1/responses`, expect.objectContaining({ keepalive: true, headers: { 'content-type': 'text/plain;charset=UTF-8' } }))
  })

  it('keeps what the worker has not confirmed across a reload', async () => {
    const db = createStore(`reload-${Math.random()}`, 'kv')
    scriptedFetch('offline')
    const before = track(setup(idbStore(db)))
    await before.courier.send(response('kept'))
    await before.courier.flush()
    before.courier.stop()

    const { posted } = scriptedFetch(201)
    const after = track(setup(idbStore(db)))
    await after.courier.flush()
    expect(posted).toEqual(['kept'])
    expect(after.seen.delivered).toEqual(['kept'])
    expect(await pending(idbStore(db))).toEqual([])
  })

  it('drops the oldest item, with an error event, when full', async () => {
    scriptedFetch('offline')
    const { courier, store, seen } = track(setup(memoryStore(), 3))
    for (const id of ['1', '2', '3', '4']) await courier.send(response(id))
    expect((await pending(store)).map((item) => item.body.id)).toEqual(['2', '3', '4'])
    expect(seen.errors).toEqual([expect.stringContaining('dropped 1')])
  })

  it('replaces a queued answer with the fuller one of the same id', async () => {
    scriptedFetch('offline')
    const { courier, store } = track(setup())
    await courier.send(response('a', 9))
    await courier.send({ kind: 'responses', body: { ...answer('a', 9), comment: 'fast delivery' } })
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
    const { courier, seen } = track(setup())
    await courier.send(response('a'))
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
    const { courier, seen } = track(setup())
    await courier.send(response('a'))
    await vi.advanceTimersByTimeAsync(60_000)
    expect(seen.delivered).toEqual(['a'])
    const waits = times.slice(1).map((time, index) => time - times[index]!)
    expect(waits).toEqual([1000, 2000, 4000])
  })

  it('drops an item the worker refuses (4xx), saying why', async () => {
    const { posted } = scriptedFetch(400)
    const { courier, store, seen } = track(setup())
    await courier.send(response('bad'))
    await vi.advanceTimersByTimeAsync(0)
    expect(seen.errors).toEqual([expect.stringMatching(/bad.*HTTP 400: status 400/)])
    expect(await pending(store)).toEqual([])
    await vi.advanceTimersByTimeAsync(600_000)
    expect(posted).toEqual(['bad'])
  })

  it('sends at once when the browser comes back online', async () => {
    const { posted } = scriptedFetch('offline', 201)
    const { courier, seen } = track(setup())
    await courier.send(response('a'))
    await vi.advanceTimersByTimeAsync(10)
    dispatchEvent(new Event('online'))
    await vi.advanceTimersByTimeAsync(10)
    expect(posted).toEqual(['a', 'a'])
    expect(seen.delivered).toEqual(['a'])
  })
})

describe('leaving and sharing', () => {
  it('hands what waits to sendBeacon when the page is hidden for good', async () => {
    scriptedFetch('offline')
    const beacons: [string, string][] = []
    vi.stubGlobal('navigator', { ...navigator, sendBeacon: (url: string, body: string) => beacons.push([url, body]) > 0 })
    const { courier } = track(setup())
    void courier.send(response('leaving'))
    dispatchEvent(new Event('pagehide'))
    expect(beacons).toEqual([[`${endpoint}/v1/responses`, JSON.stringify(response('leaving').body)]])
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
    vi.stubGlobal('navigator', { ...navigator, locks })
    const store = memoryStore()
    scriptedFetch('offline')
    const first = track(setup(store))
    for (const id of ['1', '2', '3']) await first.courier.send(response(id))
    await first.courier.flush()
    const second = track(setup(store))
    const { posted } = scriptedFetch(201)
    await Promise.all([first.courier.flush(), second.courier.flush()])
    expect(posted.sort()).toEqual(['1', '2', '3'])
  })
})
