import type { SegmentRule } from '../../sdk/protocol.ts'
import { sha256Hex, toBase64url } from './crypto.ts'
import { limitsSetting, type IngestLimits } from './rate-limit.ts'
import { defaultDigestSettings, digestSettings, mergeDigestSettings, type DigestSettings, type DigestSettingsInput } from './digests-settings.ts'
import { segmentRule, listSurveys, type Survey } from './surveys.ts'
import { retagStatement, type RetagMessage } from './retagging.ts'
import { isKind, siteAdditions, tagRuleLimits, whenNegatedValues, wordKeys, type TagRule } from './tags.ts'
import { array, boolean, idPattern, integer, oneOf, optional, parseObject, partial, reject, text, type Check, type Schema } from './validate.ts'
import type { Webhook } from './webhooks.ts'

/**
 * Sites: what an operator sets up (name, origins, timezone, settings, the hash of the operator
 * token), how it is checked, stored in D1 and read back, and the isolate cache the ingest path
 * reads it through. Every write here drops the cache entry, so no caller can forget to.
 */

/** A site as the worker needs it to ingest and to authorize. */
export interface Site {
  id: string
  name: string
  tokenHash: string
  timezone: string
  origins: string[]
  settings: SiteSettings
  /** The key this site's masked user ids are tagged with (pii.ts, maskUserId); never shown. */
  pseudonymKey: string
}

/** Site-wide settings, served (but for maskPii, retentionDays, tagRules, webhooks and limits) in the public config. */
export interface SiteSettings {
  segments: SegmentRule[]
  capDays: number
  respectGpc: boolean
  /** Mask emails, phone numbers and id numbers in comments, follow-up notes and user ids before storing (default on). */
  maskPii: boolean
  /** Days after which the cron erases answers' comments and follow-up notes, rollups kept; 0 keeps them (default). */
  retentionDays: number
  /** Words a site adds to the built-in ones that tag comments (docs/tags.md); none by default. */
  tagRules: TagRule[]
  /** Where alerts go (managed under `…/webhooks`; secrets never leave the worker). */
  webhooks: Webhook[]
  /** Digests every webhook gets unless it names its own, their language and hour (digests.ts). */
  digests: DigestSettings
  /** Checkpoint props naming what an answer is about (order, ticket), tried in order; served in the config. */
  subjectProps: string[]
  /** Caps on answers and impressions per client address and per visitor (see rate-limit.ts for the defaults). */
  limits: Partial<IngestLimits>
}

export const defaultSettings: SiteSettings = {
  segments: [],
  capDays: 0,
  respectGpc: false,
  maskPii: true,
  retentionDays: 0,
  tagRules: [],
  webhooks: [],
  digests: defaultDigestSettings,
  subjectProps: [],
  limits: {},
}

const limits = tagRuleLimits

/** A rule's word: something the classifier can match, and short enough to keep matching cheap. */
const tagKeyword: Check<string> = (value, field) => {
  const word = text(limits.keywordLength)(value, field)
  const keys = wordKeys(word)
  if (!keys || keys.length === 0) return reject(field, 'must be a word or a short phrase, without punctuation or a contrast word (but, 但是, 不過)')
  if (keys.length > limits.keywordUnits) return reject(field, `may hold at most ${limits.keywordUnits} words or Chinese characters`)
  return word
}

const tagRule: Check<TagRule> = (value, field) => {
  const rule = parseObject(
    {
      tag: text(limits.tagLength, idPattern),
      keywords: array(limits.keywordsPerRule, tagKeyword),
      whenNegated: optional(oneOf(...whenNegatedValues)),
    } satisfies Schema<TagRule>,
    value,
    field,
  )
  if (rule.keywords.length === 0) reject(`${field}.keywords`, 'must hold at least one word')
  if (rule.whenNegated === 'flip' && !isKind(rule.tag)) reject(`${field}.whenNegated`, 'flip is for kinds (problem, suggestion, praise); a topic can count, skip or only')
  return rule
}

/** A site's rules, with a limit on their words in all: it bounds the settings row and the compile time. */
export const tagRules: Check<TagRule[]> = (value, field) => {
  const rules = array(limits.rules, tagRule)(value, field)
  const keywords = rules.reduce((total, rule) => total + rule.keywords.length, 0)
  if (keywords > limits.keywords) reject(field, `may hold at most ${limits.keywords} keywords in all (these hold ${keywords})`)
  return rules
}

