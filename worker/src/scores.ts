import type { SurveyType } from '../../sdk/protocol.ts'
import type { CsatSummary, NpsSummary, ScoreSummary } from './stats-result.ts'

/** How many answers gave each score: `counts.get(9) === 12`. */
export type ScoreCounts = ReadonlyMap<number, number>

const Z95 = 1.96
const round1 = (value: number): number => Math.round(value * 10) / 10

/** NPS = %promoters (9–10) − %detractors (0–6), with the 95% margin of error in points. */
export function npsSummary(counts: ScoreCounts): NpsSummary {
  let promoters = 0
  let passives = 0
  let detractors = 0
  for (const [score, n] of counts) {
    if (score >= 9) promoters += n
    else if (score >= 7) passives += n
    else detractors += n
  }
  const n = promoters + passives + detractors
  if (n === 0) return { score: null, promoters, passives, detractors, n, margin: null }
  const p = promoters / n
  const d = detractors / n
  return { score: round1((p - d) * 100), promoters, passives, detractors, n, margin: round1(Z95 * npsStandardError(p, d, n) * 100) }
}

/** Standard error of NPS as a fraction: √((p + d − (p − d)²) / n). */
function npsStandardError(p: number, d: number, n: number): number {
  return Math.sqrt((p + d - (p - d) ** 2) / n)
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
  const p = satisfied / n
  const z2 = Z95 * Z95
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n)
  const half = (Z95 / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  return {
    score: round1(p * 100),
    satisfied,
    mean: Math.round((total / n) * 100) / 100,
    n,
    interval: [round1(Math.max(0, centre - half) * 100), round1(Math.min(1, centre + half) * 100)],
  }
}

/** CSAT = % of answers 4–5 on 1–5. */
export const csatSummary = (counts: ScoreCounts): CsatSummary => shareSummary(counts, 4)

/** The summary for a survey type, under its own key. */
export function summarize(type: SurveyType, counts: ScoreCounts): ScoreSummary {
  if (type === 'nps') return { nps: npsSummary(counts) }
  if (type === 'csat') return { csat: csatSummary(counts) }
  return { ces: shareSummary(counts, 5) }
}

/** The headline score of a summary, whatever its type. */
export function headline(summary: ScoreSummary): { score: number | null; n: number } {
  const main = summary.nps ?? summary.csat ?? summary.ces
  return { score: main?.score ?? null, n: main?.n ?? 0 }
}

/**
 * Whether two periods' scores differ at 95%: a z-test on the difference of two NPS
 * (each with its own standard error), or of two proportions (CSAT, CES) with a pooled one.
 */
export function significantChange(current: ScoreSummary, previous: ScoreSummary): boolean | null {
  if (current.nps && previous.nps) {
    const a = current.nps
    const b = previous.nps
    if (!a.n || !b.n) return null
    const seA = npsStandardError(a.promoters / a.n, a.detractors / a.n, a.n)
    const seB = npsStandardError(b.promoters / b.n, b.detractors / b.n, b.n)
    const se = Math.sqrt(seA ** 2 + seB ** 2)
    const difference = (a.promoters - a.detractors) / a.n - (b.promoters - b.detractors) / b.n
    return se === 0 ? difference !== 0 : Math.abs(difference / se) > Z95
  }
  const a = current.csat ?? current.ces
  const b = previous.csat ?? previous.ces
  if (!a || !b || !a.n || !b.n) return null
  const pooled = (a.satisfied + b.satisfied) / (a.n + b.n)
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n))
  const difference = a.satisfied / a.n - b.satisfied / b.n
  return se === 0 ? difference !== 0 : Math.abs(difference / se) > Z95
}
