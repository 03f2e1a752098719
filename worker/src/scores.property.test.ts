import fc from 'fast-check'
import jStat from 'jstat'
import { describe, expect, it } from 'vitest'
import { adjustedNps, compareScores, csatSummary, npsSummary, proportionChangeZ, twoSidedP, wilsonInterval } from './scores.ts'

/**
 * The score math against independent references: jStat (npm `jstat`) for the normal
 * distribution, means, variances and the two-proportion test, and the definition of each
 * interval rather than its closed form. fast-check runs are seeded, so failures repeat.
 */
const SEED = 20261201

const countsOf = (scores: number[]) => {
  const counts = new Map<number, number>()
  for (const score of scores) counts.set(score, (counts.get(score) ?? 0) + 1)
  return counts
}

/** The p of a two-sided z-test at z = 1.96: what a 95% interval's ends must give. */
const P_AT_196 = 2 * (1 - jStat.normal.cdf(1.96, 0, 1))

describe('Wilson interval', () => {
  it('has at each end a proportion that Pearson’s score test rejects at exactly p = 0.05 (its definition), and inside none', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n }))), ([n, successes]) => {
        const [low, high] = wilsonInterval(successes, n)
        const observed = successes / n
        // The score test of H0: p = p0 uses the standard error under p0, √(p0(1 − p0)/n).
        const scoreTestP = (p0: number) => jStat.ztest((observed - p0) / Math.sqrt((p0 * (1 - p0)) / n), 2)
        if (successes > 0) expect(scoreTestP(low)).toBeCloseTo(P_AT_196, 9)
        if (successes < n) expect(scoreTestP(high)).toBeCloseTo(P_AT_196, 9)
        expect(scoreTestP((low + high) / 2)).toBeGreaterThan(0.05)
        expect(low).toBeLessThanOrEqual(observed)
        expect(high).toBeGreaterThanOrEqual(observed)
      }),
      { numRuns: 500, seed: SEED },
    )
  })

  it('gives the intervals of Newcombe (1998), Statistics in Medicine 17:857, table I, method 3', () => {
    const cases: [number, number, number, number][] = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ]
    for (const [successes, n, low, high] of cases) {
      const [gotLow, gotHigh] = wilsonInterval(successes, n)
      expect(gotLow).toBeCloseTo(low, 4)
      expect(gotHigh).toBeCloseTo(high, 4)
    }
  })

  it('is what the CSAT summary reports, with the share and mean of a recount', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 500 }), (scores) => {
        const summary = csatSummary(countsOf(scores))
        const satisfied = scores.filter((score) => score >= 4).length
        const [low, high] = wilsonInterval(satisfied, scores.length)
        expect(summary.score).toBeCloseTo((satisfied / scores.length) * 100, 1)
        expect(summary.mean).toBeCloseTo(jStat.mean(scores), 2)
        expect(summary.interval![0]).toBeCloseTo(low * 100, 1)
        expect(summary.interval![1]).toBeCloseTo(high * 100, 1)
      }),
      { numRuns: 300, seed: SEED },
    )
  })
})

describe('two-proportion test (CSAT, CES)', () => {
  it('gives the p of jStat’s pooled two-proportion z-test', () => {
    const period = fc.integer({ min: 1, max: 3000 }).chain((n) => fc.record({ n: fc.constant(n), satisfied: fc.integer({ min: 1, max: n }) }))
    fc.assert(
      fc.property(period, period, (a, b) => {
        // jStat refuses a proportion of 0 and divides by 0 when both are 1.
        fc.pre(!(a.satisfied === a.n && b.satisfied === b.n))
        const reference = jStat.fn.twoSidedDifferenceOfProportions(a.satisfied / a.n, a.n, b.satisfied / b.n, b.n)
        expect(twoSidedP(proportionChangeZ(a, b))).toBeCloseTo(reference, 6)
      }),
      { numRuns: 500, seed: SEED },
    )
  })

  it('turns z into the two-sided p of jStat’s z-test', () => {
    fc.assert(
      fc.property(fc.double({ min: -8, max: 8, noNaN: true }), (z) => {
        expect(twoSidedP(z)).toBeCloseTo(jStat.ztest(z, 2), 6)
      }),
      { numRuns: 500, seed: SEED },
    )
  })

  it('calls a change significant only when both periods have 30 answers and p < 0.05', () => {
    const period = fc.integer({ min: 1, max: 400 }).chain((n) => fc.record({ n: fc.constant(n), satisfied: fc.integer({ min: 1, max: n }) }))
    fc.assert(
      fc.property(period, period, (a, b) => {
        fc.pre(!(a.satisfied === a.n && b.satisfied === b.n))
        const summary = ({ n, satisfied }: { n: number; satisfied: number }) => ({ csat: csatSummary(new Map([[5, satisfied], [1, n - satisfied]])) })
        const change = compareScores(summary(a), summary(b))
        const p = jStat.fn.twoSidedDifferenceOfProportions(a.satisfied / a.n, a.n, b.satisfied / b.n, b.n)
        if (a.n < 30 || b.n < 30) expect(change.verdict).toBe('directional')
        else if (Math.abs(p - 0.05) > 1e-6) expect(change.verdict).toBe(p < 0.05 ? 'significant' : 'not_significant')
        expect(change.significant).toBe(change.verdict === 'significant')
      }),
      { numRuns: 500, seed: SEED },
    )
  })
})

