import { Hono } from 'hono'
import { cors } from 'hono/cors'
import { etag } from 'hono/etag'
import type { SiteConfig } from '../../../sdk/protocol.ts'
import { loadSite, type SiteEnv } from '../site-context.ts'
import { listSurveys } from '../sites.ts'

/** `GET /v1/sites/:site/config`: the public survey config, cached and revalidated by ETag. */
export const configRoutes = new Hono<SiteEnv>()

configRoutes.get(
  '/:site/config',
  loadSite,
  cors({ origin: (origin, c) => ((c.var as SiteEnv['Variables']).site.origins.includes(origin) ? origin : null) }),
  etag(),
  async (c) => {
    const site = c.var.site
    const body: SiteConfig = { site: site.id, segments: [], capDays: 0, respectGpc: false, surveys: await listSurveys(c.env.DB, site.id) }
    c.header('cache-control', 'public, max-age=60, stale-while-revalidate=600')
    c.header('vary', 'origin')
    return c.json(body)
  },
)
