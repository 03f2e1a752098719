import { createStore, promisifyRequest, type UseStore } from 'idb-keyval'

/** Where the SDK keeps its state and outbox. Tests pass {@link memoryStore}; pages get IndexedDB with a memory fallback. */
export interface Store {
  /** Reads one value; undefined when there is none. */
  get<T>(key: string): Promise<T | undefined>
  /** Changes one value in a single step (one IndexedDB transaction, so two tabs cannot interleave); resolves to the new value. */
  update<T>(key: string, change: (old: T | undefined) => T): Promise<T>
}

/** Our own database, never idb-keyval's default one, which the host page may use too. */
export const DB_NAME = 'hearken'
/** The one object store in it. */
export const STORE_NAME = 'kv'
const openIdb = (): UseStore => createStore(DB_NAME, STORE_NAME)

/**
 * A store over one IndexedDB object store. Not idb-keyval's `get` and `update`: they bring its
 * default database along (in every page's SDK chunk), which Hearken never opens.
 */
export function idbStore(db: UseStore = openIdb()): Store {
  return {
    get: (key) => db('readonly', (store) => promisifyRequest(store.get(key))),
    update: <T>(key: string, change: (old: T | undefined) => T) =>
      db('readwrite', (store) => {
        // Read and write in one transaction, by callbacks: a transaction left for a promise to resume may commit first.
        const read = store.get(key)
        let next: T
        let failure: unknown
        // A change that throws, or a value IndexedDB cannot keep (DataCloneError), fails the update
        // and writes nothing, rather than reaching the host page as an uncaught error.
        read.onsuccess = () => {
          try {
            store.put((next = change(read.result as T | undefined)), key)
          } catch (error) {
            failure = error
          }
        }
        return promisifyRequest(store.transaction).then(() => {
          if (failure) throw failure
          return next
        })
      }),
  }
}

/** A store in memory: the fallback where IndexedDB is refused, and the store tests use. */
export function memoryStore(): Store {
  const values = new Map<string, unknown>()
  return {
    get: async <T>(key: string) => values.get(key) as T | undefined,
    async update<T>(key: string, change: (old: T | undefined) => T) {
      const next = change(values.get(key) as T | undefined)
      values.set(key, next)
      return next
    },
  }
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<unknown> => new Promise((done) => setTimeout(done, ms))

/** Waits before each retry of a failed IndexedDB operation, in ms: three tries in all. */
const RETRY_WAITS = [50, 250]

/**
 * IndexedDB, with memory as the last resort. A failed operation is retried on a new connection
 * first: Safari drops the connections of a page left in the background ("Connection to Indexed
 * Database server lost"), and a new one works. Only when every try fails does this tab move to
 * memory for good, as it must where IndexedDB is refused outright (Firefox private windows before
 * 115 fail `indexedDB.open`; sandboxed iframes throw a SecurityError on touching it). `connect`
 * and `wait` are injectable for tests.
 */
export function browserStore(
  connect: () => Store = () => idbStore(),
  wait: (ms: number) => Promise<unknown> = sleep,
): Store {
  const memory = memoryStore()
  const open = (): Store | undefined => {
    try {
      return connect()
    } catch {
      return undefined
    }
  }
  let primary = open()
  const use = async <R>(op: (store: Store) => Promise<R>): Promise<R> => {
    for (let attempt = 0; primary; attempt++) {
      try {
        return await op(primary)
      } catch {
        if (attempt === RETRY_WAITS.length) break
        await wait(RETRY_WAITS[attempt]!)
        primary = open()
      }
    }
    primary = undefined
    return op(memory)
  }
  return {
    get: <T>(key: string) => use((store) => store.get<T>(key)),
    update: <T>(key: string, change: (old: T | undefined) => T) => use((store) => store.update(key, change)),
  }
}
