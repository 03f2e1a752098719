import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { ErrorBody } from '../../../sdk/protocol.ts'
import type { AppEnv } from '../env.ts'
import { RequestError } from '../errors.ts'
import { openLink, type Link } from '../links.ts'
import { assertAllowedOrigin, ingestCors } from '../origins.ts'
import { assertWithinLimits } from '../rate-limit.ts'
import { ingestContext, type Site } from '../sites.ts'
import type { Survey } from '../surveys.ts'

const MAX_BODY = 16 * 1024
const MAX_BATCH = 50

/** What every ingested item carries. */
interface Item {
  id: string
  site: string
  survey: string
  visitor?: string
  link?: string
}

/** One item's outcome in a batch. */
type ItemResult = { id: string; status: string } | ({ id?: string; status: 'rejected' } & ErrorBody)

interface IngestOptions<T extends Item> {
  /** The key of the batch array, `responses` or `impressions`. */
  batchKey: string
  parse: (value: unknown, prefix: string) => T
  /** The id an item must have when it comes through a survey link (one answer per link). */
  linkedId: (link: Link) => Promise<string>
  /** Stores a checked item; throws a RequestError for what only the survey can tell. */
  store: (c: Context<AppEnv>, site: Site, survey: Survey, item: T, prefix: string, link?: Link) => Promise<{ id: string; status: string }>
}

/**
 * An ingest route: one item, or `{ [batchKey]: [...] }` of at most 50, as JSON sent as
 * `application/json` or `text/plain` (sendBeacon, preflight-free fetch). A single item's
 * rejection is the response's 4xx; a batch reports per item and stores only the good ones.
 */
export function ingestRoute<T extends Item>({ batchKey, parse, linkedId, store }: IngestOptions<T>): Hono<AppEnv> {
  const route = new Hono<AppEnv>()
  route.use('/', ingestCors())
  route.post(
    '/',
    bodyLimit({
      maxSize: MAX_BODY,
      onError: () => {
        throw new RequestError(413, 'body_too_large', `the body must be at most ${MAX_BODY} bytes`)
      },
    }),
    async (c) => {
      const body = await readJson(c)
      const batch = typeof body === 'object' && body !== null && !Array.isArray(body) && batchKey in body
      const raw = batch ? batchOf(batchKey, (body as Record<string, unknown>)[batchKey]) : [body]
      const prefix = (index: number) => (batch ? `${batchKey}[${index}]` : '')

      // Shape first: a lone item fails the request; a batch item fails alone.
      const parsed = raw.map((value, index): T | RequestError => {
        try {
          return parse(value, prefix(index))
        } catch (error) {
          if (!batch || !(error instanceof RequestError)) throw error
          return error
        }
      })
      const good = parsed.filter((item): item is T => !(item instanceof RequestError))
      const siteId = good[0]?.site
      if (good.some((item) => item.site !== siteId)) {
        throw new RequestError(400, 'invalid_field', 'every item in a batch must be for the same site', 'site')
      }
      const context = siteId ? await ingestContext(c.env.DB, siteId) : null
      const site = context?.site ?? null
      if (siteId && !site) throw new RequestError(404, 'unknown_site', `no site ${siteId}`, 'site')
      const links = new Map<T, Link>()
      for (const item of good) if (item.link) links.set(item, await verifiedLink(c.env, item, linkedId))
      if (site) {
        // A survey link's page is served by this worker, so its own origin may post for it.
        const viaLinks = good.length > 0 && links.size === good.length
        const origins = viaLinks ? [...site.origins, new URL(c.req.url).origin] : site.origins
        try {
          assertAllowedOrigin({ ...site, origins }, c.req.header('origin'), c.req.header('sec-fetch-site'))
        } catch (error) {
          // The preflight could only check that some site lists this origin; this one does not.
          c.res.headers.delete('access-control-allow-origin')
          throw error
        }
        await assertWithinLimits(c.env, site.id, good[0]?.visitor, c.req.header('cf-connecting-ip'))
      }

      const results: ItemResult[] = []
      for (const [index, item] of parsed.entries()) {
        try {
          if (item instanceof RequestError) throw item
          const survey = await context!.survey(item.survey)
          const field = batch ? `${prefix(index)}.survey` : 'survey'
          if (!survey) throw new RequestError(404, 'unknown_survey', `${field}: no survey ${item.survey} on this site`, field)
          results.push(await store(c, site!, survey, item, prefix(index), links.get(item)))
        } catch (error) {
          if (!batch || !(error instanceof RequestError)) throw error
          const id = item instanceof RequestError ? idOf(raw[index]) : item.id
          results.push({ ...(id ? { id } : {}), status: 'rejected', ...error.body })
        }
      }
      if (batch) return c.json({ results })
      const [result] = results as [{ id: string; status: string }]
      return c.json(result, result.status === 'stored' ? 201 : 200)
    },
  )
  return route
}

/** The link an item names, checked: genuine, unexpired, for this site and survey, and with the link's own id. */
async function verifiedLink<T extends Item>(env: Env, item: T, linkedId: (link: Link) => Promise<string>): Promise<Link> {
  const link = await openLink(env, item.link!)
  if (typeof link === 'string') throw new RequestError(403, 'invalid_link', `this survey link is ${link === 'expired' ? 'expired' : 'not valid'}`, 'link')
  if (link.site !== item.site || link.survey !== item.survey) throw new RequestError(403, 'invalid_link', 'this survey link is for another survey', 'link')
  const id = await linkedId(link)
  if (item.id !== id) throw new RequestError(400, 'invalid_field', `id must be ${id} for this link`, 'id')
  return link
}

/** The body as JSON, sent as `application/json` or as `text/plain` (what beacons and preflight-free posts send). */
export async function readJson(c: Context): Promise<unknown> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (type !== 'application/json' && type !== 'text/plain') {
    throw new RequestError(415, 'unsupported_media_type', 'send JSON as application/json or text/plain')
  }
  try {
    return JSON.parse(await c.req.text())
  } catch {
    throw new RequestError(400, 'invalid_json', 'the body is not valid JSON')
  }
}

function batchOf(key: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new RequestError(400, 'invalid_field', `${key} must be an array`, key)
  if (value.length === 0) throw new RequestError(400, 'invalid_field', `${key} must not be empty`, key)
  if (value.length > MAX_BATCH) throw new RequestError(400, 'invalid_field', `${key} may hold at most ${MAX_BATCH} items`, key)
  return value
}

function idOf(value: unknown): string | undefined {
  const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined
  return typeof id === 'string' && id.length <= 36 ? id : undefined
}