/** What an operator may set through `PUT /v1/sites/:site`; webhooks have routes of their own. */
const settingsSchema = {
  segments: array(20, segmentRule),
  capDays: integer(0, 3650),
  respectGpc: boolean,
  maskPii: boolean,
  retentionDays: integer(0, 3650),
  tagRules,
  digests: digestSettings,
  subjectProps: array(5, text(64, idPattern)),
  limits: limitsSetting,
} satisfies Schema<Omit<SiteSettings, 'webhooks' | 'digests'> & { digests: DigestSettingsInput }>

/** Settings as stored, with defaults for what an older row (or a seed) lacks. */
const readSettings = (json: string): SiteSettings => ({ ...defaultSettings, ...(JSON.parse(json) as Partial<SiteSettings>) })

/** What an operator sends to create or change a site. */
export interface SiteInput {
  name: string
  origins: string[]
  timezone?: string
  /** `digests` may name some of its fields: the others keep the site's (mergeDigestSettings). */
  settings?: Partial<Omit<SiteSettings, 'digests'>> & { digests?: DigestSettingsInput }
}

const origin: Check<string> = (value, field) => {
  const given = text(200)(value, field)
  let parsed: URL | undefined
  try {
    parsed = new URL(given)
  } catch {
    return reject(field, 'must be an origin such as https://shop.example.com')
  }
  if (!/^https?:$/.test(parsed.protocol) || parsed.origin !== given) {
    return reject(field, 'must be an origin such as https://shop.example.com (scheme, host, optional port; no path)')
  }
  return given
}

const timezone: Check<string> = (value, field) => {
  const zone = text(64)(value, field)
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
  } catch {
    return reject(field, 'must be an IANA timezone such as Asia/Shanghai')
  }
  return zone
}

export function parseSiteInput(value: unknown): SiteInput {
  const input = parseObject(
    {
      name: text(120),
      origins: array(20, origin),
      timezone: optional(timezone),
      settings: optional(partial(settingsSchema)),
    },
    value,
  )
  if (input.origins.length === 0) reject('origins', 'must list at least one origin the snippet runs on')
  return input
}

/** A new operator token: 32 random bytes, base64url, shown once and stored as a hash. */
export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  return `hk_${toBase64url(bytes)}`
}

export async function findSite(db: D1Database, id: string): Promise<Site | null> {
  const [site, origins] = await db.batch<Record<string, string>>([
    db.prepare('SELECT id, name, token_hash, timezone, settings, pseudonym_key FROM sites WHERE id = ?').bind(id),
    db.prepare('SELECT origin FROM site_origins WHERE site_id = ? ORDER BY origin').bind(id),
  ])
  const row = site?.results[0]
  if (!row) return null
  return {
    id: row.id!,
    name: row.name!,
    tokenHash: row.token_hash!,
    timezone: row.timezone!,
    origins: (origins?.results ?? []).map((origin) => origin.origin!),
    settings: readSettings(row.settings!),
    pseudonymKey: row.pseudonym_key!,
  }
}

/** Whether two sets of rules tag comments differently (rules of the substring era read as what they add). */
const rulesDiffer = (a: readonly TagRule[], b: readonly TagRule[]): boolean => JSON.stringify(siteAdditions(a)) !== JSON.stringify(siteAdditions(b))

/**
 * Writes a site's row and replaces its origins, in one batch. A new site needs its operator
 * token (only its hash is kept); a changed one keeps its token unless given another.
 * When an existing site's tag rules change, re-tagging its comments starts in the same batch;
 * the message to send it on its way (`sendRetag`) is returned, else null.
 */
