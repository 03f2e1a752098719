import type { SurveyType } from '../../sdk/protocol.ts'

/**
 * What the operator API's `GET /v1/sites/{site}/stats` returns (the dashboard shows the same).
 * Types only, with no worker globals, so Node-side tests and scripts can import them too.
 * docs/statistics.md says how every figure is computed.
 */

/** Net Promoter Score summary with its 95% adjusted-Wald interval (in points). */
export interface NpsSummary {
  /** −100…100, or null when there are no answers. */
  score: number | null
  promoters: number
  passives: number
  detractors: number
  n: number
  /** % of answers that are promoters, passives and detractors (one decimal); null without answers. */
  shares: { promoters: number; passives: number; detractors: number } | null
  /**
   * Half the width of the 95% interval, in points. The adjusted-Wald interval is centred on the
   * adjusted estimate, not on `score`, so read its ends from `interval`.
   */
  margin: number | null
  /** 95% adjusted-Wald interval, in points, within −100…100. */
  interval: [number, number] | null
}

/**
 * CSAT or CES summary: % of answers in the high band (CSAT 4–5, CES 5–7), the mean
 * score and a 95% Wilson interval for that share (in %).
 */
export interface CsatSummary {
  /** 0…100, or null when there are no answers. */
  score: number | null
  satisfied: number
  mean: number | null
  n: number
  interval: [number, number] | null
}

/** The score of a survey, under its type's key: `nps` for NPS, `csat` for CSAT, `ces` for CES. */
export interface ScoreSummary {
  nps?: NpsSummary
  csat?: CsatSummary
  ces?: CsatSummary
}

/** A score with the group it was computed for: a time bucket, a checkpoint or a segment. */
export interface GroupSummary extends ScoreSummary {
  key: string
}

/** One dimension's ratings. */
export interface DimensionSummary {
  id: string
  n: number
  /** Mean rating, 1–5. */
  mean: number | null
}

/**
 * How a change between two periods reads:
 * - `significant`: both periods have at least `minAnswers` answers and the test says p < 0.05;
 * - `not_significant`: both have enough answers, and the change is within what chance makes;
 * - `directional`: a period has fewer than `minAnswers` answers, so no test is trusted;
 * - null: a period has no answers at all.
 */
export type ChangeVerdict = 'significant' | 'not_significant' | 'directional'

/** The outcome of comparing two periods' scores. */
export interface ScoreChange {
  /** This period's score minus the other one's, in points. */
  change: number | null
  verdict: ChangeVerdict | null
  /** Whether the change is significant at 95%: `verdict === 'significant'` (null when there is nothing to compare). */
  significant: boolean | null
  /** Two-sided p of the test (adjusted-Wald z for NPS, pooled two-proportion z for CSAT/CES); null when no test runs. */
  pValue: number | null
  /** Answers each period needs before a change can be called significant. */
  minAnswers: number
}

/** A correlation with its 95% confidence interval (Fisher's z). */
export interface Correlation {
  r: number
  interval: [number, number]
}

/** How one dimension's rating goes with the score. */
export interface KeyDriver {
  id: string
  /** Answers that gave this rating (every one of them has a score). */
  n: number
  /** Mean rating, 1–5; null without ratings. */
  mean: number | null
  /** Pearson's r of the rating with the score; null below `minAnswers` or when either does not vary. */
  withScore: Correlation | null
  /**
   * r of the rating with the outcome the headline counts: for NPS +1 promoter, 0 passive, −1
   * detractor (its mean is NPS / 100); for CSAT and CES 1 when satisfied, else 0.
   */
  withOutcome: Correlation | null
}

/**
 * Importance × performance in one sentence:
 * - `fix_first`: the rating that goes most with the score is also the lowest rated;
 * - `most_important`: the rating that goes most with the score, and (if another) the lowest rated;
 * - `no_clear_driver`: no rating's interval lies above 0;
 * - `not_enough_answers`: no rating has `minAnswers` answers yet.
 */
export interface DriverAdvice {
  /**
   * `fix_first` and `most_important` name one rating, which leads only when its 95% interval lies
   * above every other's; `tied` when intervals overlap the strongest one's, so none leads.
   */
  kind: 'fix_first' | 'most_important' | 'tied' | 'no_clear_driver' | 'not_enough_answers'
  /** The rating that matters most (the one to fix first, for `fix_first`); null when tied. */
  dimension: string | null
  /** The lowest-rated of the ratings with enough answers, when it is another one; for `tied`, the lowest-rated of the tied. */
  lowest: string | null
  /** For `tied`: the ratings that go with the score about equally, strongest r first; else empty. */
  tied: string[]
  /** The advice in English, with the dimensions' English labels. */
  statement: string
}

/** Which ratings move the score, from rollup sums alone. */
export interface KeyDrivers {
  minAnswers: number
  /** Every dimension of the survey, the strongest correlation with the score first. */
  drivers: KeyDriver[]
  advice: DriverAdvice
}

