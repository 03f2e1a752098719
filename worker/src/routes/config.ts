import { Hono } from 'hono'
import { cors } from 'hono/cors'
import { etag } from 'hono/etag'
import { createMiddleware } from 'hono/factory'
import type { SiteConfig } from '../../../sdk/protocol.ts'
import { RequestError } from '../errors.ts'
import { language, nearestLocale } from '../languages.ts'
import { listSurveys, publicSurvey } from '../surveys.ts'
import { widgetChunk } from '../widget-chunk.ts'
import { loadSite, type SiteEnv } from './middleware.ts'

/**
 * `GET /v1/sites/:site/config?lang={tag}`: the public part of the site's surveys and settings
 * (no tokens, goals, weights or cleaning thresholds), with the card's texts in the nearest
 * language to `lang` (a BCP 47 tag; English when missing), so the widget ships no language,
 * and the surveys' texts in that language and English only. It names the card to load (its
 * hashed file and contract version). Cached a minute, then revalidated by ETag, so a repeat
 * load costs a 304 or nothing; each language is its own URL, body and ETag.
 */
export const configRoutes = new Hono<SiteEnv>()

/**
 * A refusal (unknown site, origin not listed) is readable by the page that asked: it holds no
 * site data, and it is the developer's only way to learn what to fix, where an unreadable
 * answer shows as a bare "Failed to fetch". Never cached, so fixing it takes effect at once.
 */
const readableRefusals = createMiddleware<SiteEnv>(async (c, next) => {
  await next()
  const origin = c.req.header('origin')
  if (c.res.status < 400 || !origin) return
  c.res = new Response(c.res.body, c.res)
  c.res.headers.set('access-control-allow-origin', origin)
  c.res.headers.set('vary', 'origin')
  c.res.headers.set('cache-control', 'no-store')
})

/** A page on an origin the site does not list: a 403 naming the site and the origin (no Origin: a server, or the same origin). */
const listedOrigin = createMiddleware<SiteEnv>(async (c, next) => {
  const origin = c.req.header('origin')
  const { id, origins } = c.var.site
  if (origin !== undefined && !origins.includes(origin)) {
    throw new RequestError(403, 'origin_not_allowed', `site ${id} does not allow the origin ${origin.slice(0, 200)}: add it to the site's origins`, 'origin')
  }
  await next()
})

configRoutes.get(
  '/:site/config',
  readableRefusals,
  loadSite,
  listedOrigin,
  cors({ origin: (origin, c) => ((c.var as SiteEnv['Variables']).site.origins.includes(origin) ? origin : null) }),
  etag(),
  async (c) => {
    const { id, settings } = c.var.site
    const locale = nearestLocale(c.req.query('lang'))
    const [widget, surveys] = await Promise.all([widgetChunk(c.env.ASSETS), listSurveys(c.env.DB, id)])
    const body: SiteConfig = {
      site: id,
      language: language(locale),
      widget,
      segments: settings.segments,
      capDays: settings.capDays,
      respectGpc: settings.respectGpc,
      ...(settings.subjectProps.length ? { subjectProps: settings.subjectProps } : {}),
      surveys: surveys.map((survey) => publicSurvey(survey, locale)),
    }
    c.header('cache-control', 'public, max-age=60, stale-while-revalidate=600')
    c.header('vary', 'origin')
    return c.json(body)
  },
)
