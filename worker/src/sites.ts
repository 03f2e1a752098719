import type { SurveyType } from '../../sdk/protocol.ts'
import { readSettings, type SiteSettings, type Survey } from './surveys.ts'

/** A site as the worker needs it to ingest and to authorize. */
export interface Site {
  id: string
  name: string
  tokenHash: string
  timezone: string
  origins: string[]
  settings: SiteSettings
}

type SurveyRow = { id: string; type: SurveyType; definition: string }

const toSurvey = (row: SurveyRow): Survey => ({ ...(JSON.parse(row.definition) as Omit<Survey, 'id' | 'type'>), id: row.id, type: row.type })

export async function findSite(db: D1Database, id: string): Promise<Site | null> {
  const [site, origins] = await db.batch<Record<string, string>>([
    db.prepare('SELECT id, name, token_hash, timezone, settings FROM sites WHERE id = ?').bind(id),
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
  }
}

export async function listSurveys(db: D1Database, siteId: string): Promise<Survey[]> {
  const { results } = await db.prepare('SELECT id, type, definition FROM surveys WHERE site_id = ? ORDER BY id').bind(siteId).all<SurveyRow>()
  return results.map(toSurvey)
}

export async function findSurvey(db: D1Database, siteId: string, surveyId: string): Promise<Survey | null> {
  const row = await db
    .prepare('SELECT id, type, definition FROM surveys WHERE site_id = ? AND id = ?')
    .bind(siteId, surveyId)
    .first<SurveyRow>()
  return row && toSurvey(row)
}

/** The statement that creates or replaces a survey. */
export function putSurveyStatement(db: D1Database, siteId: string, { id, type, ...definition }: Survey, now = Date.now()): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO surveys (site_id, id, type, definition, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (site_id, id) DO UPDATE SET type = excluded.type, definition = excluded.definition, updated_at = excluded.updated_at`,
    )
    .bind(siteId, id, type, JSON.stringify(definition), now)
}

/** True when any site lists this origin: enough to answer a CORS preflight, which carries no site. */
export async function isKnownOrigin(db: D1Database, origin: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 FROM site_origins WHERE origin = ? LIMIT 1').bind(origin).first()) !== null
}
