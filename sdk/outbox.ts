import type { ImpressionInput, ResponseInput } from './protocol.ts'
import type { Store } from './store.ts'

/** The store key holding the outbox; the loader peeks at it to know whether anything waits. */
export const OUTBOX_KEY = 'outbox'

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

/** Reads what waits, oldest first. */
export async function pending(store: Store): Promise<OutboxItem[]> {
  return (await store.get<OutboxItem[]>(OUTBOX_KEY)) ?? []
}

/**
 * Puts an item in the outbox. An item with the same id (the card's earlier, shorter answer)
 * is replaced; beyond `limit` items the oldest are dropped and returned.
 */
export async function put(store: Store, item: OutboxItem, limit: number): Promise<{ items: OutboxItem[]; dropped: OutboxItem[] }> {
  let dropped: OutboxItem[] = []
  const items = await store.update<OutboxItem[]>(OUTBOX_KEY, (old = []) => {
    const next = [...old.filter((queued) => queued.body.id !== item.body.id), item]
    dropped = next.slice(0, Math.max(0, next.length - limit))
    return next.slice(dropped.length)
  })
  return { items, dropped }
}

/**
 * Records the end of one try: removes the item when it was delivered or refused, or sets its
 * next try. Only the exact version that was sent is touched: if the card replaced it with a
 * fuller answer meanwhile, that one still goes out.
 */
export function settle(store: Store, sent: OutboxItem, retry?: { due: number }): Promise<OutboxItem[]> {
  const same = (item: OutboxItem) => item.body.id === sent.body.id && JSON.stringify(item.body) === JSON.stringify(sent.body)
  return store.update<OutboxItem[]>(OUTBOX_KEY, (old = []) =>
    retry
      ? old.map((item) => (same(item) ? { ...item, attempts: item.attempts + 1, due: retry.due } : item))
      : old.filter((item) => !same(item)),
  )
}
