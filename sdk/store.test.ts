import { describe, expect, it } from 'vitest'
import { browserStore, memoryStore, type Store } from './store.ts'

/** Connections to a database that fails the first `failures` operations it is asked for, like Safari's after a page was in the background. */
function flakyDatabase(failures: number) {
  const data = memoryStore()
  let left = failures
  let connections = 0
  const waits: number[] = []
  const fail = () => Promise.reject(new DOMException('Connection to Indexed Database server lost. Refresh the page to try again', 'UnknownError'))
  const connect = (): Store => {
    connections++
    return {
      get: (key) => (left-- > 0 ? fail() : data.get(key)),
      update: (key, change) => (left-- > 0 ? fail() : data.update(key, change)),
    }
  }
  const wait = async (ms: number) => void waits.push(ms)
  return { data, connections: () => connections, waits, store: browserStore(connect, wait) }
}

describe('the browser store', () => {
  it('retries a failed operation on a new connection, and the value lands in IndexedDB', async () => {
    const { data, connections, waits, store } = flakyDatabase(2)
    await store.update('outbox', () => ['answer'])
    expect(await data.get('outbox')).toEqual(['answer'])
    expect(connections()).toBe(3)
    expect(waits).toEqual([50, 250])
    // The next operation uses IndexedDB again, not memory.
    await store.update('outbox', (old: string[] = []) => [...old, 'second'])
    expect(await data.get('outbox')).toEqual(['answer', 'second'])
  })

  it('moves to memory only after every try failed, and stays there', async () => {
    const { data, store } = flakyDatabase(3)
    await store.update('outbox', () => ['kept in memory'])
    expect(await store.get('outbox')).toEqual(['kept in memory'])
    expect(await data.get('outbox')).toBeUndefined()
  })

  it('uses memory at once where IndexedDB cannot even be opened (a sandboxed iframe)', async () => {
    const store = browserStore(() => {
      throw new DOMException('The operation is insecure.', 'SecurityError')
    })
    await store.update('visitor', () => 'v-1')
    expect(await store.get('visitor')).toBe('v-1')
  })
})
