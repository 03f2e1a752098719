import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { ErrorBody } from '../../../sdk/protocol.ts'
import type { AppEnv } from '../env.ts'
import { RequestError } from '../errors.ts'
import { openLink, type Link } from '../links.ts'
import { assertAllowedOrigin, ingestCors } from '../origins.ts'
import { assertNotFlooding, clientAddress, ingestAdmission, knownFull, rateLimited, type Admission } from '../rate-limit.ts'
import { ingestContext, isSiteCached, type Site } from '../sites.ts'
import type { Survey } from '../surveys.ts'

const MAX_BODY = 16 * 1024
const MAX_BATCH = 50

/** What every ingested item carries. */
interface Item {
  id: string
  site: string
  survey: string
  link?: string
}

/** One item's outcome in a batch. */
type ItemResult = { id: string; status: string } | ({ id?: string; status: 'rejected' } & ErrorBody)

/** An item that passed every check before storing: its survey, its link, where it sits in the body. */
export interface Checked<T> {
  item: T
  survey: Survey
  link: Link | undefined
  prefix: string
}

interface IngestOptions<T extends Item, P> {
  /** The key of the batch array, `responses` or `impressions`; also what the rate limits count. */
  batchKey: 'responses' | 'impressions'
  parse: (value: unknown, prefix: string) => T
  /** The id an item must have when it comes through a survey link (one answer per link). */
  linkedId: (link: Link) => Promise<string>
  /** Checks what only the site and survey can tell and applies the item's link; throws a RequestError for this item alone. */
  prepare: (c: Context<AppEnv>, site: Site, checked: Checked<T>) => P
  /** The visitor an item counts against, once prepared. */
  visitorOf: (prepared: P) => string | undefined
  /** Stores the prepared items in one D1 batch: a result or a RequestError for each, in order. */
  store: (c: Context<AppEnv>, site: Site, prepared: P[], admission: Admission) => Promise<({ id: string; status: string } | RequestError)[]>
}

/**
 * An ingest route: one item, or `{ [batchKey]: [...] }` of at most 50, as JSON sent as
 * `application/json` or `text/plain` (sendBeacon, preflight-free fetch). A single item's
 * rejection is the response's 4xx; a batch reports per item and stores only the good ones.
 * Past a rate limit a lone item, or a batch none of whose items fit, is a 429 with Retry-After;
 * a batch that crosses a limit stores its first items and reports the rest `rate_limited`.
 * The whole request costs one D1 batch when the site is in the isolate's cache.
 */
export function ingestRoute<T extends Item, P>({ batchKey, parse, linkedId, prepare, visitorOf, store }: IngestOptions<T, P>): Hono<AppEnv> {
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
      const seen = new Set<string>()
      const parsed = raw.map((value, index): T | RequestError => {
        try {
          const item = parse(value, prefix(index))
          if (seen.has(item.id)) throw new RequestError(400, 'invalid_field', `${prefix(index)}.id appears earlier in this batch`, `${prefix(index)}.id`)
          seen.add(item.id)
          return item
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
      const address = clientAddress(c.req.header('cf-connecting-ip'))
      // A site this isolate does not hold costs a D1 read outside the counted batch: the edge sheds floods of those first.
      if (siteId && !isSiteCached(siteId)) await assertNotFlooding(c.env.FLOOD_LIMITER, address)
      const context = siteId ? await ingestContext(c.env.DB, siteId) : null
      const site = context?.site ?? null
      if (siteId && !site) throw new RequestError(404, 'unknown_site', `no site ${siteId}`, 'site')
      if (site) {
        const links = new Map<T, Link>()
        for (const item of good) if (item.link) links.set(item, await verifiedLink(c.env, item, linkedId))
        // A survey link's page is served by this worker, so its own origin may post for it.
        const viaLinks = links.size === good.length
        assertAllowedOrigin(c, site.id, viaLinks ? [...site.origins, new URL(c.req.url).origin] : site.origins)

        const outcomes = new Map<number, P | RequestError>()
        for (const [index, item] of parsed.entries()) {
          if (item instanceof RequestError) continue
          try {
            const survey = await context!.survey(item.survey)
            const field = batch ? `${prefix(index)}.survey` : 'survey'
            if (!survey) throw new RequestError(404, 'unknown_survey', `${field}: no survey ${item.survey} on this site`, field)
            outcomes.set(index, prepare(c, site, { item, survey, link: links.get(item), prefix: prefix(index) }))
          } catch (error) {
            if (!batch || !(error instanceof RequestError)) throw error
            outcomes.set(index, error)
          }
        }
        const ready = [...outcomes].filter((entry): entry is [number, P] => !(entry[1] instanceof RequestError))
        const prepared = ready.map(([, value]) => value)
        const admission = await ingestAdmission(batchKey === 'responses' ? 'answers' : 'impressions', site.id, site.settings.limits, address, prepared.map(visitorOf))
        const wait = prepared.length ? knownFull(admission, Date.now()) : undefined
        if (wait !== undefined) throw rateLimited(wait)
        const stored = await store(c, site, prepared, admission)
        for (const [position, [index]] of ready.entries()) outcomes.set(index, stored[position] as P | RequestError)
        for (const [index, error] of parsed.entries()) if (error instanceof RequestError) outcomes.set(index, error)
        return respond(c, batch, raw, parsed, outcomes as Map<number, { id: string; status: string } | RequestError>)
      }
      // Only malformed items: the batch reports each of them.
      return respond(c, batch, raw, parsed, new Map(parsed.map((item, index) => [index, item as RequestError])))
    },
  )
  return route
}

function respond<T extends Item>(
  c: Context<AppEnv>,
  batch: boolean,
  raw: unknown[],
  parsed: (T | RequestError)[],
  outcomes: Map<number, { id: string; status: string } | RequestError>,
): Response {
  const all = parsed.map((_, index) => outcomes.get(index)!)
  if (!batch) {
    const [result] = all
    if (result instanceof RequestError) throw result
    return c.json(result!, result!.status === 'stored' ? 201 : 200)
  }
  const limited = all.filter((result): result is RequestError => result instanceof RequestError && result.status === 429)
  // Nothing fitted: the client waits as a whole, like for a lone item.
  if (limited.length > 0 && limited.length === all.length) throw new RequestError(429, 'rate_limited', limited[0]!.message, undefined, limited[0]!.headers)
  if (limited[0]) c.header('retry-after', limited[0].headers['retry-after'])
  const results: ItemResult[] = all.map((result, index) => {
    if (!(result instanceof RequestError)) return result
    const item = parsed[index]
    const id = item instanceof RequestError ? idOf(raw[index]) : item!.id
    return { ...(id ? { id } : {}), status: 'rejected', ...result.body }
  })
  return c.json({ results })
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
