import { createStore, get, update, type UseStore } from 'idb-keyval'

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

/** A store over one IndexedDB object store. */
export function idbStore(db: UseStore = openIdb()): Store {
  return {
    get: (key) => get(key, db),
    async update<T>(key: string, change: (old: T | undefined) => T) {
      let next: T | undefined
      await update<T>(key, (old) => (next = change(old)), db)
      return next as T
    },
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

/**
 * IndexedDB while it works, memory after its first failure: Firefox private windows
 * (before 115) fail `indexedDB.open`, and sandboxed iframes throw a SecurityError on touching it.
 */
export function browserStore(): Store {
  const memory = memoryStore()
  let primary: Store | undefined = idbStore()
  const use = async <R>(op: (store: Store) => Promise<R>): Promise<R> => {
    if (primary) {
      try {
        return await op(primary)
      } catch {
        primary = undefined
      }
    }
    return op(memory)
  }
  return {
    get: <T>(key: string) => use((store) => store.get<T>(key)),
    update: <T>(key: string, change: (old: T | undefined) => T) => use((store) => store.update(key, change)),
  }
}
