import { configUrl } from './config.ts'
import type { Hearken } from './hearken.ts'
import { OUTBOX_KEY } from './outbox.ts'
import type { WidgetModule } from './widget-contract.ts'
import { DB_NAME, STORE_NAME } from './store.ts'

/** The content-hashed file names of the SDK and widget chunks, set by the build (vite.config.ts). */
declare const __HEARKEN_SDK__: string
declare const __HEARKEN_WIDGET__: string

/**
 * The script-tag entry (`/hearken.js`), the only code every page pays for, served at a stable
 * URL with a short cache. The page's stub queues `hearken(verb, ...args)` calls; this file takes
 * them over and loads the SDK only when a call needs it or the outbox holds something from an
 * earlier page. Listeners (`on`) wait for it without loading it. It knows the chunks' hashed
 * names (cached for a year), so a page never runs one release's SDK with another's widget.
 *
 * A first `checkpoint` or `show` fetches the SDK, the site config and the widget all at once:
 * a cold card waits for this file and one more round trip, not four in a row. The widget is
 * fetched before the SDK has decided; a visitor who is not asked downloads it once, for a year.
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
  const chunk = (file: string): string => new URL(file, script.src).href
  const widgetUrl = chunk(__HEARKEN_WIDGET__)
  const endpoint = script.dataset.endpoint ?? new URL(script.src).origin
  const locale = script.dataset.locale
  const waiting: Command[] = []
  let sdk: Record<string, (...args: unknown[]) => unknown> | undefined
  let loading = false
  let prefetched = false
  const run = ([verb, ...args]: Command): void => {
    if (typeof sdk![verb] === 'function') sdk![verb](...args)
    else console.warn('[hearken] unknown command', verb)
  }
  const preload = (rel: string, href: string): void => {
    const link = document.createElement('link')
    link.rel = rel
    link.href = href
    // What the SDK's own fetch() and import() will ask for: CORS, no credentials to other origins.
    link.crossOrigin = 'anonymous'
    if (rel === 'preload') link.as = 'fetch'
    document.head.append(link)
  }
  const load = (): void => {
    if (loading) return
    loading = true
    import(/* @vite-ignore */ chunk(__HEARKEN_SDK__)).then(
      ({ createHearken }: { createHearken: (options: object) => Hearken }) => {
        sdk = createHearken({
          site,
          endpoint,
          locale,
          widget: () => import(/* @vite-ignore */ widgetUrl) as Promise<WidgetModule>,
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
    if (command[0] === 'on') return
    if ((command[0] === 'checkpoint' || command[0] === 'show') && !prefetched) {
      prefetched = true
      preload('preload', configUrl(endpoint, site, locale ?? navigator.language))
      preload('modulepreload', widgetUrl)
    }
    load()
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
