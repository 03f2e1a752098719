import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { csatSummary, npsSummary } from './scores.ts'

/**
 * The score math against references that do not repeat its formulas: recounts from the raw
 * answers, the Wilson interval's published values (Newcombe 1998) and its definition as the
 * inverted score test. Every random input is seeded, so a run is the same every time.
 */
const SEED = 20_261_201
const Z = 1.96

const countsOf = (scores: number[]) => {
  const counts = new Map<number, number>()
  for (const score of scores) counts.set(score, (counts.get(score) ?? 0) + 1)
  return counts
}

/** NPS recounted from the answers: each is +1 (promoter), 0 or −1 (detractor); NPS is their mean, its Wald error their spread over √n. */
function recountNps(scores: number[]) {
  const values = scores.map((score): number => (score >= 9 ? 1 : score <= 6 ? -1 : 0))
  const n = values.length
  const mean = values.reduce((sum, value) => sum + value, 0) / n
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / n
  return { score: mean * 100, margin: Z * Math.sqrt(variance / n) * 100, promoters: values.filter((value) => value === 1).length }
}

/** Whether the score test at 95% accepts `p0` for `satisfied` of `n`: the Wilson interval is exactly the set it accepts. */
const scoreTestAccepts = (satisfied: number, n: number, p0: number) => Math.abs(satisfied / n - p0) <= Z * Math.sqrt((p0 * (1 - p0)) / n)

describe('NPS against a recount of the answers', () => {
  it('has the recounted score, bands and Wald margin', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 500 }), (scores) => {
        const summary = npsSummary(countsOf(scores))
        const recount = recountNps(scores)
        expect(summary.n).toBe(scores.length)
        expect(summary.promoters).toBe(recount.promoters)
        expect(summary.promoters + summary.passives + summary.detractors).toBe(scores.length)
        // Both are rounded to a tenth of a point.
        expect(Math.abs(summary.score! - recount.score)).toBeLessThanOrEqual(0.05 + 1e-9)
        expect(Math.abs(summary.margin! - recount.margin)).toBeLessThanOrEqual(0.05 + 1e-9)
      }),
      { seed: SEED, numRuns: 300 },
    )
  })
})

describe('CSAT against published values and the definition of the Wilson interval', () => {
  it.each([
    // Newcombe, "Two-sided confidence intervals for the single proportion", Statistics in Medicine 17 (1998),
    // method 3 (score interval without continuity correction), as proportions to four places.
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i of %i satisfied: the published %s–%s', (satisfied, n, low, high) => {
    const counts = new Map([[5, satisfied], [2, n - satisfied]].filter(([, count]) => count! > 0) as [number, number][])
    const [ourLow, ourHigh] = csatSummary(counts).interval!
    // Ours is rounded to 0.1 %, the paper's to 0.01 %.
    expect(Math.abs(ourLow - low * 100)).toBeLessThanOrEqual(0.055)
    expect(Math.abs(ourHigh - high * 100)).toBeLessThanOrEqual(0.055)
  })

  it('has the recounted share and mean, and bounds where the score test turns', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 500 }), (scores) => {
        const summary = csatSummary(countsOf(scores))
        const n = scores.length
        const satisfied = scores.filter((score) => score >= 4).length
        expect(summary.satisfied).toBe(satisfied)
        expect(Math.abs(summary.score! - (satisfied / n) * 100)).toBeLessThanOrEqual(0.05 + 1e-9)
        expect(Math.abs(summary.mean! - scores.reduce((sum, score) => sum + score, 0) / n)).toBeLessThanOrEqual(0.005 + 1e-9)
        // Bounds are rounded to 0.1 %: a tenth inside each is accepted, a tenth outside rejected.
        const [low, high] = summary.interval!.map((bound) => bound / 100) as [number, number]
        const step = 0.001
        if (low + step < high - step) {
          expect(scoreTestAccepts(satisfied, n, low + step)).toBe(true)
          expect(scoreTestAccepts(satisfied, n, high - step)).toBe(true)
        }
        if (low - step > 0) expect(scoreTestAccepts(satisfied, n, low - step)).toBe(false)
        if (high + step < 1) expect(scoreTestAccepts(satisfied, n, high + step)).toBe(false)
      }),
      { seed: SEED, numRuns: 300 },
    )
  })
})
