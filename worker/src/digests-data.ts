import type { SurveyType } from '../../sdk/protocol.ts'
import { MAX_DIGEST_SURVEYS, type DigestSettings } from './digests-settings.ts'
import { followUpMetrics, type FollowUpMetrics } from './follow-up-metrics.ts'
import { previousPeriod, type DigestFrequency } from './report-period.ts'
import { headline } from './scores.ts'
import type { Site } from './sites.ts'
import type { ChangeVerdict, GroupSummary, HotIssue, StatsResult, TaggingProgress } from './stats-result.ts'
import { computeStats, type Period } from './stats.ts'
import { listSurveys, type Survey } from './surveys.ts'

/**
 * What a digest says, in no language yet: per survey the figures the stats API gives for the
 * period (score, interval, goal, the change against the previous period with its verdict,
 * response rate, worst checkpoint and segment, hot issues), and the follow-up loop. Computed
 * once per site, frequency and period, stored with each claimed digest (digests.ts) and rendered
 * per format and language at each attempt (digests-content.ts).
 */

export interface DigestScore {
  score: number | null
  interval: [number, number] | null
  n: number
}

export interface DigestGroup extends DigestScore {
  key: string
}

export interface DigestSurvey {
  id: string
  type: SurveyType
  score: DigestScore
  /** `gap`: score − target (negative: below the goal). */
  goal: { target: number; gap: number | null; met: boolean | null } | null
  /** Against the period just before (for a month, the calendar month before), with the stats API's verdict. */
  change: { points: number | null; verdict: ChangeVerdict | null; pValue: number | null; minAnswers: number; previous: DigestScore }
  responseRate: { shown: number; answered: number; rate: number | null }
  /** The first of the stats' worst-first breakdowns, when there are two groups or more to tell apart. */
  worstCheckpoint: DigestGroup | null
  worstSegment: DigestGroup | null
  /**
   * The topics rising among unhappy answers (the stats' hot issues, themes.ts), at most
   * {@link MAX_HOT_ISSUES}, and whether the stored tags are all of today's rules.
   */
  themes: { hotIssues: HotIssue[]; tagging: TaggingProgress['state'] }
}

/** Hot issues a digest tells, per survey. */
export const MAX_HOT_ISSUES = 5

export interface DigestData {
  site: { id: string; name: string; timezone: string }
  frequency: DigestFrequency
  period: Period
  previous: Period
  surveys: DigestSurvey[]
  /** Surveys of the site left out because a digest covers at most {@link MAX_DIGEST_SURVEYS}. */
  moreSurveys: number
  followUps: FollowUpMetrics
  computedAt: number
}

const scoreOf = (summary: Parameters<typeof headline>[0]): DigestScore => headline(summary)

const worst = (groups: GroupSummary[]): DigestGroup | null => (groups.length >= 2 ? { key: groups[0]!.key, ...scoreOf(groups[0]!) } : null)

/** A digest's survey from the stats of its period compared with the previous one. */
export function digestSurvey(stats: StatsResult): DigestSurvey {
  const score = scoreOf(stats)
  const comparison = stats.comparison!
  return {
    id: stats.survey,
    type: stats.type,
    score,
    goal: stats.goal ? { target: stats.goal.target, gap: score.score === null ? null : Math.round((score.score - stats.goal.target) * 10) / 10, met: stats.goal.met } : null,
    change: { points: comparison.change, verdict: comparison.verdict, pValue: comparison.pValue, minAnswers: comparison.minAnswers, previous: scoreOf(comparison.previous) },
    responseRate: stats.responseRate,
    worstCheckpoint: worst(stats.byCheckpoint),
    worstSegment: worst(stats.bySegment),
    themes: { hotIssues: stats.themes.hotIssues.slice(0, MAX_HOT_ISSUES), tagging: stats.themes.tagging.state },
  }
}

/** The surveys a digest covers: those the settings name (in their order), else the site's first ones. */
function coveredSurveys(surveys: Survey[], settings: DigestSettings): { covered: Survey[]; more: number } {
  const chosen = settings.surveys ? settings.surveys.map((id) => surveys.find((survey) => survey.id === id)).filter((survey): survey is Survey => survey !== undefined) : surveys
  return { covered: chosen.slice(0, MAX_DIGEST_SURVEYS), more: settings.surveys ? 0 : Math.max(0, surveys.length - MAX_DIGEST_SURVEYS) }
}

/** The groups a digest keeps: the 20 worst of each, so a stored digest stays small. */
const trimmed = (metrics: FollowUpMetrics): FollowUpMetrics => ({ ...metrics, byAssignee: metrics.byAssignee.slice(0, 20), byCheckpoint: metrics.byCheckpoint.slice(0, 20) })

/** Everything a digest of `site` says about `period`: one stats batch per survey, one for follow-ups. */
export async function computeDigestData(db: D1Database, site: Site, settings: DigestSettings, frequency: DigestFrequency, period: Period, now: number): Promise<DigestData> {
  const previous = previousPeriod(frequency, period)
  const { covered, more } = coveredSurveys(await listSurveys(db, site.id), settings)
  const surveys = await Promise.all(
    covered.map(async (survey) => {
      const query = { ...period, interval: 'day' as const, includeFlagged: false, comparison: { kind: 'previous' as const, ...previous } }
      return digestSurvey(await computeStats(db, site.id, survey, query, site.timezone))
    }),
  )
  return {
    site: { id: site.id, name: site.name, timezone: site.timezone },
    frequency,
    period,
    previous,
    // Surveys with answers first (in their order), so a short message spends its room on them.
    surveys: [...surveys.filter((survey) => survey.score.n > 0), ...surveys.filter((survey) => survey.score.n === 0)],
    moreSurveys: more,
    followUps: trimmed(await followUpMetrics(db, site.id, site.timezone, period, null, now)),
    computedAt: now,
  }
}
