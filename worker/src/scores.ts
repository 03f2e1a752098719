import type { SurveyType } from '../../sdk/protocol.ts'
import type { CsatSummary, NpsSummary, ScoreChange, ScoreSummary } from './stats-result.ts'

/**
 * NPS, CSAT and CES with intervals that stay honest at small n, and the test of a change
 * between two periods. docs/statistics.md gives the formulas, their sources and the measured
 * coverage; worker/src/scores.property.test.ts checks them against published libraries.
 */

/** How many answers gave each score: `counts.get(9) === 12`. */
export type ScoreCounts = ReadonlyMap<number, number>

/** z of a two-sided 95% interval. */
export const Z95 = 1.96

/**
 * Fewer answers than this in either period and a change is only "directional": at 5–10 answers
 * a z-test reports a change that is not there 8–12% of the time instead of 5%.
 */
export const MIN_ANSWERS_PER_PERIOD = 30

const round1 = (value: number): number => Math.round(value * 10) / 10

/** Promoters (9–10), passives (7–8) and detractors (0–6). */
export function npsCounts(counts: ScoreCounts): { promoters: number; passives: number; detractors: number; n: number } {
  let promoters = 0
  let passives = 0
  let detractors = 0
  for (const [score, n] of counts) {
    if (score >= 9) promoters += n
    else if (score >= 7) passives += n
    else detractors += n
  }
  return { promoters, passives, detractors, n: promoters + passives + detractors }
}

/**
 * The adjusted-Wald estimate of NPS (Rocks 2016, The American Statistician; Lewis & Sauro,
 * MeasuringU): ¾ of a promoter and ¾ of a detractor are added to the counts and 3 to n, so
 * three promoters no longer read as certain. `estimate` and `variance` are fractions, the
 * variance that of one answer scored +1 / 0 / −1.
 */
export function adjustedNps(promoters: number, detractors: number, n: number): { estimate: number; variance: number; n: number } {
  const adjustedN = n + 3
  const p = (promoters + 0.75) / adjustedN
  const d = (detractors + 0.75) / adjustedN
  return { estimate: p - d, variance: p + d - (p - d) ** 2, n: adjustedN }
}

/** The 95% adjusted-Wald interval of NPS as fractions, within −1…1, with its half-width before clipping. */
export function npsInterval(promoters: number, detractors: number, n: number): { low: number; high: number; halfWidth: number } {
  const { estimate, variance, n: adjustedN } = adjustedNps(promoters, detractors, n)
  const halfWidth = Z95 * Math.sqrt(variance / adjustedN)
  return { low: Math.max(-1, estimate - halfWidth), high: Math.min(1, estimate + halfWidth), halfWidth }
}

/** Wilson's 95% score interval of a proportion, as fractions. */
export function wilsonInterval(successes: number, n: number): [number, number] {
  const p = successes / n
  const z2 = Z95 * Z95
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n)
  const half = (Z95 / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  // At 0 and at n an end is exactly 0 or 1; the closed form gives it only up to rounding.
  return [successes === 0 ? 0 : Math.max(0, centre - half), successes === n ? 1 : Math.min(1, centre + half)]
}

/** NPS = %promoters − %detractors, with the shares and the 95% adjusted-Wald interval in points. */
export function npsSummary(counts: ScoreCounts): NpsSummary {
  const { promoters, passives, detractors, n } = npsCounts(counts)
  if (n === 0) return { score: null, promoters, passives, detractors, n, shares: null, margin: null, interval: null }
  const { low, high, halfWidth } = npsInterval(promoters, detractors, n)
  const share = (count: number) => round1((count / n) * 100)
  return {
    score: round1(((promoters - detractors) / n) * 100),
    promoters,
    passives,
    detractors,
    n,
    shares: { promoters: share(promoters), passives: share(passives), detractors: share(detractors) },
    margin: round1(halfWidth * 100),
    interval: [round1(low * 100), round1(high * 100)],
  }
}

