import type { Hearken } from './hearken.ts'
import { OUTBOX_KEY } from './outbox.ts'
import { DB_NAME, STORE_NAME } from './store.ts'

/**
 * The script-tag entry (`/hearken.js`), the only code every page pays for. The page's stub
 * queues `hearken(verb, ...args)` calls; this file takes them over and loads the SDK
 * (`/hearken-sdk.js`, beside this file) only when a call needs it or the outbox holds
 * something from an earlier page. Listeners (`on`) wait for it without loading it.
 */
type Command = [verb: string, ...args: unknown[]]
type Stub = ((...command: Command) => void) & { q?: ArrayLike<unknown>[] }

declare global {
  interface Window {
    hearken?: Stub
  }
}

const script = document.currentScript as HTMLScriptElement | null
const site = script?.dataset.site

if (script && site) {
  const waiting: Command[] = []
  let sdk: Record<string, (...args: unknown[]) => unknown> | undefined
  let loading = false
  const run = ([verb, ...args]: Command): void => {
    if (typeof sdk![verb] === 'function') sdk![verb](...args)
    else console.warn('[hearken] unknown command', verb)
  }
  const load = (): void => {
    if (loading) return
    loading = true
    import(/* @vite-ignore */ new URL('hearken-sdk.js', script.src).href).then(
      ({ createHearken }: { createHearken: (options: object) => Hearken }) => {
        sdk = createHearken({
          site,
          endpoint: script.dataset.endpoint ?? new URL(script.src).origin,
          locale: script.dataset.locale,
        }) as unknown as typeof sdk
        waiting.splice(0).forEach(run)
      },
      (error: unknown) => console.warn('[hearken] could not load the SDK', error),
    )
  }
  const queued = Array.from(window.hearken?.q ?? [], (args) => Array.from(args) as Command)
  window.hearken = (...command) => {
    if (sdk) return run(command)
    waiting.push(command)
    if (command[0] !== 'on') load()
  }
  queued.forEach((command) => window.hearken!(...command))
  // Answers left by an earlier page go out now, not at the next checkpoint. Plain IndexedDB,
  // not idb-keyval, to keep this file small; a refusal (private mode, sandbox) leaves nothing to send.
  try {
    const open = indexedDB.open(DB_NAME)
    open.onupgradeneeded = () => open.result.createObjectStore(STORE_NAME)
    open.onsuccess = () => {
      const read = open.result.transaction(STORE_NAME).objectStore(STORE_NAME).get(OUTBOX_KEY)
      read.onsuccess = () => (read.result?.length ? load() : undefined)
      open.result.close()
    }
  } catch {}
} else {
  console.warn('[hearken] the script tag needs data-site="pk_…"')
}
