import { changeCounted, deleteStatements, pruneStatements, type CountedRows } from './rollups.ts'
import { forgetSite } from './sites.ts'

/**
 * Forgetting: a person, a survey, a whole site. Each runs in one D1 batch with the rollups
 * kept in step, and every table that holds a site's data is named here once.
 */

/** Tables that hold a site's data (besides its rollups), and the column naming the survey a row belongs to. */
const SITE_TABLES = { follow_ups: 'survey_id', links: 'survey_id', impressions: 'survey_id', responses: 'survey_id', surveys: 'id' } as const

/**
 * Erases a person: every response whose visitor or user id is `person` with its follow-up,
 * every impression of that visitor, every survey link made for that user, and their counts
 * in all rollups.
 */
export async function erasePerson(db: D1Database, siteId: string, person: string): Promise<{ responses: number; impressions: number }> {
  const answers: CountedRows = { table: 'responses', siteId, where: '(r.visitor_id = ? OR r.user_id = ?)', params: [person, person] }
  const shown: CountedRows = { table: 'impressions', siteId, where: 'r.visitor_id = ?', params: [person] }
  const [, responses, impressions] = await changeCounted(db, [answers, shown], [
    db
      .prepare('DELETE FROM follow_ups WHERE site_id = ?1 AND response_id IN (SELECT id FROM responses WHERE site_id = ?1 AND (visitor_id = ?2 OR user_id = ?2))')
      .bind(siteId, person),
    db.prepare('DELETE FROM responses WHERE site_id = ?1 AND (visitor_id = ?2 OR user_id = ?2)').bind(siteId, person),
    db.prepare('DELETE FROM impressions WHERE site_id = ? AND visitor_id = ?').bind(siteId, person),
    db.prepare('DELETE FROM links WHERE site_id = ? AND user_id = ?').bind(siteId, person),
    ...pruneStatements(db, siteId),
  ])
  return { responses: responses?.meta.changes ?? 0, impressions: impressions?.meta.changes ?? 0 }
}

/** Deletes a survey with everything stored for it: answers, impressions, follow-ups, links and rollups. */
export async function eraseSurvey(db: D1Database, siteId: string, surveyId: string): Promise<void> {
  await db.batch([
    ...Object.entries(SITE_TABLES).map(([table, column]) => db.prepare(`DELETE FROM ${table} WHERE site_id = ? AND ${column} = ?`).bind(siteId, surveyId)),
    ...deleteStatements(db, siteId, surveyId),
  ])
  forgetSite(siteId)
}

/** Deletes a site with everything stored for it. */
export async function eraseSite(db: D1Database, siteId: string): Promise<void> {
  await db.batch([
    ...Object.keys(SITE_TABLES).map((table) => db.prepare(`DELETE FROM ${table} WHERE site_id = ?`).bind(siteId)),
    ...deleteStatements(db, siteId),
    // Alerts on their way to the site's webhooks (alert-delivery.ts).
    ...['alert_outbox', 'webhook_messages', 'webhook_attempts', 'webhook_state'].map((table) => db.prepare(`DELETE FROM ${table} WHERE site_id = ?`).bind(siteId)),
    db.prepare('DELETE FROM site_origins WHERE site_id = ?').bind(siteId),
    db.prepare('DELETE FROM sites WHERE id = ?').bind(siteId),
  ])
  forgetSite(siteId)
}
