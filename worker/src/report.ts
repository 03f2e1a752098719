import { scoreDistribution } from './dashboard/distribution.ts'
import { sampleGuidance, TARGET_MARGIN, type SampleGuidance } from './dashboard/sample-size.ts'
import { followUpMetrics, type FollowUpMetrics } from './follow-up-metrics.ts'
import { headline, MIN_ANSWERS_PER_PERIOD } from './scores.ts'
import type { Site } from './sites.ts'
import type { StatsResult } from './stats-result.ts'
import { computeStats, parseStatsQuery, type StatsQuery } from './stats.ts'
import type { Survey } from './surveys.ts'

/**
 * The report a manager prints: one survey over one period, with everything the stats API says
 * about it (compared with the period before unless another is chosen: themes and hot issues
 * included), the score distribution, the goal and its gap per checkpoint and segment, the
 * sample-size statement and the follow-up loop. `GET /v1/sites/{site}/report` returns it; `/dashboard/report` prints it.
 */

/** A group's score against the goal: `gap` = score − target. */
export interface GoalGap {
  key: string
  score: number | null
  interval: [number, number] | null
  n: number
  gap: number | null
}

/** `GET /v1/sites/{site}/report` body. */
export interface Report {
  site: { id: string; name: string; timezone: string }
  survey: { id: string; type: Survey['type']; dimensions: { id: string; label: Record<string, string | undefined> }[] }
  /** The stats API's answer for the same query (`compare=previous` unless a period was chosen). */
  stats: StatsResult
  distribution: { score: number; n: number }[]
  goal: { target: number; gap: number | null; met: boolean | null } | null
  /** Worst first, as the stats sort them, each with its gap to the goal (null without a goal). */
  gaps: { byCheckpoint: GoalGap[]; bySegment: GoalGap[] }
  /** How precise the score is: n and the margin now, and the answers an interval 10 points wide would take. */
  sampleSize: SampleGuidance & { targetMargin: number; minAnswersPerPeriod: number }
  followUps: FollowUpMetrics
  generatedAt: string
}

/** Reads the report's period and filters with the stats API's parser: compared with the previous period unless one is chosen. */
export function parseReportQuery(params: URLSearchParams, today: string): StatsQuery {
  const given = new URLSearchParams(params)
  given.delete('survey')
  given.delete('lang')
  return parseStatsQuery(given, today, { previousByDefault: true })
}

const round1 = (value: number): number => Math.round(value * 10) / 10

export async function buildReport(db: D1Database, site: Site, survey: Survey, query: StatsQuery, now: number): Promise<Report> {
  const [stats, distribution, followUps] = await Promise.all([
    computeStats(db, site.id, survey, query, site.timezone),
    scoreDistribution(db, site.id, survey, query),
    followUpMetrics(db, site.id, site.timezone, query, survey.id, now),
  ])
  const target = survey.goal?.target ?? null
  const gapOf = (score: number | null) => (target === null || score === null ? null : round1(score - target))
  const gaps = (groups: StatsResult['byCheckpoint']): GoalGap[] =>
    groups.map((group) => {
      const main = headline(group)
      return { key: group.key, score: main.score, interval: main.interval, n: main.n, gap: gapOf(main.score) }
    })
  const main = headline(stats)
  return {
    site: { id: site.id, name: site.name, timezone: site.timezone },
    survey: { id: survey.id, type: survey.type, dimensions: (survey.dimensions ?? []).map(({ id, label }) => ({ id, label })) },
    stats,
    distribution,
    goal: target === null ? null : { target, gap: gapOf(main.score), met: stats.goal?.met ?? null },
    gaps: { byCheckpoint: gaps(stats.byCheckpoint), bySegment: gaps(stats.bySegment) },
    sampleSize: { ...sampleGuidance(stats), targetMargin: TARGET_MARGIN, minAnswersPerPeriod: MIN_ANSWERS_PER_PERIOD },
    followUps,
    generatedAt: new Date(now).toISOString(),
  }
}
