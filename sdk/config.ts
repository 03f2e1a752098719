import type { ErrorBody, SiteConfig } from './protocol.ts'
import type { Store } from './store.ts'
import { withTimeout } from './request.ts'
import { WIDGET_CONTRACT } from './widget-contract.ts'

/**
 * The URL of a site's config in a language: the loader preloads exactly this, so the SDK's own
 * fetch of it is answered by the preload instead of a second round trip.
 */
export function configUrl(endpoint: string, site: string, lang: string): string {
  return `${endpoint}/v1/sites/${encodeURIComponent(site)}/config?lang=${encodeURIComponent(lang)}`
}

/** A page that stays open this long checks for a newer config at its next checkpoint. */
export const CONFIG_MAX_AGE_MS = 10 * 60_000

/**
 * The site's survey config, stale-while-revalidate: a copy kept from the last visit answers at
 * once, so a returning visitor's checkpoint waits for no network, while a fresh copy is fetched
 * behind it for next time; a long-lived page (a single-page app) fetches again behind the copy
 * it has once that copy is {@link CONFIG_MAX_AGE_MS} old. The ETag round trip is left to the
 * browser's HTTP cache: an `If-None-Match` set by script is not CORS-safelisted and would cost a preflight.
 * The kept copy is filed under the widget contract version, so an SDK of another version never
 * starts from a copy naming a card it cannot load.
 */
export function configSource(url: string, store: Store, now: () => number = Date.now): () => Promise<SiteConfig> {
  const key = `config:${WIDGET_CONTRACT}:${url}`
  let current: Promise<SiteConfig> | undefined
  /** When the last fetch started; a failed one is not retried before the copy would be stale anyway. */
  let fetchedAt = 0
  const fetchFresh = (): Promise<SiteConfig> => {
    fetchedAt = now()
    const fresh = withTimeout(async (signal) => {
      const reply = await fetch(url, { signal })
      // The worker's refusal names what to fix (an origin the site does not list, an unknown site).
      if (!reply.ok) throw new Error(((await reply.json().catch(() => undefined)) as ErrorBody | undefined)?.error?.message ?? `config: HTTP ${reply.status}`)
      return (await reply.json()) as SiteConfig
    }).then(async (config) => {
      await store.update(key, () => config)
      return config
    })
    // Its failure matters only when nothing was kept, and then the caller sees it.
    fresh.then((config) => (current = Promise.resolve(config)), () => {})
    return fresh
  }
  const load = async (): Promise<SiteConfig> => {
    const fresh = fetchFresh()
    return (await store.get<SiteConfig>(key)) ?? fresh
  }
  return () => {
    if (current && now() - fetchedAt >= CONFIG_MAX_AGE_MS) fetchFresh()
    return (current ??= load().catch((error: unknown) => {
      current = undefined
      throw error
    }))
  }
}
