import { backoff } from './backoff.ts'
import type { Emitter } from './events.ts'
import { pending, removeSent, sameVersion, settle, type OutboxItem } from './outbox.ts'
import type { Store } from './store.ts'
import { beaconAll, post } from './transport.ts'

/**
 * Delivers the outbox (a chunk of its own, loaded by {@link createDelivery} when something waits):
 * each item sent with `fetch` (each request with a timeout), retried with backoff, flushed on
 * `online`, and handed to `sendBeacon` when the page is hidden or left. Tabs take turns through
 * a Web Lock, so two tabs rarely send the same item twice (and the worker's idempotent ids make
 * it harmless when they do).
 */
export function createCourier(options: { store: Store; events: Emitter }) {
  const { store, events } = options
  /** This tab's latest view of the outbox: leaving must act at once and cannot wait for IndexedDB. */
  let known: OutboxItem[] = []
  /** The version a `fetch` is carrying now: a beacon must not carry it a second time. */
  let inFlight: OutboxItem | undefined
  /** Versions a beacon carried: never posted again, even before IndexedDB has forgotten them. */
  const beaconed: OutboxItem[] = []
  let running: Promise<void> | undefined
  let queued: Promise<void> | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false

  const report = (error: unknown, id?: string): void => void events.emit('error', { message: String(error), ...(id && { id }) })
  const waiting = (items: OutboxItem[]): OutboxItem[] => items.filter((item) => !beaconed.some((gone) => sameVersion(item, gone)))

  const drain = async (force: boolean): Promise<void> => {
    const tried = new Set<string>()
    for (;;) {
      known = waiting(await pending(store))
      const now = Date.now()
      const item = known.find((queued) => !tried.has(queued.body.id) && (force || queued.due <= now))
      if (!item || stopped) return
      tried.add(item.body.id)
      inFlight = item
      const outcome = await post(item.url, JSON.stringify(item.body))
      inFlight = undefined
      if ('retry' in outcome) {
        known = waiting(await settle(store, item, { due: Date.now() + (outcome.after ?? backoff(item.attempts)) }))
        // Offline or hanging: everything else would fail the same way; `online` or the timer brings us back.
        if (outcome.retry === 'network') return
      } else {
        known = waiting(await settle(store, item))
        if ('ok' in outcome) void events.emit('delivered', { id: item.body.id, kind: item.kind })
        else report(`${item.url} refused ${item.body.id}, dropped: ${outcome.drop}`, item.body.id)
      }
    }
  }

  const locked = (task: () => Promise<void>): Promise<void> =>
    navigator.locks ? navigator.locks.request('hearken:outbox', task) : task()

  const schedule = (): void => {
    clearTimeout(timer)
    if (stopped || !known.length) return
    const due = Math.min(...known.map((item) => item.due))
    timer = setTimeout(() => void flush(false), Math.max(0, due - Date.now()))
  }

  const run = (force: boolean): Promise<void> =>
    (running = locked(() => drain(force))
      .catch(report)
      .finally(() => {
        running = undefined
        schedule()
      }))

  /** Sends what waits (only what is due unless `force`); a call during a flush runs once more after it. */
  const flush = (force = true): Promise<void> => {
    if (!running) return run(force)
    return (queued ??= running.then(() => {
      queued = undefined
      return run(force)
    }))
  }

  const online = (): void => void flush()
  /**
   * The page is left, or hidden (tab switched, phone locked, app swiped away: mobile Safari often
   * never fires `pagehide` then). What waits goes by beacon, batched, and what the browser took
   * is not posted again; a body a `fetch` is carrying right now is left to that fetch. Offline,
   * a beacon would be accepted and then lost, so everything stays for the next page.
   */
  const leave = (): void => {
    if (!navigator.onLine) return
    const carried: OutboxItem[] = []
    for (const kind of ['responses', 'impressions'] as const) {
      const items = known.filter((item) => item.kind === kind && !(inFlight && sameVersion(item, inFlight)))
      if (!items.length) continue
      const taken = beaconAll(items[0]!.url, kind, items.map((item) => item.body))
      carried.push(...items.filter((item) => taken.includes(item.body)))
    }
    if (!carried.length) return
    beaconed.push(...carried)
    known = waiting(known)
    removeSent(store, carried).catch(report)
  }
  const hidden = (): void => {
    if (document.visibilityState === 'hidden') leave()
  }
  addEventListener('online', online)
  addEventListener('pagehide', leave)
  document.addEventListener('visibilitychange', hidden)

  return {
    /** An item is on its way into the outbox: a page left before IndexedDB has it still hands it to a beacon. */
    mirror(item: OutboxItem): void {
      known = [...known.filter((queued) => queued.body.id !== item.body.id), item]
    },
    flush,
    /** Stops timers and listeners; what waits stays in the outbox for the next page. */
    stop(): void {
      stopped = true
      clearTimeout(timer)
      removeEventListener('online', online)
      removeEventListener('pagehide', leave)
      document.removeEventListener('visibilitychange', hidden)
    },
  }
}

/** The courier {@link createCourier} makes. */
export type Courier = ReturnType<typeof createCourier>
