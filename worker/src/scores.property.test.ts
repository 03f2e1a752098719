import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { csatSummary, npsSummary } from './scores.ts'

const countsOf = (scores: number[]) => {
  const counts = new Map<number, number>()
  for (const score of scores) counts.set(score, (counts.get(score) ?? 0) + 1)
  return counts
}

/** The slow way: each answer is +1 (promoter), 0 or −1 (detractor); NPS is their mean, its error their spread. */
function referenceNps(scores: number[]) {
  const values = scores.map((score): number => (score >= 9 ? 1 : score <= 6 ? -1 : 0))
  const n = values.length
  const mean = values.reduce((sum, value) => sum + value, 0) / n
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / n
  return { score: mean * 100, margin: 1.96 * Math.sqrt(variance / n) * 100 }
}

/** The slow way: Wilson's interval written as in his paper. */
function referenceCsat(scores: number[]) {
  const n = scores.length
  const p = scores.filter((score) => score >= 4).length / n
  const z = 1.96
  const low = (p + (z * z) / (2 * n) - z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n)
  const high = (p + (z * z) / (2 * n) + z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n)
  return { score: p * 100, mean: scores.reduce((sum, score) => sum + score, 0) / n, low: low * 100, high: high * 100 }
}

describe('score math against a slow reference', () => {
  it('NPS and its margin of error', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 500 }), (scores) => {
        const fast = npsSummary(countsOf(scores))
        const slow = referenceNps(scores)
        expect(fast.n).toBe(scores.length)
        expect(fast.promoters + fast.passives + fast.detractors).toBe(scores.length)
        expect(Math.abs(fast.score! - slow.score)).toBeLessThanOrEqual(0.05 + 1e-9)
        expect(Math.abs(fast.margin! - slow.margin)).toBeLessThanOrEqual(0.05 + 1e-9)
        expect(fast.score!).toBeGreaterThanOrEqual(-100)
        expect(fast.score!).toBeLessThanOrEqual(100)
      }),
      { numRuns: 300 },
    )
  })

  it('CSAT, its mean and its Wilson interval', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 500 }), (scores) => {
        const fast = csatSummary(countsOf(scores))
        const slow = referenceCsat(scores)
        expect(Math.abs(fast.score! - slow.score)).toBeLessThanOrEqual(0.05 + 1e-9)
        expect(Math.abs(fast.mean! - slow.mean)).toBeLessThanOrEqual(0.005 + 1e-9)
        expect(Math.abs(fast.interval![0] - slow.low)).toBeLessThanOrEqual(0.05 + 1e-9)
        expect(Math.abs(fast.interval![1] - slow.high)).toBeLessThanOrEqual(0.05 + 1e-9)
        expect(fast.interval![0]).toBeLessThanOrEqual(fast.score!)
        expect(fast.interval![1]).toBeGreaterThanOrEqual(fast.score!)
      }),
      { numRuns: 300 },
    )
  })
})
