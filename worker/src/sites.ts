import type { PublicSurvey, SurveyType } from '../../sdk/protocol.ts'

/** A site as the worker needs it to ingest and to authorize. */
export interface Site {
  id: string
  tokenHash: string
  timezone: string
  origins: string[]
}

/** A survey as stored: its public part is all the skeleton keeps. */
export type Survey = PublicSurvey

export async function findSite(db: D1Database, id: string): Promise<Site | null> {
  const [site, origins] = await db.batch<Record<string, string>>([
    db.prepare('SELECT id, token_hash, timezone FROM sites WHERE id = ?').bind(id),
    db.prepare('SELECT origin FROM site_origins WHERE site_id = ?').bind(id),
  ])
  const row = site?.results[0]
  if (!row) return null
  return {
    id: row.id!,
    tokenHash: row.token_hash!,
    timezone: row.timezone!,
    origins: (origins?.results ?? []).map((origin) => origin.origin!),
  }
}

export async function listSurveys(db: D1Database, siteId: string): Promise<Survey[]> {
  const { results } = await db
    .prepare('SELECT id, type, definition FROM surveys WHERE site_id = ? ORDER BY id')
    .bind(siteId)
    .all<{ id: string; type: SurveyType; definition: string }>()
  return results.map((row) => ({ ...(JSON.parse(row.definition) as Omit<Survey, 'id' | 'type'>), id: row.id, type: row.type }))
}

export async function findSurvey(db: D1Database, siteId: string, surveyId: string): Promise<Survey | null> {
  const row = await db
    .prepare('SELECT id, type, definition FROM surveys WHERE site_id = ? AND id = ?')
    .bind(siteId, surveyId)
    .first<{ id: string; type: SurveyType; definition: string }>()
  return row && { ...(JSON.parse(row.definition) as Omit<Survey, 'id' | 'type'>), id: row.id, type: row.type }
}

/** True when any site lists this origin: enough to answer a CORS preflight, which carries no site. */
export async function isKnownOrigin(db: D1Database, origin: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 FROM site_origins WHERE origin = ? LIMIT 1').bind(origin).first()) !== null
}
