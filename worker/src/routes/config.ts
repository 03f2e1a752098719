import { Hono } from 'hono'
import { cors } from 'hono/cors'
import { etag } from 'hono/etag'
import type { SiteConfig } from '../../../sdk/protocol.ts'
import { listSurveys, publicSurvey } from '../surveys.ts'
import { loadSite, type SiteEnv } from './middleware.ts'

/**
 * `GET /v1/sites/:site/config`: the public part of the site's surveys and settings (no
 * tokens, goals, weights or cleaning thresholds). Cached a minute, then revalidated by
 * ETag, so a repeat load costs a 304 or nothing.
 */
export const configRoutes = new Hono<SiteEnv>()

configRoutes.get(
  '/:site/config',
  loadSite,
  cors({ origin: (origin, c) => ((c.var as SiteEnv['Variables']).site.origins.includes(origin) ? origin : null) }),
  etag(),
  async (c) => {
    const { id, settings } = c.var.site
    const body: SiteConfig = {
      site: id,
      segments: settings.segments,
      capDays: settings.capDays,
      respectGpc: settings.respectGpc,
      ...(settings.subjectProps.length ? { subjectProps: settings.subjectProps } : {}),
      surveys: (await listSurveys(c.env.DB, id)).map(publicSurvey),
    }
    c.header('cache-control', 'public, max-age=60, stale-while-revalidate=600')
    c.header('vary', 'origin')
    return c.json(body)
  },
)
