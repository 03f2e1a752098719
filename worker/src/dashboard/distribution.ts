import type { StatsQuery } from '../stats.ts'
import type { Survey } from '../surveys.ts'

/** Every score a survey type allows, lowest first. */
export function scoreRange(type: Survey['type']): number[] {
  const [low, high] = type === 'nps' ? [0, 10] : type === 'csat' ? [1, 5] : [1, 7]
  return Array.from({ length: high - low + 1 }, (_, index) => low + index)
}

/**
 * How many answers gave each score, from the same rollup rows and filters as the stats
 * (flagged answers left out unless included), so the bars add up to the stats' n.
 */
export async function scoreDistribution(db: D1Database, siteId: string, survey: Survey, query: StatsQuery): Promise<{ score: number; n: number }[]> {
  const clauses = ['site_id = ?', 'survey_id = ?', 'day BETWEEN ? AND ?']
  const params: (string | number)[] = [siteId, survey.id, query.from, query.to]
  if (query.checkpoint !== undefined) clauses.push('checkpoint = ?'), params.push(query.checkpoint)
  if (query.segment !== undefined) clauses.push('segment = ?'), params.push(query.segment)
  if (!query.includeFlagged) clauses.push('flagged = 0')
  const { results } = await db
    .prepare(`SELECT score, SUM(n) AS n FROM score_rollups WHERE ${clauses.join(' AND ')} GROUP BY score`)
    .bind(...params)
    .all<{ score: number; n: number }>()
  const counts = new Map(results.map((row) => [Number(row.score), Number(row.n)]))
  return scoreRange(survey.type).map((score) => ({ score, n: counts.get(score) ?? 0 }))
}
