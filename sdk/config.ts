import type { ErrorBody, SiteConfig } from './protocol.ts'
import type { Store } from './store.ts'

/**
 * The site's survey config, stale-while-revalidate: a copy kept from the last visit answers at
 * once, so a returning visitor's checkpoint waits for no network, while a fresh copy is fetched
 * behind it for next time. The ETag round trip is left to the browser's HTTP cache: an
 * `If-None-Match` set by script is not CORS-safelisted and would cost a preflight.
 */
export function configSource(endpoint: string, site: string, store: Store): () => Promise<SiteConfig> {
  const key = `config:${site}`
  let current: Promise<SiteConfig> | undefined
  const fetchFresh = async (): Promise<SiteConfig> => {
    const reply = await fetch(`${endpoint}/v1/sites/${encodeURIComponent(site)}/config`)
    // The worker's refusal names what to fix (an origin the site does not list, an unknown site).
    if (!reply.ok) throw new Error(((await reply.json().catch(() => undefined)) as ErrorBody | undefined)?.error?.message ?? `config: HTTP ${reply.status}`)
    const config = (await reply.json()) as SiteConfig
    await store.update(key, () => config)
    return config
  }
  const load = async (): Promise<SiteConfig> => {
    const fresh = fetchFresh()
    fresh.catch(() => {}) // its failure matters only when nothing was kept, and then the caller sees it
    const kept = await store.get<SiteConfig>(key)
    if (!kept) return fresh
    void fresh.then((config) => (current = Promise.resolve(config)))
    return kept
  }
  return () =>
    (current ??= load().catch((error: unknown) => {
      current = undefined
      throw error
    }))
}
