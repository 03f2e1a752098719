import { sha256Hex } from './crypto.ts'
import { RequestError } from './errors.ts'
import { integer, partial, type Check, type Schema } from './validate.ts'

/**
 * Abuse control, not accounting. Two layers:
 * - At the edge, the FLOOD_LIMITER binding sheds a client address that sends requests faster
 *   than any page could, before they read D1 outside a counted batch (an unknown site); and an
 *   isolate refuses at once what would count against a key it saw full ({@link knownFull}).
 * - In D1, inside the request's own batch (so it costs no round trip), exact counters of items
 *   (answers or impressions, not requests: a batch of 50 counts 50) per site and client address
 *   and per site and visitor, over the current minute and the current hour. Items past a cap are
 *   not stored; they are answered 429 with Retry-After, and the SDK keeps and retries them.
 *   Refused items are given back to the counters (a second D1 call, only after a refusal), so
 *   the counters hold what was let in.
 * The visitor id is whatever the client says, so the address limit is what stops a client that
 * makes up a new visitor for every post; the visitor limit stops one visitor id looping.
 */

/** What a site may tune (`settings.limits`), in items. */
export interface IngestLimits {
  answersPerAddressPerMinute: number
  answersPerAddressPerHour: number
  answersPerVisitorPerMinute: number
  answersPerVisitorPerHour: number
  impressionsPerAddressPerMinute: number
  impressionsPerAddressPerHour: number
  impressionsPerVisitorPerMinute: number
  impressionsPerVisitorPerHour: number
}

/**
 * The defaults, and why they fit a busy office or a carrier's shared address: a visitor answers a
 * survey once per cooldown, in two posts (the score, then the comment), so even a few thousand
 * people behind one address send a handful of answers a minute to one site; a survey-link email
 * to a whole company is the peak, a few hundred answers in its first hour. Impressions outnumber
 * answers about five to one (response rates of 10–30 %, plus dismissals).
 */
export const DEFAULT_LIMITS: IngestLimits = {
  answersPerAddressPerMinute: 60,
  answersPerAddressPerHour: 600,
  answersPerVisitorPerMinute: 10,
  answersPerVisitorPerHour: 30,
  impressionsPerAddressPerMinute: 300,
  impressionsPerAddressPerHour: 3000,
  impressionsPerVisitorPerMinute: 30,
  impressionsPerVisitorPerHour: 120,
}

const capCheck = integer(1, 1_000_000)
/** `settings.limits` as an operator sends it: any of the caps, each 1 to 1,000,000. */
export const limitsSetting: Check<Partial<IngestLimits>> = partial(
  Object.fromEntries(Object.keys(DEFAULT_LIMITS).map((name) => [name, capCheck])) as Schema<IngestLimits>,
)

/**
 * Wrong operator tokens and dashboard sign-ins an address may make against one target (a site,
 * or the admin token when creating one) before it must wait, and against all targets together.
 * Per target, so a colleague's script with a stale token (or a guesser behind the same office
 * address) holds up that one site's operators for at most the minute, not every site's; the
 * address-wide cap keeps a guesser from spreading admin-token guesses over many sites.
 */
export const AUTH_FAILURE_CAP: Cap = { minute: 5, hour: 30 }
export const AUTH_ADDRESS_FAILURE_CAP: Cap = { minute: 20, hour: 100 }

const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000

/** Items per minute and per hour. */
export interface Cap {
  minute: number
  hour: number
}

/**
 * Where a request comes from, for limits. An IPv6 client usually holds a whole /64 and can pick
 * any address in it, so it counts as its /64.
 */
export function clientAddress(header: string | undefined): string {
  const address = (header ?? '').trim().toLowerCase()
  if (!address) return 'unknown'
  // IPv4, or IPv4 mapped into IPv6 (::ffff:192.0.2.1): the IPv4 address.
  if (address.includes('.')) return address.slice(address.lastIndexOf(':') + 1)
  const [head = '', tail = ''] = address.split('::')
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const zeros = address.includes('::') ? Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0') : []
  const groups = [...left, ...zeros, ...right].slice(0, 4).map((group) => group.replace(/^0+(?=.)/, ''))
  return `${groups.join(':')}::/64`
}