/** Share of answers at or above `satisfiedFrom`, the mean, and a 95% Wilson interval in %. */
export function shareSummary(counts: ScoreCounts, satisfiedFrom: number): CsatSummary {
  let satisfied = 0
  let n = 0
  let total = 0
  for (const [score, count] of counts) {
    n += count
    total += score * count
    if (score >= satisfiedFrom) satisfied += count
  }
  if (n === 0) return { score: null, satisfied, mean: null, n, interval: null }
  const [low, high] = wilsonInterval(satisfied, n)
  return { score: round1((satisfied / n) * 100), satisfied, mean: Math.round((total / n) * 100) / 100, n, interval: [round1(low * 100), round1(high * 100)] }
}

/** Where the high band starts for a share survey: CSAT 4–5 of 1–5, CES 5–7 of 1–7. */
export const SATISFIED_FROM = { csat: 4, ces: 5 } as const

/** CSAT = % of answers 4–5 on 1–5. */
export const csatSummary = (counts: ScoreCounts): CsatSummary => shareSummary(counts, SATISFIED_FROM.csat)

/** The summary for a survey type, under its own key. */
export function summarize(type: SurveyType, counts: ScoreCounts): ScoreSummary {
  if (type === 'nps') return { nps: npsSummary(counts) }
  if (type === 'csat') return { csat: csatSummary(counts) }
  return { ces: shareSummary(counts, SATISFIED_FROM.ces) }
}

/** The headline score of a summary, whatever its type, with its 95% interval. */
export function headline(summary: ScoreSummary): { score: number | null; n: number; interval: [number, number] | null } {
  const main = summary.nps ?? summary.csat ?? summary.ces
  return { score: main?.score ?? null, n: main?.n ?? 0, interval: main?.interval ?? null }
}

/**
 * The upper tail of the standard normal, 1 − Φ(x) for x ≥ 0, by the complementary error
 * function (Numerical Recipes' Chebyshev fit, relative error below 1.2·10⁻⁷).
 */
function normalUpperTail(x: number): number {
  const z = x / Math.SQRT2
  const t = 1 / (1 + 0.5 * z)
  const poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
  return (t * Math.exp(poly)) / 2
}

/** Two-sided p of a z statistic. */
export const twoSidedP = (z: number): number => Math.min(1, 2 * normalUpperTail(Math.abs(z)))

/**
 * z of the difference between two NPS, each on its adjusted-Wald estimate with its own
 * variance (the adjustment keeps the standard error above 0 whatever the counts).
 */
export function npsChangeZ(a: { promoters: number; detractors: number; n: number }, b: { promoters: number; detractors: number; n: number }): number {
  const x = adjustedNps(a.promoters, a.detractors, a.n)
  const y = adjustedNps(b.promoters, b.detractors, b.n)
  return (x.estimate - y.estimate) / Math.sqrt(x.variance / x.n + y.variance / y.n)
}

/** z of the difference between two proportions, with the pooled standard error; 0 when neither varies. */
export function proportionChangeZ(a: { satisfied: number; n: number }, b: { satisfied: number; n: number }): number {
  const pooled = (a.satisfied + b.satisfied) / (a.n + b.n)
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n))
  return se === 0 ? 0 : (a.satisfied / a.n - b.satisfied / b.n) / se
}

/**
 * How `current` compares with `other`: the change in points and whether it is significant.
 * A period with fewer than {@link MIN_ANSWERS_PER_PERIOD} answers makes the change directional,
 * and no test runs; otherwise the change is significant when |z| > 1.96.
 */
export function compareScores(current: ScoreSummary, other: ScoreSummary): ScoreChange {
  const now = headline(current)
  const then = headline(other)
  const minAnswers = MIN_ANSWERS_PER_PERIOD
  if (now.score === null || then.score === null) return { change: null, verdict: null, significant: null, pValue: null, minAnswers }
  const change = round1(now.score - then.score)
  if (now.n < minAnswers || then.n < minAnswers) return { change, verdict: 'directional', significant: false, pValue: null, minAnswers }
  const share = (summary: ScoreSummary) => summary.csat ?? summary.ces
  const z = current.nps && other.nps ? npsChangeZ(current.nps, other.nps) : proportionChangeZ(share(current)!, share(other)!)
  const significant = Math.abs(z) > Z95
  return { change, verdict: significant ? 'significant' : 'not_significant', significant, pValue: Math.round(twoSidedP(z) * 10000) / 10000, minAnswers }
}
