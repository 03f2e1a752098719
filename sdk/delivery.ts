import type { Courier } from './courier.ts'
import type { Emitter } from './events.ts'
import { OUTBOX_LIMIT, outboxItem, pending, put, type Parcel } from './outbox.ts'
import type { Store } from './store.ts'

/**
 * The SDK's side of delivery. A parcel is written to the outbox here, with nothing more to load,
 * before anything else happens to it; the courier that sends it is a chunk of its own, loaded the
 * first time something waits. A page whose visitor is never asked never downloads it, and a card
 * never waits for it: what the courier has not sent yet, the outbox keeps for it.
 */
export function createDelivery(options: {
  endpoint: string
  store: Store
  events: Emitter
  limit?: number
  /** Loads the courier chunk; tests may pass the module itself. */
  load?: () => Promise<typeof import('./courier.ts')>
}) {
  const { endpoint, store, events, limit = OUTBOX_LIMIT, load = () => import('./courier.ts') } = options
  let loading: Promise<Courier> | undefined
  let ready: Courier | undefined
  let stopped = false

  const report = (error: unknown, id?: string): void => void events.emit('error', { message: String(error), ...(id && { id }) })
  /** The courier, loaded once; a failed load (offline, a deploy's old chunk) is tried again next time, and the outbox keeps everything meanwhile. */
  const courier = (): Promise<Courier> =>
    (loading ??= load().then(
      ({ createCourier }) => {
        ready = createCourier({ store, events })
        if (stopped) ready.stop()
        return ready
      },
      (error: unknown) => {
        loading = undefined
        throw error
      },
    ))

  const flush = async (force = true): Promise<void> => {
    if (!stopped) await (await courier()).flush(force)
  }

  return {
    /** Stores a parcel (replacing one with the same id), then has it sent; resolves once it is stored. */
    async send(parcel: Parcel): Promise<void> {
      const item = outboxItem(endpoint, parcel)
      ready?.mirror(item)
      const { dropped } = await put(store, item, limit)
      for (const old of dropped) report(`outbox full, dropped ${old.body.id}`, old.body.id)
      flush(false).catch(report)
    },
    flush,
    /** Sends what an earlier page left, if anything: only then is the courier loaded. */
    async resume(): Promise<void> {
      if ((await pending(store)).length) await flush()
    },
    /** Stops the courier; what waits stays in the outbox for the next page. */
    stop(): void {
      stopped = true
      ready?.stop()
    },
  }
}

/** The delivery {@link createDelivery} makes. */
export type Delivery = ReturnType<typeof createDelivery>
