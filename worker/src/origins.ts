import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from './env.ts'
import { RequestError } from './errors.ts'
import { isKnownOrigin } from './sites.ts'

/**
 * CORS for the ingest routes, never `*`. A preflight carries no body, so no site: it is granted
 * to an origin some site lists (looked up once per isolate and kept a while). A POST is granted
 * by the route itself once it knows the site ({@link allowOrigin}), from the site's own list in
 * the isolate's site cache: no D1 round trip. An error the route answers before it knows the
 * site (a malformed body) is still readable by a page some site lists, so the SDK sees a 4xx and
 * stops retrying instead of a CORS failure it would take for a network error.
 */
const KNOWN_TTL_MS = 15_000
const known = new Map<string, number>()

async function knownOrigin(db: D1Database, origin: string, now = Date.now()): Promise<boolean> {
  if ((known.get(origin) ?? 0) > now) return true
  // Only a yes is kept: a site that adds an origin must be able to use it at once.
  if (!(await isKnownOrigin(db, origin))) return false
  known.set(origin, now + KNOWN_TTL_MS)
  return true
}

/** Requests refused for their origin: their answers must stay unreadable to that page. */
const refused = new WeakSet<Request>()

export const ingestCors = (): MiddlewareHandler<AppEnv> => async function ingestCors(c, next) {
  const origin = c.req.header('origin')
  if (c.req.method === 'OPTIONS') {
    const headers: Record<string, string> = { vary: 'origin' }
    if (origin && (await knownOrigin(c.env.DB, origin))) {
      Object.assign(headers, {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'content-type',
        'access-control-max-age': '86400',
      })
    }
    return c.body(null, 204, headers)
  }
  await next()
  c.res.headers.append('vary', 'origin')
  if (!origin || c.res.headers.has('access-control-allow-origin') || refused.has(c.req.raw)) return
  if (await knownOrigin(c.env.DB, origin)) c.res.headers.set('access-control-allow-origin', origin)
}

/** Grants the response to the page that sent the request. */
export function allowOrigin(c: Context<AppEnv>, origin: string): void {
  c.header('access-control-allow-origin', origin)
}

/**
 * A browser sends `Origin` on every POST; it must be one of `origins`. A request without one
 * comes from a script, which could claim any origin, and is refused too: the bare script must
 * at least say where it pretends to be, and its answers still meet the rate limits.
 */
export function assertAllowedOrigin(c: Context<AppEnv>, siteId: string, origins: readonly string[]): void {
  const origin = c.req.header('origin')
  if (origin && origins.includes(origin)) return allowOrigin(c, origin)
  // The page may not read this refusal: its origin is not the site's.
  refused.add(c.req.raw)
  if (!origin) throw new RequestError(403, 'origin_required', `posts for site ${siteId} must come from one of its pages (no Origin header)`, 'site')
  throw new RequestError(403, 'origin_not_allowed', `origin ${origin} is not allowed for site ${siteId}`, 'site')
}