export async function saveSite(
  db: D1Database,
  id: string,
  input: SiteInput,
  existing: Site | null,
  token?: string,
  now = Date.now(),
): Promise<RetagMessage | null> {
  if (!existing && !token) throw new Error('a new site needs a token')
  if (existing && input.settings?.segments) await assertSegmentsStillUsed(db, id, input.settings.segments)
  const tokenHash = token ? await sha256Hex(token) : existing!.tokenHash
  const base = existing?.settings ?? defaultSettings
  const settings: SiteSettings = { ...base, ...input.settings, digests: mergeDigestSettings(base.digests, input.settings?.digests) }
  // Answers other isolates store with the old rules until their cache entry expires are in the table when the job starts.
  const retag = existing && rulesDiffer(existing.settings.tagRules, settings.tagRules) ? retagStatement(db, id, now, CACHE_TTL_MS + 5000) : null
  await db.batch([
    db
      .prepare(
        `INSERT INTO sites (id, name, token_hash, timezone, settings, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, token_hash = excluded.token_hash,
         timezone = excluded.timezone, settings = excluded.settings, updated_at = excluded.updated_at`,
      )
      .bind(id, input.name, tokenHash, input.timezone ?? existing?.timezone ?? 'UTC', JSON.stringify(settings), now),
    db.prepare('DELETE FROM site_origins WHERE site_id = ?').bind(id),
    ...input.origins.map((origin) => db.prepare('INSERT INTO site_origins (site_id, origin) VALUES (?, ?)').bind(id, origin)),
    ...(retag ? [retag.statement] : []),
  ])
  forgetSite(id)
  return retag?.message ?? null
}

/**
 * A site may not drop a segment a survey still targets or samples: that survey would never show
 * again (`skip: targeting`) without a word. The survey's PUT checks the other direction.
 */
async function assertSegmentsStillUsed(db: D1Database, siteId: string, segments: readonly SegmentRule[]): Promise<void> {
  const defined = new Set(['other', 'default', ...segments.map((segment) => segment.id)])
  for (const survey of await listSurveys(db, siteId)) {
    const used = [...(survey.targeting?.segments ?? []), ...Object.keys(survey.sampling ?? {})]
    const missing = [...new Set(used.filter((segment) => !defined.has(segment)))]
    if (missing.length) {
      reject('settings.segments', `must keep ${missing.join(', ')}: survey ${survey.id} targets or samples ${missing.length === 1 ? 'it' : 'them'}; change that survey first`)
    }
  }
}

/** Replaces a site's settings as a whole (webhooks are changed this way). */
export async function saveSettings(db: D1Database, site: Site, settings: SiteSettings, now = Date.now()): Promise<void> {
  await db.prepare('UPDATE sites SET settings = ?, updated_at = ? WHERE id = ?').bind(JSON.stringify(settings), now, site.id).run()
  forgetSite(site.id)
}

/** True when any site lists this origin: enough to answer a CORS preflight, which carries no site. */
export async function isKnownOrigin(db: D1Database, origin: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 FROM site_origins WHERE origin = ? LIMIT 1').bind(origin).first()) !== null
}

/**
 * The ingest path's view of a site and its surveys, kept per isolate for a few seconds so
 * a busy site's answers cost one D1 batch each instead of three round trips. A survey the
 * cache does not know is always looked up again before an answer is refused, and this
 * isolate's own writes drop the entry at once; other isolates see changes within the TTL.
 */
const CACHE_TTL_MS = 15_000
const cache = new Map<string, { site: Site | null; surveys: Map<string, Survey>; expires: number }>()

export interface IngestContext {
  site: Site | null
  survey: (id: string) => Promise<Survey | undefined>
}

async function load(db: D1Database, siteId: string, now: number) {
  const site = await findSite(db, siteId)
  const surveys = new Map(site ? (await listSurveys(db, siteId)).map((survey) => [survey.id, survey]) : [])
  const entry = { site, surveys, expires: now + CACHE_TTL_MS }
  // Unknown sites are not kept: a site created a moment later must work at once.
  if (site) cache.set(siteId, entry)
  return entry
}

/** True when this isolate holds the site, so {@link ingestContext} needs no D1 read. */
export function isSiteCached(siteId: string, now = Date.now()): boolean {
  return (cache.get(siteId)?.expires ?? 0) > now
}

export async function ingestContext(db: D1Database, siteId: string, now = Date.now()): Promise<IngestContext> {
  const cached = cache.get(siteId)
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

/** Drops a site from this isolate's cache after it changed (its surveys included). */
export function forgetSite(siteId: string): void {
  cache.delete(siteId)
}
