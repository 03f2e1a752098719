import { SCORE_RANGES } from '../../../sdk/protocol.ts'
import { scoreCountsStatement, type ScoreCountRow } from '../rollups.ts'
import type { StatsQuery } from '../stats.ts'
import type { Survey } from '../surveys.ts'

/** Every score a survey type allows, lowest first. */
function scoreRange(type: Survey['type']): number[] {
  const [low, high] = SCORE_RANGES[type]
  return Array.from({ length: high - low + 1 }, (_, index) => low + index)
}

/**
 * How many answers gave each score, from the same rollup rows and filters as the stats
 * (flagged answers left out unless included), so the bars add up to the stats' n.
 */
export async function scoreDistribution(db: D1Database, siteId: string, survey: Survey, query: StatsQuery): Promise<{ score: number; n: number }[]> {
  const { from, to, checkpoint, segment, includeFlagged } = query
  const { results } = await scoreCountsStatement(db, { siteId, surveyId: survey.id, from, to, checkpoint, segment, includeFlagged }).all<ScoreCountRow>()
  const counts = new Map(results.map((row) => [Number(row.score), Number(row.n)]))
  return scoreRange(survey.type).map((score) => ({ score, n: counts.get(score) ?? 0 }))
}
