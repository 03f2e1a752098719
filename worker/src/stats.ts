import { addDays, bucketOf, bucketsBetween, DAY_RULE, daysBetween, FIRST_DAY, isDay, MAX_PERIOD_DAYS, type Interval } from './dates.ts'
import { RequestError } from './errors.ts'
import { keyDrivers } from './key-drivers.ts'
import {
  dimensionTotalsStatement,
  driverSumsStatement,
  impressionCountStatement,
  scoreCountsStatement,
  type DimensionTotalRow,
  type DriverRow,
  type RollupQuery,
  type ScoreCountRow,
} from './rollups.ts'
import type { DimensionSummary, GroupSummary, StatsResult } from './stats-result.ts'
import { compareScores, headline, summarize, type ScoreCounts } from './scores.ts'
import type { Survey } from './surveys.ts'
import { themesStatements } from './themes.ts'
import { changesWithin, timezoneChangesStatement } from './timezone-changes.ts'
import { idPattern } from './validate.ts'

/** A period of days, both included, in the site's timezone. */
export interface Period {
  from: string
  to: string
}

/** What a stats query asks for; days are inclusive, in the site's timezone. */
export interface StatsQuery extends Period {
  interval: Interval
  checkpoint?: string
  segment?: string
  includeFlagged: boolean
  /** The period to compare with: the one just before, or one the operator chose (e.g. before a fix went live). */
  comparison: (Period & { kind: 'previous' | 'chosen' }) | null
}

/** Longest a filter value may be: what ingest accepts for a checkpoint or segment. */
const MAX_FILTER_LENGTH = 64

const invalid = (field: string, message: string): RequestError => new RequestError(400, 'invalid_field', `${field} ${message}`, field)

function dayParam(params: URLSearchParams, field: string): string | undefined {
  const value = params.get(field)
  if (value === null) return undefined
  if (!isDay(value)) throw invalid(field, `must be ${DAY_RULE}`)
  return value
}

/**
 * Checks a period's order and length; `fromField` and `toField` name its ends in errors, and
 * `today` is given when the end was left out (and so is today), for a message about what the
 * operator sent.
 */
function checkPeriod(from: string, to: string, fromField: string, toField: string, today?: string): Period {
  const end = today === undefined ? `${toField} is ${to}` : `${toField}, left out, is today (${today})`
  if (from > to) throw invalid(fromField, `must be a date as YYYY-MM-DD no later than ${to}: ${end}`)
  if (daysBetween(from, to) > MAX_PERIOD_DAYS) {
    throw invalid(fromField, `must be a date as YYYY-MM-DD from ${addDays(to, 1 - MAX_PERIOD_DAYS)} on: a period spans at most ${MAX_PERIOD_DAYS} days, and ${end}`)
  }
  return { from, to }
}

/** A checkpoint or segment filter: as ingest stores them, or empty for answers without one. */
function filterParam(params: URLSearchParams, field: string): string | undefined {
  const value = params.get(field)
  if (value === null) return undefined
  if (value !== '' && (value.length > MAX_FILTER_LENGTH || !idPattern.test(value))) {
    throw invalid(field, `must be at most ${MAX_FILTER_LENGTH} letters, digits and _ . : -`)
  }
  return value
}

function choiceParam<T extends string>(params: URLSearchParams, field: string, allowed: readonly T[]): T | undefined {
  const value = params.get(field)
  if (value === null) return undefined
  if (!allowed.includes(value as T)) throw invalid(field, `must be one of ${allowed.join(', ')}`)
  return value as T
}

/** How a caller wants the comparison when the query names none. */
interface StatsQueryOptions {
  /**
   * Compare with the previous period unless the query chooses one (the dashboard, the report);
   * where that period would start before {@link FIRST_DAY}, there is nothing to compare with.
   */
  previousByDefault?: boolean
}

/**
 * Reads the period and filters; `today` is in the site's timezone. Every value is checked
 * before any is used, and every bad one is a 400 naming its field and the form it takes.
 * - `from`, `to`: days, at most three years apart. Left out, `to` is today and `from` the 30th
 *   day up to `to` (never before {@link FIRST_DAY}): the defaults follow what was given.
 * - `compare=previous`: compare with the period of the same length just before;
 *   `compareFrom` and `compareTo`: compare with that period instead (it must not overlap).
 */
