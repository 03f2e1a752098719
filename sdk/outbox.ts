import type { ImpressionInput, ResponseInput } from './protocol.ts'
import type { Store } from './store.ts'

/** The store key holding the outbox; the loader peeks at it to know whether anything waits. */
export const OUTBOX_KEY = 'outbox'

/** The most items the outbox keeps; beyond it impressions go first, with an `error` event. */
export const OUTBOX_LIMIT = 200

/** What gets delivered, and where. */
export type Parcel = { kind: 'responses'; body: ResponseInput } | { kind: 'impressions'; body: ImpressionInput }

/** One response or impression waiting to be delivered. */
export interface OutboxItem {
  kind: 'responses' | 'impressions'
  /** Where it goes: `${endpoint}/v1/${kind}`. */
  url: string
  body: ResponseInput | ImpressionInput
  attempts: number
  /** Not before this time (ms since the epoch): the backoff after a failed try. */
  due: number
}

/** A parcel as the outbox keeps it: due at once, never tried. */
export const outboxItem = (endpoint: string, parcel: Parcel, now = Date.now()): OutboxItem => ({ ...parcel, url: `${endpoint}/v1/${parcel.kind}`, attempts: 0, due: now })

/** Reads what waits, oldest first. */
export async function pending(store: Store): Promise<OutboxItem[]> {
  return (await store.get<OutboxItem[]>(OUTBOX_KEY)) ?? []
}

/** The same version of an item: same id and same body (a fuller answer of the same id is another version). */
export const sameVersion = (a: OutboxItem, b: OutboxItem): boolean =>
  a.body.id === b.body.id && JSON.stringify(a.body) === JSON.stringify(b.body)

/**
 * Puts an item in the outbox. An item with the same id (the card's earlier, shorter answer)
 * is replaced. Beyond `limit` items the oldest impressions go first, and answers only when no
 * impression is left: a response rate can do without a few impressions, a score cannot be rebuilt.
 */
export async function put(store: Store, item: OutboxItem, limit: number): Promise<{ items: OutboxItem[]; dropped: OutboxItem[] }> {
  let dropped: OutboxItem[] = []
  const items = await store.update<OutboxItem[]>(OUTBOX_KEY, (old = []) => {
    const next = [...old.filter((queued) => queued.body.id !== item.body.id), item]
    const excess = next.length - limit
    const impressions = next.filter((queued) => queued.kind === 'impressions').slice(0, Math.max(0, excess))
    const answers = next.filter((queued) => queued.kind === 'responses').slice(0, Math.max(0, excess - impressions.length))
    dropped = [...impressions, ...answers]
    return next.filter((queued) => !dropped.includes(queued))
  })
  return { items, dropped }
}

/**
 * Records the end of one try: removes the item when it was delivered or refused, or sets its
 * next try. Only the exact version that was sent is touched: if the card replaced it with a
 * fuller answer meanwhile, that one still goes out.
 */
export function settle(store: Store, sent: OutboxItem, retry?: { due: number }): Promise<OutboxItem[]> {
  return store.update<OutboxItem[]>(OUTBOX_KEY, (old = []) =>
    retry
      ? old.map((item) => (sameVersion(item, sent) ? { ...item, attempts: item.attempts + 1, due: retry.due } : item))
      : old.filter((item) => !sameVersion(item, sent)),
  )
}

/** Removes these exact versions (what a beacon carried), leaving anything newer of the same id. */
export function removeSent(store: Store, sent: OutboxItem[]): Promise<OutboxItem[]> {
  return store.update<OutboxItem[]>(OUTBOX_KEY, (old = []) => old.filter((item) => !sent.some((gone) => sameVersion(item, gone))))
}
