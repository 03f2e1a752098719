import 'fake-indexeddb/auto'
import { createStore } from 'idb-keyval'
import { expect, it } from 'vitest'
import { idbStore } from './store.ts'

it('reads what it wrote, and nothing for a key never written', async () => {
  const store = idbStore(createStore('idb-store-read', 'kv'))
  expect(await store.get('visitor')).toBeUndefined()
  expect(await store.update('visitor', () => ({ optedOut: true }))).toEqual({ optedOut: true })
  expect(await store.get('visitor')).toEqual({ optedOut: true })
})

it('changes a value in one step: two tabs adding to one list at once lose nothing', async () => {
  // Two connections to one database, as two tabs have.
  const tabs = [idbStore(createStore('idb-store-tabs', 'kv')), idbStore(createStore('idb-store-tabs', 'kv'))]
  const adds = Array.from({ length: 40 }, (_, n) => tabs[n % 2]!.update('outbox', (old: number[] = []) => [...old, n]))
  await Promise.all(adds)
  expect(((await tabs[0]!.get<number[]>('outbox')) ?? []).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, n) => n))
})

it('fails the change, and keeps the old value, when the change throws', async () => {
  const store = idbStore(createStore('idb-store-throw', 'kv'))
  await store.update('outbox', () => ['answer'])
  await expect(store.update('outbox', () => { throw new Error('broken change') })).rejects.toBeDefined()
  expect(await store.get('outbox')).toEqual(['answer'])
})
