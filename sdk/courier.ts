import { backoff } from './backoff.ts'
import type { Emitter } from './events.ts'
import { pending, put, settle, type OutboxItem } from './outbox.ts'
import type { ImpressionInput, ResponseInput } from './protocol.ts'
import type { Store } from './store.ts'
import { beacon, post } from './transport.ts'

/** The most items the outbox keeps; beyond it the oldest go, with an `error` event. */
export const OUTBOX_LIMIT = 200

/** What gets delivered, and where. */
export type Parcel = { kind: 'responses'; body: ResponseInput } | { kind: 'impressions'; body: ImpressionInput }

/**
 * Delivers the outbox: every parcel is stored before it is sent, sent with `fetch` at once,
 * retried with backoff, flushed on `online`, and handed to `sendBeacon` on `pagehide`.
 * Tabs take turns through a Web Lock, so two tabs rarely send the same parcel twice
 * (and the worker's idempotent ids make it harmless when they do).
 */
export function createCourier(options: { endpoint: string; store: Store; events: Emitter; limit?: number }) {
  const { endpoint, store, events, limit = OUTBOX_LIMIT } = options
  /** This tab's latest view of the outbox: `pagehide` must act at once and cannot wait for IndexedDB. */
  let known: OutboxItem[] = []
  let running: Promise<void> | undefined
  let queued: Promise<void> | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false

  const report = (error: unknown, id?: string): void => void events.emit('error', { message: String(error), ...(id && { id }) })

  const drain = async (force: boolean): Promise<void> => {
    const tried = new Set<string>()
    for (;;) {
      known = await pending(store)
      const now = Date.now()
      const item = known.find((queued) => !tried.has(queued.body.id) && (force || queued.due <= now))
      if (!item || stopped) return
      tried.add(item.body.id)
      const outcome = await post(item.url, JSON.stringify(item.body))
      if ('retry' in outcome) {
        known = await settle(store, item, { due: Date.now() + (outcome.after ?? backoff(item.attempts)) })
        // Offline: everything else would fail the same way; `online` or the timer brings us back.
        if (outcome.retry === 'network') return
      } else {
        known = await settle(store, item)
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
  const hide = (): void => {
    for (const item of known) beacon(item.url, JSON.stringify(item.body))
  }
  addEventListener('online', online)
  addEventListener('pagehide', hide)

  return {
    /** Stores a parcel (replacing one with the same id), then sends it; resolves once it is stored. */
    async send(parcel: Parcel): Promise<void> {
      const item: OutboxItem = { ...parcel, url: `${endpoint}/v1/${parcel.kind}`, attempts: 0, due: Date.now() }
      known = [...known.filter((queued) => queued.body.id !== item.body.id), item]
      const { items, dropped } = await put(store, item, limit)
      known = items
      for (const old of dropped) report(`outbox full, dropped ${old.body.id}`, old.body.id)
      void flush(false)
    },
    flush,
    /** Stops timers and listeners; what waits stays in the outbox for the next page. */
    stop(): void {
      stopped = true
      clearTimeout(timer)
      removeEventListener('online', online)
      removeEventListener('pagehide', hide)
    },
  }
}

/** The courier {@link createCourier} makes. */
export type Courier = ReturnType<typeof createCourier>
