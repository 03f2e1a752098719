import { adjustedNps, MIN_ANSWERS_PER_PERIOD, Z95 } from '../scores.ts'
import type { StatsResult } from '../stats-result.ts'

/** The margin an operator would like to reach, in points. */
export const TARGET_MARGIN = 5

/**
 * What the sample says about precision now, and how many answers an interval 2 × 5 points wide
 * would take. The intervals are not symmetric about the score (adjusted Wald, Wilson), so what
 * an operator reads is the score and the interval's ends, never "score ± margin".
 */
export interface SampleGuidance {
  n: number
  /** Half the width of the 95% interval now, in points: what the target is compared with; null without answers. */
  margin: number | null
  /**
   * Answers needed for an interval 2 × TARGET_MARGIN wide at the spread seen so far (the worst case without
   * answers), and never fewer than a period needs for a significance call: never 0.
   */
  needed: number
}

/**
 * The interval formulas solved for n (as Lewis & Sauro do for NPS): with m the target margin,
 * NPS needs n = 1.96²·v/m² − 3, where v is the adjusted-Wald variance p′ + d′ − (p′ − d′)²; a
 * share needs n = 1.96²·s′(1 − s′)/m² with s′ = (x + 2)/(n + 4). Both adjustments keep v above
 * 0, so three promoters no longer say "0 more needed". Without answers, the worst case: v = 1
 * for NPS (half promoters, half detractors), ¼ for a share.
 */
export function sampleGuidance(stats: StatsResult): SampleGuidance {
  let needed: number
  let n: number
  let margin: number | null
  const target = TARGET_MARGIN / 100
  if (stats.nps) {
    n = stats.nps.n
    const variance = n ? adjustedNps(stats.nps.promoters, stats.nps.detractors, n).variance : 1
    needed = (Z95 ** 2 * variance) / target ** 2 - 3
    margin = stats.nps.margin
  } else {
    const share = stats.csat ?? stats.ces
    n = share?.n ?? 0
    const s = share && n ? (share.satisfied + 2) / (n + 4) : 0.5
    needed = (Z95 ** 2 * s * (1 - s)) / target ** 2
    margin = share?.interval ? Math.round(((share.interval[1] - share.interval[0]) / 2) * 10) / 10 : null
  }
  return { n, margin, needed: Math.max(MIN_ANSWERS_PER_PERIOD, roundUpTwoDigits(Math.ceil(needed))) }
}

/** 378 → 380, 1537 → 1600: a planning figure, not a false precision. */
function roundUpTwoDigits(value: number): number {
  if (value < 100) return value
  const step = 10 ** (Math.floor(Math.log10(value)) - 1)
  return Math.ceil(value / step) * step
}
