import { findSite, listSurveys, type Site } from './sites.ts'
import type { Survey } from './surveys.ts'

/**
 * The ingest path's view of a site and its surveys, kept per isolate for a few seconds so
 * a busy site's answers cost one D1 batch each instead of three round trips. A survey the
 * cache does not know is always looked up again before an answer is refused, and this
 * isolate's own writes drop the entry at once; other isolates see changes within the TTL.
 */
const TTL_MS = 15_000
const entries = new Map<string, { site: Site | null; surveys: Map<string, Survey>; expires: number }>()

export interface IngestContext {
  site: Site | null
  survey: (id: string) => Promise<Survey | undefined>
}

async function load(db: D1Database, siteId: string, now: number) {
  const site = await findSite(db, siteId)
  const surveys = new Map(site ? (await listSurveys(db, siteId)).map((survey) => [survey.id, survey]) : [])
  const entry = { site, surveys, expires: now + TTL_MS }
  // Unknown sites are not kept: a site created a moment later must work at once.
  if (site) entries.set(siteId, entry)
  return entry
}

export async function ingestContext(db: D1Database, siteId: string, now = Date.now()): Promise<IngestContext> {
  const cached = entries.get(siteId)
  let entry = cached && cached.expires > now ? cached : await load(db, siteId, now)
  let reloaded = entry !== cached
  return {
    site: entry.site,
    survey: async (id) => {
      if (!entry.surveys.has(id) && !reloaded) {
        entry = await load(db, siteId, now)
        reloaded = true
      }
      return entry.surveys.get(id)
    },
  }
}

/** Drops a site from this isolate's cache after an operator changed it. */
export function forgetSite(siteId: string): void {
  entries.delete(siteId)
}
