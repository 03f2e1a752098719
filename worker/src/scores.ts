import type { CsatSummary, NpsSummary } from '../../sdk/protocol.ts'

/** How many answers gave each score: `counts.get(9) === 12`. */
export type ScoreCounts = ReadonlyMap<number, number>

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
  const margin = 1.96 * Math.sqrt((p + d - (p - d) ** 2) / n) * 100
  return { score: round1((p - d) * 100), promoters, passives, detractors, n, margin: round1(margin) }
}

/** CSAT = % of answers 4–5 on 1–5, the mean, and a 95% Wilson interval in %. */
export function csatSummary(counts: ScoreCounts): CsatSummary {
  let satisfied = 0
  let n = 0
  let total = 0
  for (const [score, count] of counts) {
    n += count
    total += score * count
    if (score >= 4) satisfied += count
  }
  if (n === 0) return { score: null, satisfied, mean: null, n, interval: null }
  const z = 1.96
  const p = satisfied / n
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n)
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))
  return {
    score: round1(p * 100),
    satisfied,
    mean: Math.round((total / n) * 100) / 100,
    n,
    interval: [round1(Math.max(0, centre - half) * 100), round1(Math.min(1, centre + half) * 100)],
  }
}