export function parseStatsQuery(params: URLSearchParams, today: string, options: StatsQueryOptions = {}): StatsQuery {
  const givenTo = dayParam(params, 'to')
  const givenFrom = dayParam(params, 'from')
  const to = givenTo ?? today
  const defaultFrom = addDays(to, -29) < FIRST_DAY ? FIRST_DAY : addDays(to, -29)
  const { from } = checkPeriod(givenFrom ?? defaultFrom, to, 'from', 'to', givenTo === undefined ? today : undefined)
  const interval = choiceParam(params, 'interval', ['day', 'week', 'month'] as const) ?? (daysBetween(from, to) > 92 ? 'week' : 'day')
  const flagged = choiceParam(params, 'flagged', ['include', 'exclude'] as const)
  const compare = choiceParam(params, 'compare', ['previous'] as const)
  const compareFrom = dayParam(params, 'compareFrom')
  const compareTo = dayParam(params, 'compareTo')
  let comparison: StatsQuery['comparison'] = null
  if (compareFrom !== undefined || compareTo !== undefined) {
    if (compare) throw invalid('compare', 'must be left out when compareFrom and compareTo (YYYY-MM-DD) choose the period')
    if (compareFrom === undefined) throw invalid('compareFrom', `is needed with compareTo: ${DAY_RULE}`)
    if (compareTo === undefined) throw invalid('compareTo', `is needed with compareFrom: ${DAY_RULE}`)
    const chosen = checkPeriod(compareFrom, compareTo, 'compareFrom', 'compareTo')
    if (chosen.from <= to && from <= chosen.to) throw invalid('compareFrom', `must choose, with compareTo, days as YYYY-MM-DD outside ${from} – ${to}: periods that overlap would share answers`)
    comparison = { kind: 'chosen', ...chosen }
  } else if (compare === 'previous' || options.previousByDefault) {
    const length = daysBetween(from, to)
    const previous = { from: addDays(from, -length), to: addDays(from, -1) }
    if (previous.from >= FIRST_DAY) comparison = { kind: 'previous', ...previous }
    else if (compare === 'previous') {
      throw invalid('compare', `must be left out here, or from be later: the ${length} days before ${from} start before ${FIRST_DAY}. To compare, choose compareFrom and compareTo as YYYY-MM-DD`)
    }
  }
  return {
    from,
    to,
    interval,
    checkpoint: filterParam(params, 'checkpoint'),
    segment: filterParam(params, 'segment'),
    includeFlagged: flagged === 'include',
    comparison,
  }
}

const responseRate = (shown: number, answered: number): StatsResult['responseRate'] => ({
  shown,
  answered,
  rate: shown ? Math.round((Math.min(answered, shown) / shown) * 1000) / 10 : null,
})

/**
 * Computes everything the stats API returns from rollup rows alone, in one D1 batch:
 * its cost grows with days × checkpoints × segments × scores, never with answers.
 */
