import { addDays, bucketOf, bucketsBetween, daysBetween, isDay, type Interval } from './dates.ts'
import { RequestError } from './errors.ts'
import { dimensionTotalsStatement, impressionCountStatement, scoreCountsStatement, type DimensionTotalRow, type RollupQuery, type ScoreCountRow } from './rollups.ts'
import type { DimensionSummary, GroupSummary, StatsResult } from './stats-result.ts'
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

const MAX_DAYS = 3 * 366

/** Reads the period and filters; `today` is in the site's timezone. */
export function parseStatsQuery(params: URLSearchParams, today: string): StatsQuery {
  const to = params.get('to') ?? today
  const from = params.get('from') ?? addDays(to, -29)
  for (const [field, day] of [['from', from], ['to', to]] as const) {
    if (!isDay(day)) throw new RequestError(400, 'invalid_field', `${field} must be a date as YYYY-MM-DD`, field)
  }
  if (from > to) throw new RequestError(400, 'invalid_field', 'from must not be after to', 'from')
  if (daysBetween(from, to) > MAX_DAYS) throw new RequestError(400, 'invalid_field', `a period may span at most ${MAX_DAYS} days`, 'from')
  const interval = params.get('interval') ?? (daysBetween(from, to) > 92 ? 'week' : 'day')
  if (interval !== 'day' && interval !== 'week' && interval !== 'month') {
    throw new RequestError(400, 'invalid_field', 'interval must be one of day, week, month', 'interval')
  }
  const compare = params.get('compare')
  if (compare !== null && compare !== 'previous') throw new RequestError(400, 'invalid_field', 'compare must be previous', 'compare')
  const flagged = params.get('flagged')
  if (flagged !== null && flagged !== 'include' && flagged !== 'exclude') {
    throw new RequestError(400, 'invalid_field', 'flagged must be include or exclude', 'flagged')
  }
  return {
    from,
    to,
    interval: interval as Interval,
    checkpoint: params.get('checkpoint') ?? undefined,
    segment: params.get('segment') ?? undefined,
    includeFlagged: flagged === 'include',
    compare: compare === 'previous',
  }
}

/**
 * Computes everything the stats API returns from rollup rows alone, in one D1 batch:
 * its cost grows with days × checkpoints × segments × scores, never with answers.
 */
export async function computeStats(db: D1Database, siteId: string, survey: Survey, query: StatsQuery): Promise<StatsResult> {
  const length = daysBetween(query.from, query.to)
  const previous = { from: addDays(query.from, -length), to: addDays(query.from, -1) }
  const { checkpoint, segment, includeFlagged } = query
  const period: RollupQuery = { siteId, surveyId: survey.id, from: query.from, to: query.to, checkpoint, segment, includeFlagged }
  const [byDay, byCheckpoint, bySegment, dimensions, impressions, earlier] = await db.batch<Record<string, unknown>>([
    scoreCountsStatement(db, period, 'day'),
    scoreCountsStatement(db, period, 'checkpoint'),
    scoreCountsStatement(db, period, 'segment'),
    dimensionTotalsStatement(db, period),
    impressionCountStatement(db, period, 'shown'),
    scoreCountsStatement(db, { ...period, ...previous }),
  ])
  const dayRows = (byDay?.results ?? []) as ScoreCountRow[]
  const total = countsOf(dayRows)
  const summary = summarize(survey.type, total)
  const answered = [...total.values()].reduce((sum, n) => sum + n, 0)
  const shownCount = Number((impressions?.results[0] as { n: number } | undefined)?.n ?? 0)
  const dimensionSummaries = dimensionSummary(survey, (dimensions?.results ?? []) as DimensionTotalRow[])
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
    byCheckpoint: worstFirst(survey, (byCheckpoint?.results ?? []) as ScoreCountRow[]),
    bySegment: worstFirst(survey, (bySegment?.results ?? []) as ScoreCountRow[]),
  }
  if (query.compare) {
    const previousSummary = summarize(survey.type, countsOf((earlier?.results ?? []) as ScoreCountRow[]))
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

function groupCounts(rows: ScoreCountRow[], keyOf: (key: string) => string = (key) => key): Map<string, Map<number, number>> {
  const groups = new Map<string, Map<number, number>>()
  for (const row of rows) {
    const key = keyOf(row.key)
    const counts = groups.get(key) ?? new Map<number, number>()
    counts.set(row.score, (counts.get(row.score) ?? 0) + Number(row.n))
    groups.set(key, counts)
  }
  return groups
}

function series(survey: Survey, rows: ScoreCountRow[], query: StatsQuery): GroupSummary[] {
  const groups = groupCounts(rows, (day) => bucketOf(day, query.interval))
  return bucketsBetween(query.from, query.to, query.interval).map((key) => ({ key, ...summarize(survey.type, groups.get(key) ?? new Map()) }))
}

/** Groups with their scores, lowest first: where attention is needed comes first. */
function worstFirst(survey: Survey, rows: ScoreCountRow[]): GroupSummary[] {
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
