import { dimensionRollupStatement } from './ingest.ts'

/**
 * Erases a person: every response whose visitor or user id is `person`, every impression
 * of that visitor, and their counts in all rollups, in one D1 batch.
 */
export async function erasePerson(db: D1Database, siteId: string, person: string): Promise<{ responses: number; impressions: number }> {
  const [responses, impressions] = await db.batch<{ id: string; survey_id: string; day: string; checkpoint: string; segment: string; flags: string; score: number; kind: string }>([
    db.prepare('SELECT id, survey_id, day, checkpoint, segment, flags, score FROM responses WHERE site_id = ? AND (visitor_id = ?2 OR user_id = ?2)').bind(siteId, person),
    db.prepare('SELECT id, survey_id, day, checkpoint, segment, kind FROM impressions WHERE site_id = ? AND visitor_id = ?').bind(siteId, person),
  ])
  const answers = responses?.results ?? []
  const shown = impressions?.results ?? []
  if (!answers.length && !shown.length) return { responses: 0, impressions: 0 }

  const statements: D1PreparedStatement[] = []
  for (const row of answers) {
    statements.push(
      dimensionRollupStatement(db, siteId, row.id, -1),
      db
        .prepare(
          `UPDATE score_rollups SET n = n - 1 WHERE site_id = ? AND survey_id = ? AND day = ? AND checkpoint = ? AND segment = ? AND flagged = ? AND score = ?`,
        )
        .bind(siteId, row.survey_id, row.day, row.checkpoint, row.segment, row.flags ? 1 : 0, row.score),
      db.prepare('DELETE FROM responses WHERE site_id = ? AND id = ?').bind(siteId, row.id),
    )
  }
  for (const row of shown) {
    statements.push(
      db
        .prepare('UPDATE impression_rollups SET n = n - 1 WHERE site_id = ? AND survey_id = ? AND day = ? AND checkpoint = ? AND segment = ? AND kind = ?')
        .bind(siteId, row.survey_id, row.day, row.checkpoint, row.segment, row.kind),
      db.prepare('DELETE FROM impressions WHERE site_id = ? AND id = ?').bind(siteId, row.id),
    )
  }
  for (const table of ['score_rollups', 'dimension_rollups', 'impression_rollups']) {
    statements.push(db.prepare(`DELETE FROM ${table} WHERE site_id = ? AND n <= 0`).bind(siteId))
  }
  await db.batch(statements)
  return { responses: answers.length, impressions: shown.length }
}