describe('NPS, adjusted Wald', () => {
  /**
   * Worked by hand from the recipe of Rocks (2016) and Lewis & Sauro (MeasuringU, 2021): n′ = n + 3,
   * p′ = (P + ¾)/n′, d′ = (D + ¾)/n′, NPS′ = p′ − d′, v = p′ + d′ − NPS′², interval NPS′ ± 1.96·√(v/n′).
   */
  it.each([
    // 3 promoters: n′ 6, p′ .625, d′ .125, NPS′ .5, v .5, half-width 1.96·√(.5/6) = .5658. Wald said ±0.
    [{ promoters: 3, passives: 0, detractors: 0 }, { score: 100, margin: 56.6, interval: [-6.6, 100] }],
    // 1 detractor: n′ 4, p′ .1875, d′ .4375, NPS′ −.25, v .5625, half-width 1.96·.375 = .735.
    [{ promoters: 0, passives: 0, detractors: 1 }, { score: -100, margin: 73.5, interval: [-98.5, 48.5] }],
    // 10 passives: p′ = d′ = .75/13, v = .1154, half-width 1.96·√(.1154/13) = .1847.
    [{ promoters: 0, passives: 10, detractors: 0 }, { score: 0, margin: 18.5, interval: [-18.5, 18.5] }],
    // 50/30/20: n′ 103, p′ .49272, d′ .20146, NPS′ .29126, v .60934, half-width .15075.
    [{ promoters: 50, passives: 30, detractors: 20 }, { score: 30, margin: 15.1, interval: [14.1, 44.2] }],
  ] as const)('%o', (counts, expected) => {
    const summary = npsSummary(new Map([[10, counts.promoters], [8, counts.passives], [3, counts.detractors]]))
    expect(summary).toMatchObject({ ...expected, interval: [...expected.interval] })
  })

  it('is the trinomial-means interval of the data with ¾ promoter, 1½ passive and ¾ detractor added (mean and variance by jStat)', () => {
    fc.assert(
      fc.property(fc.nat(60), fc.nat(60), fc.nat(60), (promoters, passives, detractors) => {
        // Four copies of every answer plus 3 promoters, 6 passives and 3 detractors: the same proportions, in whole answers.
        const pseudo = [...Array(4 * promoters + 3).fill(1), ...Array(4 * passives + 6).fill(0), ...Array(4 * detractors + 3).fill(-1)]
        const n = promoters + passives + detractors
        const adjusted = adjustedNps(promoters, detractors, n)
        expect(adjusted.estimate).toBeCloseTo(jStat.mean(pseudo), 12)
        expect(adjusted.variance).toBeCloseTo(jStat.variance(pseudo, false), 12)
        if (n === 0) return
        const summary = npsSummary(new Map([[9, promoters], [7, passives], [0, detractors]]))
        const half = 1.96 * Math.sqrt(jStat.variance(pseudo, false) / (n + 3))
        expect(summary.margin!).toBeCloseTo(half * 100, 1)
        expect(summary.interval![0]).toBeCloseTo(Math.max(-1, jStat.mean(pseudo) - half) * 100, 1)
        expect(summary.interval![1]).toBeCloseTo(Math.min(1, jStat.mean(pseudo) + half) * 100, 1)
      }),
      { numRuns: 300, seed: SEED },
    )
  })

  it('reports the score, counts and shares of a recount of the raw answers', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 500 }), (scores) => {
        const summary = npsSummary(countsOf(scores))
        const values = scores.map((score) => (score >= 9 ? 1 : score <= 6 ? -1 : 0))
        const share = (value: number) => (values.filter((v) => v === value).length / scores.length) * 100
        expect(summary.n).toBe(scores.length)
        expect(summary.score).toBeCloseTo(jStat.mean(values) * 100, 1)
        expect(summary.shares).toEqual({ promoters: Math.round(share(1) * 10) / 10, passives: Math.round(share(0) * 10) / 10, detractors: Math.round(share(-1) * 10) / 10 })
        expect(summary.interval![0]).toBeLessThan(summary.interval![1])
        expect(summary.margin!).toBeGreaterThan(0)
      }),
      { numRuns: 300, seed: SEED },
    )
  })

  it('never calls 1 v 1, 2 v 2 or 3 v 3 significant (Fisher’s exact test: p = 1, 0.33, 0.10), and says why', () => {
    for (const k of [1, 2, 3]) {
      const now = { nps: npsSummary(new Map([[10, k]])) }
      const before = { nps: npsSummary(new Map([[0, k]])) }
      expect(compareScores(now, before)).toMatchObject({ change: 200, verdict: 'directional', significant: false, pValue: null, minAnswers: 30 })
    }
  })
})
