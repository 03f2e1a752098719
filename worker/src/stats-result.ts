import type { SurveyType } from '../../sdk/protocol.ts'

/**
 * What the operator API's `GET /v1/sites/{site}/stats` returns (the dashboard shows the same).
 * Types only, with no worker globals, so Node-side tests and scripts can import them too.
 */

/** Net Promoter Score summary with its 95% margin of error (in points). */
export interface NpsSummary {
  /** −100…100, or null when there are no answers. */
  score: number | null
  promoters: number
  passives: number
  detractors: number
  n: number
  margin: number | null
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
  dimensions: DimensionSummary[]
  /** Weighted mean of the dimension means, scaled 0–100 (1 → 0, 5 → 100). */
  compositeIndex: number | null
  responseRate: { shown: number; answered: number; rate: number | null }
  goal: { target: number; met: boolean | null } | null
  series: GroupSummary[]
  byCheckpoint: GroupSummary[]
  bySegment: GroupSummary[]
  comparison?: {
    from: string
    to: string
    previous: ScoreSummary
    /** This period's score minus the previous one's, in points. */
    change: number | null
    /** Whether the change is significant at 95%. */
    significant: boolean | null
  }
}

