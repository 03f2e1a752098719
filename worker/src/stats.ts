import type { DimensionSummary, GroupSummary, StatsResult } from '../../sdk/protocol.ts'
import { addDays, bucketOf, bucketsBetween, daysBetween, type Interval } from './dates.ts'
import { headline, significantChange, summarize, type ScoreCounts } from './scores.ts'
import type { Survey } from './surveys.ts'

/** What a stats query asks for; days are inclusive, in the site's timezone. */
export interface StatsQuery {
  from: string
  to: string
  interval: Interval
  checkpoint?: string
  segment?: string
  includeFlagged: boolean
  compare: boolean
}

type CountRow = { key: string; score: number; n: number }

/**
 * Computes everything the stats API returns from rollup rows alone, in one D1 batch:
 * its cost grows with days × checkpoints × segments × scores, never with answers.
 */
export async function computeStats(db: D1Database, siteId: string, survey: Survey, query: StatsQuery): Promise<StatsResult> {
  const where = (from: string, to: string, withFlagged: boolean) => {
    const clauses = ['site_id = ?', 'survey_id = ?', 'day BETWEEN ? AND ?']
    const params: (string | number)[] = [siteId, survey.id, from, to]
    if (query.checkpoint !== undefined) clauses.push('checkpoint = ?'), params.push(query.checkpoint)
    if (query.segment !== undefined) clauses.push('segment = ?'), params.push(query.segment)
    if (withFlagged && !query.includeFlagged) clauses.push('flagged = 0')
    return { sql: clauses.join(' AND '), params }
  }
  const scores = where(query.from, query.to, true)
  const shown = where(query.from, query.to, false)
  const length = daysBetween(query.from, query.to)
  const previous = { from: addDays(query.from, -length), to: addDays(query.from, -1) }
  const before = where(previous.from, previous.to, true)
  const grouped = (column: string) =>
    db.prepare(`SELECT ${column} AS key, score, SUM(n) AS n FROM score_rollups WHERE ${scores.sql} GROUP BY ${column}, score`).bind(...scores.params)

  const [byDay, byCheckpoint, bySegment, dimensions, impressions, earlier] = await db.batch<Record<string, unknown>>([
    grouped('day'),
    grouped('checkpoint'),
    grouped('segment'),
    db
      .prepare(`SELECT dimension AS id, SUM(n) AS n, SUM(total) AS total FROM dimension_rollups WHERE ${scores.sql} GROUP BY dimension`)
      .bind(...scores.params),
    db.prepare(`SELECT COALESCE(SUM(n), 0) AS n FROM impression_rollups WHERE ${shown.sql} AND kind = 'shown'`).bind(...shown.params),
    db.prepare(`SELECT score, SUM(n) AS n FROM score_rollups WHERE ${before.sql} GROUP BY score`).bind(...before.params),
  ])
  const dayRows = (byDay?.results ?? []) as CountRow[]
  const total = countsOf(dayRows)
  const summary = summarize(survey.type, total)
  const answered = [...total.values()].reduce((sum, n) => sum + n, 0)
  const shownCount = Number((impressions?.results[0] as { n: number } | undefined)?.n ?? 0)
  const dimensionSummaries = dimensionSummary(survey, (dimensions?.results ?? []) as { id: string; n: number; total: number }[])
  const main = headline(summary)

  const result: StatsResult = {
    survey: survey.id,
    type: survey.type,
    from: query.from,
    to: query.to,
    interval: query.interval,
    includesFlagged: query.includeFlagged,
    ...summary,
    dimensions: dimensionSummaries,
    compositeIndex: compositeIndex(survey, dimensionSummaries),
    responseRate: { shown: shownCount, answered, rate: shownCount ? Math.round((Math.min(answered, shownCount) / shownCount) * 1000) / 10 : null },
    goal: survey.goal ? { target: survey.goal.target, met: main.score === null ? null : main.score >= survey.goal.target } : null,
    series: series(survey, dayRows, query),
    byCheckpoint: worstFirst(survey, (byCheckpoint?.results ?? []) as CountRow[]),
    bySegment: worstFirst(survey, (bySegment?.results ?? []) as CountRow[]),
  }
  if (query.compare) {
    const previousSummary = summarize(survey.type, countsOf((earlier?.results ?? []) as CountRow[]))
    const then = headline(previousSummary)
    result.comparison = {
      ...previous,
      previous: previousSummary,
      change: main.score === null || then.score === null ? null : Math.round((main.score - then.score) * 10) / 10,
      significant: significantChange(summary, previousSummary),
    }
  }
  return result
}

function countsOf(rows: { score: number; n: number }[]): Map<number, number> {
  const counts = new Map<number, number>()
  for (const { score, n } of rows) counts.set(score, (counts.get(score) ?? 0) + Number(n))
  return counts
}

function groupCounts(rows: CountRow[], keyOf: (key: string) => string = (key) => key): Map<string, Map<number, number>> {
  const groups = new Map<string, Map<number, number>>()
  for (const row of rows) {
    const key = keyOf(row.key)
    const counts = groups.get(key) ?? new Map<number, number>()
    counts.set(row.score, (counts.get(row.score) ?? 0) + Number(row.n))
    groups.set(key, counts)
  }
  return groups
}

function series(survey: Survey, rows: CountRow[], query: StatsQuery): GroupSummary[] {
  const groups = groupCounts(rows, (day) => bucketOf(day, query.interval))
  return bucketsBetween(query.from, query.to, query.interval).map((key) => ({ key, ...summarize(survey.type, groups.get(key) ?? new Map()) }))
}

/** Groups with their scores, lowest first: where attention is needed comes first. */
function worstFirst(survey: Survey, rows: CountRow[]): GroupSummary[] {
  const groups = [...groupCounts(rows)].map(([key, counts]: [string, ScoreCounts]) => ({ key, ...summarize(survey.type, counts) }))
  return groups.sort((a, b) => (headline(a).score ?? Infinity) - (headline(b).score ?? Infinity) || a.key.localeCompare(b.key))
}

function dimensionSummary(survey: Survey, rows: { id: string; n: number; total: number }[]): DimensionSummary[] {
  const byId = new Map(rows.map((row) => [row.id, row]))
  return (survey.dimensions ?? []).map(({ id }) => {
    const row = byId.get(id)
    const n = Number(row?.n ?? 0)
    return { id, n, mean: n ? Math.round((Number(row!.total) / n) * 100) / 100 : null }
  })
}

/** Weighted mean of the dimension means, each scaled so 1 → 0 and 5 → 100. */
function compositeIndex(survey: Survey, dimensions: DimensionSummary[]): number | null {
  let weighted = 0
  let weights = 0
  for (const { id, mean } of dimensions) {
    if (mean === null) continue
    const weight = survey.dimensionWeights?.[id] ?? 1
    weighted += weight * ((mean - 1) / 4) * 100
    weights += weight
  }
  return weights ? Math.round((weighted / weights) * 10) / 10 : null
}
