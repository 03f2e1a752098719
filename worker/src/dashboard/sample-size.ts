import type { StatsResult } from '../stats-result.ts'

const Z95 = 1.96

/** The margin an operator would like to reach, in points. */
export const TARGET_MARGIN = 5

/** What the sample says about precision now, and how many answers ±5 points would take. */
export interface SampleGuidance {
  n: number
  /** Half-width of the 95% interval now, in points; null without answers. */
  margin: number | null
  /** Answers needed for ±TARGET_MARGIN at the spread seen so far (the worst case without answers). */
  needed: number
}

/**
 * From DESIGN.md: NPS margin = 1.96·√((p+d−(p−d)²)/n)·100, so n = 1.96²·(p+d−(p−d)²)/m².
 * For a share (CSAT, CES) the variance is s(1−s). Without answers the worst case is used:
 * variance 1 for NPS (half promoters, half detractors), ¼ for a share.
 */
export function sampleGuidance(stats: StatsResult): SampleGuidance {
  let variance: number
  let n: number
  let margin: number | null
  if (stats.nps) {
    n = stats.nps.n
    const p = n ? stats.nps.promoters / n : 0.5
    const d = n ? stats.nps.detractors / n : 0.5
    variance = p + d - (p - d) ** 2
    margin = stats.nps.margin
  } else {
    const share = stats.csat ?? stats.ces
    n = share?.n ?? 0
    const s = n && share ? share.satisfied / n : 0.5
    variance = s * (1 - s)
    margin = share?.interval ? Math.round(((share.interval[1] - share.interval[0]) / 2) * 10) / 10 : null
  }
  const target = TARGET_MARGIN / 100
  return { n, margin, needed: roundUpTwoDigits(Math.ceil((Z95 ** 2 * variance) / target ** 2)) }
}

/** 378 → 380, 1537 → 1600: a planning figure, not a false precision. */
function roundUpTwoDigits(value: number): number {
  if (value < 100) return value
  const step = 10 ** (Math.floor(Math.log10(value)) - 1)
  return Math.ceil(value / step) * step
}