export async function computeStats(db: D1Database, siteId: string, survey: Survey, query: StatsQuery, timezone: string): Promise<StatsResult> {
  const { checkpoint, segment, includeFlagged } = query
  const period: RollupQuery = { siteId, surveyId: survey.id, from: query.from, to: query.to, checkpoint, segment, includeFlagged }
  const other = query.comparison ?? { from: query.from, to: query.to }
  const themes = themesStatements(db, siteId, survey, { from: query.from, to: query.to, checkpoint, segment, includeFlagged, previous: query.comparison ?? undefined })
  const [byDay, byCheckpoint, bySegment, dimensions, drivers, impressions, everyAnswer, unflagged, earlier, site, ...themeResults] = await db.batch<Record<string, unknown>>([
    scoreCountsStatement(db, period, 'day'),
    scoreCountsStatement(db, period, 'checkpoint'),
    scoreCountsStatement(db, period, 'segment'),
    dimensionTotalsStatement(db, period),
    driverSumsStatement(db, period),
    impressionCountStatement(db, period, 'shown'),
    scoreCountsStatement(db, { ...period, includeFlagged: true }),
    scoreCountsStatement(db, { ...period, includeFlagged: false }),
    scoreCountsStatement(db, { ...period, ...other }),
    timezoneChangesStatement(db, siteId),
    ...themes.statements,
  ])
  const rows = <T>(result: D1Result<Record<string, unknown>> | undefined) => (result?.results ?? []) as T[]
  const dayRows = rows<ScoreCountRow>(byDay)
  const total = countsOf(dayRows)
  const summary = summarize(survey.type, total)
  const answered = sumOf(countsOf(rows<ScoreCountRow>(everyAnswer)))
  const shownCount = Number(rows<{ n: number }>(impressions)[0]?.n ?? 0)
  const dimensionSummaries = dimensionSummary(survey, rows<DimensionTotalRow>(dimensions))
  const main = headline(summary)
  const periods = query.comparison ? [query, query.comparison] : [query]

  const result: StatsResult = {
    survey: survey.id,
    type: survey.type,
    from: query.from,
    to: query.to,
    interval: query.interval,
    includesFlagged: includeFlagged,
    flagged: answered - sumOf(countsOf(rows<ScoreCountRow>(unflagged))),
    ...summary,
    dimensions: dimensionSummaries,
    compositeIndex: compositeIndex(survey, dimensionSummaries),
    keyDrivers: keyDrivers(survey, rows<DriverRow>(drivers)),
    // Both sides alike: flagged answers and flagged impressions left out, or with flagged=include both in.
    responseRate: responseRate(shownCount, includeFlagged ? answered : sumOf(countsOf(rows<ScoreCountRow>(unflagged)))),
    goal: survey.goal ? { target: survey.goal.target, met: main.score === null ? null : main.score >= survey.goal.target } : null,
    series: series(survey, dayRows, query),
    byCheckpoint: worstFirst(survey, rows<ScoreCountRow>(byCheckpoint)),
    bySegment: worstFirst(survey, rows<ScoreCountRow>(bySegment)),
    timezone: { zone: timezone, changes: changesWithin(rows<{ changes: string }>(site)[0]?.changes, periods) },
    themes: themes.read(themeResults),
  }
  if (query.comparison) {
    const previousSummary = summarize(survey.type, countsOf(rows<ScoreCountRow>(earlier)))
    result.comparison = { kind: query.comparison.kind, from: query.comparison.from, to: query.comparison.to, previous: previousSummary, ...compareScores(summary, previousSummary) }
  }
  return result
}

const sumOf = (counts: ScoreCounts): number => [...counts.values()].reduce((sum, n) => sum + n, 0)

function countsOf(rows: { score: number; n: number }[]): Map<number, number> {
  const counts = new Map<number, number>()
  for (const { score, n } of rows) counts.set(Number(score), (counts.get(Number(score)) ?? 0) + Number(n))
  return counts
}

function groupCounts(rows: ScoreCountRow[], keyOf: (key: string) => string = (key) => key): Map<string, Map<number, number>> {
  const groups = new Map<string, Map<number, number>>()
  for (const row of rows) {
    const key = keyOf(row.key)
    const counts = groups.get(key) ?? new Map<number, number>()
    counts.set(Number(row.score), (counts.get(Number(row.score)) ?? 0) + Number(row.n))
    groups.set(key, counts)
  }
  return groups
}

function series(survey: Survey, rows: ScoreCountRow[], query: StatsQuery): GroupSummary[] {
  const groups = groupCounts(rows, (day) => bucketOf(day, query.interval))
  return bucketsBetween(query.from, query.to, query.interval).map((key) => ({ key, ...summarize(survey.type, groups.get(key) ?? new Map()) }))
}

/**
 * Groups with their scores, worst first by the upper end of the 95% interval: first come the
 * groups that are low even at their best, and a group of one unhappy answer (whose interval
 * reaches far up) does not lead. Ties: lower score, then key.
 */
function worstFirst(survey: Survey, rows: ScoreCountRow[]): GroupSummary[] {
  const groups = [...groupCounts(rows)].map(([key, counts]: [string, ScoreCounts]) => ({ key, ...summarize(survey.type, counts) }))
  const upper = (group: GroupSummary) => headline(group).interval?.[1] ?? Infinity
  return groups.sort((a, b) => upper(a) - upper(b) || (headline(a).score ?? Infinity) - (headline(b).score ?? Infinity) || a.key.localeCompare(b.key))
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