/** One key a request's items count against (a hash: no address or visitor id is stored), its site, and how many items it counts. */
interface KeyCount {
  key: string
  site: string
  n: number
  cap: Cap
}

/** The stored key for what a counter counts. */
const keyOf = async (counted: string): Promise<string> => (await sha256Hex(counted)).slice(0, 32)

/**
 * The counting of one request's items: `keys` go to {@link countStatement}; `perItem[i]` is the
 * JSON an item carries so that {@link admittedSql} can tell whether it still fits (its place among
 * the request's items of each key).
 */
export interface Admission {
  keys: KeyCount[]
  perItem: { key: string; n: number; i: number }[][]
}

/** No limits: for stores that do not come from the public routes (tests, tools). */
export const UNLIMITED = (count: number): Admission => ({ keys: [], perItem: Array.from({ length: count }, () => []) })

/**
 * What `items` of one request (answers or impressions of one site) count against: the client
 * address for all of them, and each item's visitor for its own.
 */
export async function ingestAdmission(
  kind: 'answers' | 'impressions',
  siteId: string,
  limits: Partial<IngestLimits>,
  address: string,
  visitors: readonly (string | undefined)[],
): Promise<Admission> {
  const caps = { ...DEFAULT_LIMITS, ...limits }
  const perAddress: Cap = { minute: caps[`${kind}PerAddressPerMinute`], hour: caps[`${kind}PerAddressPerHour`] }
  const perVisitor: Cap = { minute: caps[`${kind}PerVisitorPerMinute`], hour: caps[`${kind}PerVisitorPerHour`] }
  const addressKey = await keyOf(`${kind}|${siteId}|a:${address}`)
  const visitorKeys = new Map(await Promise.all([...new Set(visitors)].filter((visitor) => visitor !== undefined).map(async (visitor) => [visitor, await keyOf(`${kind}|${siteId}|v:${visitor}`)] as const)))
  const keys = new Map<string, KeyCount>([[addressKey, { key: addressKey, site: siteId, n: visitors.length, cap: perAddress }]])
  const perItem = visitors.map((visitor, index) => {
    const own = [{ key: addressKey, n: visitors.length, i: index }]
    if (visitor === undefined) return own
    const key = visitorKeys.get(visitor)!
    const counted = keys.get(key) ?? { key, site: siteId, n: 0, cap: perVisitor }
    keys.set(key, counted)
    own.push({ key, n: 0, i: counted.n++ })
    return own
  })
  // Each item's visitor entry needs the final count of its key.
  for (const own of perItem) for (const entry of own) entry.n = keys.get(entry.key)!.n
  return { keys: [...keys.values()], perItem }
}

/**
 * SQL true when the item `alias` (a row of `json_each` over the request's items, each carrying
 * its `limits` from {@link Admission.perItem}) fits every cap, once {@link countStatement} has
 * run in the same batch: the counts before this request plus its place among this request's
 * items of the key stay under the key's caps. Items are admitted in order, so a batch that
 * crosses a cap stores its first items and refuses the rest.
 */
export const admittedSql = (alias: string): string => `NOT EXISTS (SELECT 1 FROM json_each(${alias}.value, '$.limits') q JOIN rate_counts c ON c.key = q.value ->> 'key'
  WHERE c.minute_n - (q.value ->> 'n') + (q.value ->> 'i') >= c.minute_cap OR c.hour_n - (q.value ->> 'n') + (q.value ->> 'i') >= c.hour_cap)`

