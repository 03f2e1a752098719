import { sha256Hex, toBase64url } from './crypto.ts'
import { RequestError } from './errors.ts'
import type { Site } from './sites.ts'
import { defaultSettings, settingsSchema, type SiteSettings } from './surveys.ts'
import { array, optional, parseObject, partial, reject, text, type Check } from './validate.ts'

/** What an operator sends to create or change a site. */
export interface SiteInput {
  name: string
  origins: string[]
  timezone?: string
  settings?: Partial<SiteSettings>
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

/** Statements that write a site's row and replace its origins. */
export async function writeSite(
  db: D1Database,
  id: string,
  input: SiteInput,
  existing: Site | null,
  token?: string,
  now = Date.now(),
): Promise<D1PreparedStatement[]> {
  if (!existing && !token) throw new RequestError(500, 'internal', 'a new site needs a token')
  const tokenHash = token ? await sha256Hex(token) : existing!.tokenHash
  const settings = { ...(existing?.settings ?? defaultSettings), ...input.settings }
  return [
    db
      .prepare(
        `INSERT INTO sites (id, name, token_hash, timezone, settings, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, token_hash = excluded.token_hash,
         timezone = excluded.timezone, settings = excluded.settings, updated_at = excluded.updated_at`,
      )
      .bind(id, input.name, tokenHash, input.timezone ?? existing?.timezone ?? 'UTC', JSON.stringify(settings), now),
    db.prepare('DELETE FROM site_origins WHERE site_id = ?').bind(id),
    ...input.origins.map((origin) => db.prepare('INSERT INTO site_origins (site_id, origin) VALUES (?, ?)').bind(id, origin)),
  ]
}

/** Statements that delete everything stored for a site, or for one survey of it. */
export function deleteDataStatements(db: D1Database, siteId: string, surveyId?: string): D1PreparedStatement[] {
  const tables = ['responses', 'impressions', 'score_rollups', 'dimension_rollups', 'impression_rollups', 'surveys']
  return tables.map((table) => {
    const column = table === 'surveys' ? 'id' : 'survey_id'
    return surveyId
      ? db.prepare(`DELETE FROM ${table} WHERE site_id = ? AND ${column} = ?`).bind(siteId, surveyId)
      : db.prepare(`DELETE FROM ${table} WHERE site_id = ?`).bind(siteId)
  })
}
