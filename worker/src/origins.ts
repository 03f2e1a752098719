import { cors } from 'hono/cors'
import type { Context } from 'hono'
import type { AppEnv } from './env.ts'
import { RequestError } from './errors.ts'
import type { Site } from './sites.ts'
import { isKnownOrigin } from './sites.ts'

/**
 * CORS for the ingest routes. A preflight carries no body, so no site: it is granted
 * to origins some site lists, and the request itself is then checked against its own
 * site by {@link assertAllowedOrigin}. Never `*`.
 */
export const ingestCors = () =>
  cors({
    origin: async (origin, c: Context<AppEnv>) => (origin && (await isKnownOrigin(c.env.DB, origin)) ? origin : null),
    allowMethods: ['POST'],
    allowHeaders: ['content-type'],
    maxAge: 86400,
  })

/**
 * A browser sends `Origin` on every cross-origin and every POST request; it must be one of
 * the site's. A request without one and without `Sec-Fetch-Site` comes from a server or a
 * script, which could claim any origin anyway, so it is let through.
 */
export function assertAllowedOrigin(site: Site, origin: string | undefined, fetchSite: string | undefined): void {
  if (origin ? site.origins.includes(origin) : !fetchSite || fetchSite === 'same-origin' || fetchSite === 'none') return
  throw new RequestError(403, 'origin_not_allowed', `origin ${origin ?? '(none)'} is not allowed for site ${site.id}`, 'site')
}