/** Counts a request's items against its keys (first in its batch); returns the keys' counts after it. */
export function countStatement(db: D1Database, admission: Admission, now: number): D1PreparedStatement | null {
  if (admission.keys.length === 0) return null
  const keys = admission.keys.map(({ key, site, n, cap }) => ({ key, site, n, minuteCap: cap.minute, hourCap: cap.hour }))
  return db
    .prepare(
      `INSERT INTO rate_counts (key, site_id, minute, minute_n, minute_cap, hour, hour_n, hour_cap)
       SELECT k.value ->> 'key', k.value ->> 'site', ?2, k.value ->> 'n', k.value ->> 'minuteCap', ?3, k.value ->> 'n', k.value ->> 'hourCap' FROM json_each(?1) k WHERE true
       ON CONFLICT (key) DO UPDATE SET
         minute_n = CASE WHEN minute = excluded.minute THEN minute_n + excluded.minute_n ELSE excluded.minute_n END,
         hour_n = CASE WHEN hour = excluded.hour THEN hour_n + excluded.hour_n ELSE excluded.hour_n END,
         minute = excluded.minute, hour = excluded.hour, minute_cap = excluded.minute_cap, hour_cap = excluded.hour_cap
       RETURNING key, minute_n, minute_cap, hour_n, hour_cap`,
    )
    .bind(JSON.stringify(keys), Math.floor(now / MINUTE_MS), Math.floor(now / HOUR_MS))
}

/** A key's counts as {@link countStatement} returns them. */
export type CountRow = { key: string; minute_n: number; minute_cap: number; hour_n: number; hour_cap: number }

/**
 * The items of each key that were refused, given which items were admitted: they are given back
 * ({@link refundStatement}), so the counters hold what was let in and a client that retries what
 * was refused is not held up by its own refusals.
 */
export function refusedPerKey(admission: Admission, admitted: readonly boolean[]): Map<string, number> {
  const refused = new Map<string, number>()
  for (const [index, entries] of admission.perItem.entries()) {
    if (admitted[index]) continue
    for (const { key } of entries) refused.set(key, (refused.get(key) ?? 0) + 1)
  }
  return refused
}