/** A change of the site's timezone that falls in a period: stored days before it are counted in `from`. */
export interface TimezoneChange {
  /** The first day counted in `to`, in `to`'s calendar. */
  day: string
  from: string
  to: string
}

/**
 * One tag's answers in a period: a theme of the comments (worker/src/themes.ts, from the tag
 * rollup). The score fields (`nps`, `csat` or `ces`) are the score of the answers carrying it.
 */
export interface Theme extends ScoreSummary {
  tag: string
  /** A kind (problem, suggestion, praise) or a topic (built-in or the site's own). */
  type: 'kind' | 'topic'
  /** Answers of the period whose comment carries the tag. */
  n: number
  /** Of them, the unhappy: detractors (NPS 0–6) or low scores (CSAT 1–3, CES 1–4). */
  unhappy: number
  /** unhappy / n in % (one decimal); null without answers. */
  unhappyShare: number | null
  /** The same answers in the period compared with. */
  previous: ScoreSummary & { n: number; unhappy: number; unhappyShare: number | null }
  /** This period's score of these answers minus the previous period's, tested like the headline's change. */
  change: ScoreChange
}

/**
 * A topic rising among unhappy answers: its share of the period's unhappy answers with a comment grew since
 * the period compared with. `verdict` says whether the rise is more than chance (a pooled
 * two-proportion z-test, run when both periods have `minAnswers` unhappy answers).
 */
export interface HotIssue {
  tag: string
  /** Unhappy answers carrying the topic, and their share of the unhappy answers with a comment (%, one decimal). */
  unhappy: number
  share: number
  previousUnhappy: number
  /** null when the period compared with had no unhappy answers. */
  previousShare: number | null
  /** share − previousShare, in points (previousShare 0 when null). */
  rise: number
  verdict: ChangeVerdict
  pValue: number | null
  minAnswers: number
}

/** Where re-tagging a site's comments stands (worker/src/retagging.ts): while it runs, older comments may carry older rules' tags. */
export interface TaggingProgress {
  /** `current`: every comment carries the tags of today's rules; `waiting`: a rules change is about to be applied; `retagging`: it is being applied, newest first. */
  state: 'current' | 'waiting' | 'retagging'
  /** Comments re-tagged so far, and how many there were when it started (null until the first batch). */
  done: number
  total: number | null
  /** While retagging: comments at or after this time (ISO) already carry today's rules' tags. */
  through: string | null
}

/** Themes and hot issues of a period (`themes` in the stats, and what digests read). */
export interface ThemesResult {
  from: string
  to: string
  /** The period compared with: the one given, or the days of the same length just before. */
  previous: { from: string; to: string }
  /** Answers in the period, and the unhappy among them. */
  answers: number
  unhappy: number
  /** The unhappy answers that came with a comment, in the period and the one compared with: the base of a hot issue's share. */
  unhappyCommented: number
  previousUnhappyCommented: number
  /** Every tag carried in either period, worst first: the lowest upper end of the score's 95% interval first. */
  themes: Theme[]
  /** Rising topics, those whose rise is significant first, then the largest rise. */
  hotIssues: HotIssue[]
  tagging: TaggingProgress
}

/** `GET /v1/sites/{site}/stats` body. */
export interface StatsResult extends ScoreSummary {
  survey: string
  type: SurveyType
  /** Inclusive days, in the site's timezone. */
  from: string
  to: string
  interval: 'day' | 'week' | 'month'
  /** Whether flagged answers (too fast, bots, repeats) were counted. */
  includesFlagged: boolean
  /** Flagged answers in the period and filters, counted or not. */
  flagged: number
  dimensions: DimensionSummary[]
  /** Weighted mean of the dimension means, scaled 0–100 (1 → 0, 5 → 100). */
  compositeIndex: number | null
  keyDrivers: KeyDrivers
  /**
   * Answers per card shown. Impressions carry no flags, so both sides count everything,
   * flagged or not, whatever `includesFlagged` says.
   */
  responseRate: { shown: number; answered: number; rate: number | null }
  goal: { target: number; met: boolean | null } | null
  series: GroupSummary[]
  /** Worst first: the lowest upper end of the 95% interval first, so a group of one answer does not lead. */
  byCheckpoint: GroupSummary[]
  bySegment: GroupSummary[]
  /** The site's timezone, and its changes after the first day of the period or the comparison period (stored days are never re-bucketed). */
  timezone: { zone: string; changes: TimezoneChange[] }
  /** The comments' tags: per tag its answers and their score, hot issues (compared with `comparison`'s period, else the one just before). */
  themes: ThemesResult
  comparison?: ScoreChange & {
    /** `previous`: the period of the same length just before; `chosen`: compareFrom–compareTo. */
    kind: 'previous' | 'chosen'
    from: string
    to: string
    previous: ScoreSummary
  }
}
