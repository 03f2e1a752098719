import { createMiddleware } from 'hono/factory'
import type { AppEnv } from './env.ts'
import { RequestError } from './errors.ts'
import { findSite, type Site } from './sites.ts'

/** Hono generic for routes under `/v1/sites/:site/…`, after {@link loadSite}. */
export type SiteEnv = AppEnv & { Variables: { site: Site } }

/** Looks up `:site` once per request; an unknown site is a 404. */
export const loadSite = createMiddleware<SiteEnv>(async (c, next) => {
  const id = c.req.param('site') ?? ''
  const site = await findSite(c.env.DB, id)
  if (!site) throw new RequestError(404, 'unknown_site', `no site ${id}`, 'site')
  c.set('site', site)
  await next()
})