/** Gives refused items back to their keys, if their windows have not turned meanwhile. Runs only after a refusal. */
export function refundStatement(db: D1Database, refused: Map<string, number>, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE rate_counts SET minute_n = minute_n - k.value ->> 'n', hour_n = hour_n - k.value ->> 'n'
       FROM json_each(?1) k WHERE rate_counts.key = k.value ->> 'key' AND minute = ?2 AND hour = ?3`,
    )
    .bind(JSON.stringify([...refused].map(([key, n]) => ({ key, n }))), Math.floor(now / MINUTE_MS), Math.floor(now / HOUR_MS))
}

/** Seconds until the refused items may fit: the next hour if a key has its hour's fill, else the next minute (at least 1). */
export function retryAfterSeconds(rows: readonly CountRow[], refused: Map<string, number>, now: number): number {
  const hourFull = rows.some((row) => refused.has(row.key) && row.hour_n - refused.get(row.key)! >= row.hour_cap)
  const period = hourFull ? HOUR_MS : MINUTE_MS
  return Math.max(1, Math.ceil((period - (now % period)) / 1000))
}

/** The 429 for items past a cap. */
export function rateLimited(retryAfter: number, field?: string): RequestError {
  return new RequestError(429, 'rate_limited', `too many ${field ? 'items' : 'requests'} from this client; retry after ${retryAfter} s`, field, {
    'retry-after': String(retryAfter),
  })
}

/**
 * Sheds a flooding address at the edge, before a request that would read D1 outside its counted
 * batch (a site this isolate does not hold, such as a made-up one). One `limit()` call.
 */
export async function assertNotFlooding(limiter: RateLimit, address: string): Promise<void> {
  const { success } = await limiter.limit({ key: address })
  if (!success) throw rateLimited(60)
}

/**
 * Keys this isolate saw full, with when their window turns: a request that would count against
 * one is refused at once, so a client hammering past its cap costs D1 one batch per isolate and
 * window, not one per request. Counted requests pay no `limit()` call (each costs a binding round
 * trip; locally 2–4 ms, which is most of what a no-op request costs).
 */
const full = new Map<string, number>()
const FULL_KEYS_KEPT = 10_000

/** Seconds until `admission`'s address key opens again, when this isolate saw it full; else undefined. */
export function knownFull(admission: Admission, now: number): number | undefined {
  const [address] = admission.keys
  const until = address && full.get(address.key)
  if (!until || until <= now) return undefined
  return Math.max(1, Math.ceil((until - now) / 1000))
}

/** Remembers the keys a refusal left full (after the refund), until their window turns. */
export function rememberFull(rows: readonly CountRow[], refused: Map<string, number>, now: number): void {
  if (full.size > FULL_KEYS_KEPT) for (const [key, until] of full) if (until <= now) full.delete(key)
  for (const row of rows) {
    const given = refused.get(row.key) ?? 0
    if (row.hour_n - given >= row.hour_cap) full.set(row.key, (Math.floor(now / HOUR_MS) + 1) * HOUR_MS)
    else if (row.minute_n - given >= row.minute_cap) full.set(row.key, (Math.floor(now / MINUTE_MS) + 1) * MINUTE_MS)
  }
}

/**
 * Runs a token check for `address` against `target`, slowed down: once the address failed too
 * often lately, a 429 whatever the token (a guesser gains nothing by trying on). A wrong token is
 * counted in one upsert that returns the counts (D1 runs it alone), so parallel guesses cannot all
 * see "under the cap": the first five get 403, the rest 429 (and are given back, so the counters
 * hold the failures let through). A right token is never counted, so an operator's script may
 * send many requests at once; it only reads the counts. One D1 call per check, two past the cap.
 */
export async function slowTokenCheck(db: D1Database, address: string, target: string, check: () => Promise<boolean>, now = Date.now()): Promise<boolean> {
  const keys = [
    { key: await keyOf(`auth|${address}|${target}`), site: '', n: 1, cap: AUTH_FAILURE_CAP },
    { key: await keyOf(`auth|${address}`), site: '', n: 1, cap: AUTH_ADDRESS_FAILURE_CAP },
  ]
  const minute = Math.floor(now / MINUTE_MS)
  const hour = Math.floor(now / HOUR_MS)
  const tooMany = (hourFull: boolean): RequestError => {
    const period = hourFull ? HOUR_MS : MINUTE_MS
    const wait = Math.max(1, Math.ceil((period - (now % period)) / 1000))
    return new RequestError(429, 'too_many_failures', `too many wrong tokens from this address; retry after ${wait} s`, undefined, { 'retry-after': String(wait) })
  }
  if (await check()) {
    const { results } = await db
      .prepare('SELECT minute, minute_n, minute_cap, hour, hour_n, hour_cap FROM rate_counts WHERE key IN (?, ?)')
      .bind(keys[0]!.key, keys[1]!.key)
      .all<CountRow & { minute: number; hour: number }>()
    const hourFull = results.some((row) => row.hour === hour && row.hour_n >= row.hour_cap)
    if (hourFull || results.some((row) => row.minute === minute && row.minute_n >= row.minute_cap)) throw tooMany(hourFull)
    return true
  }
  const { results } = await countStatement(db, { keys, perItem: [] }, now)!.all<CountRow>()
  const over = results.filter((row) => row.minute_n > row.minute_cap || row.hour_n > row.hour_cap)
  if (over.length === 0) return false
  await refundStatement(db, new Map(keys.map(({ key }) => [key, 1])), now).run()
  throw tooMany(over.some((row) => row.hour_n > row.hour_cap))
}

/** Drops counters of hours gone by (the cron runs it). */
export function pruneCountsStatement(db: D1Database, now: number): D1PreparedStatement {
  return db.prepare('DELETE FROM rate_counts WHERE hour < ?').bind(Math.floor(now / HOUR_MS))
}
