import { describe, expect, it } from 'vitest'
import { seededRandom as random } from '../test/seeded-random.ts'
import { compareScores, npsInterval, summarize } from './scores.ts'

/**
 * Seeded simulations of what an operator relies on: that a "95%" NPS interval holds the true
 * NPS about 95% of the time, and that a change between two periods drawn from the same
 * customers is rarely called significant. docs/statistics.md reports the figures.
 */


/** n answers from a population with these shares of promoters and detractors. */
function draw(next: () => number, n: number, promoter: number, detractor: number) {
  let promoters = 0
  let detractors = 0
  for (let index = 0; index < n; index++) {
    const u = next()
    if (u < promoter) promoters++
    else if (u < promoter + detractor) detractors++
  }
  return { promoters, passives: n - promoters - detractors, detractors, n }
}

const asSummary = (sample: { promoters: number; passives: number; detractors: number }) =>
  summarize('nps', new Map([[10, sample.promoters], [8, sample.passives], [0, sample.detractors]]))

/** True shares of promoters and detractors, from gloomy to glowing, with and without many passives. */
const POPULATIONS: [promoter: number, detractor: number][] = [
  [0.1, 0.7], [0.2, 0.5], [0.3, 0.3], [0.33, 0.33], [0.4, 0.2], [0.5, 0.1], [0.6, 0.2], [0.7, 0.1], [0.8, 0.05], [0.9, 0.05], [0.2, 0.2], [0.05, 0.05],
]
const DRAWS = 2000

/**
 * Polarised populations, with no passives: half 0s and half 10s, and 70/30. The adjusted-Wald
 * interval adds 1½ passives, which shrinks its variance below the true 1 − NPS², and at n = 10
 * the 50/50 population is covered 89.1% of the time (exactly, by enumeration; about the same
 * in this simulation): the one documented exception to 90% (docs/statistics.md).
 */
const POLARISED: [promoter: number, detractor: number][] = [[0.5, 0.5], [0.7, 0.3]]
const EXCEPTION = { n: 10, promoter: 0.5, detractor: 0.5 }

describe('simulated samples', () => {
  it('the 95% NPS interval holds the true NPS at least 90% of the time from n = 10 on, but for the documented polarised exception', () => {
    const next = random(16)
    const coverage: { n: number; promoter: number; detractor: number; covered: number }[] = []
    for (const n of [10, 15, 20, 30, 50, 100, 200]) {
      for (const [promoter, detractor] of [...POPULATIONS, ...POLARISED]) {
        let covered = 0
        for (let run = 0; run < DRAWS; run++) {
          const sample = draw(next, n, promoter, detractor)
          const { low, high } = npsInterval(sample.promoters, sample.detractors, n)
          if (low <= promoter - detractor && promoter - detractor <= high) covered++
        }
        coverage.push({ n, promoter, detractor, covered: covered / DRAWS })
      }
    }
    const isException = (row: (typeof coverage)[number]) => row.n === EXCEPTION.n && row.promoter === EXCEPTION.promoter && row.detractor === EXCEPTION.detractor
    const others = coverage.filter((row) => !isException(row))
    const worst = others.reduce((low, row) => (row.covered < low.covered ? row : low))
    const mean = coverage.reduce((sum, row) => sum + row.covered, 0) / coverage.length
    const exception = coverage.find(isException)!
    console.info(
      `NPS interval coverage over ${coverage.length} populations × sizes, ${DRAWS} draws each: mean ${(mean * 100).toFixed(1)}%, lowest ${(worst.covered * 100).toFixed(1)}% (n = ${worst.n}, ${worst.promoter} promoters, ${worst.detractor} detractors) but for half 0s and half 10s at n = 10: ${(exception.covered * 100).toFixed(1)}%`,
    )
    for (const row of others) expect(row.covered, JSON.stringify(row)).toBeGreaterThanOrEqual(0.9)
    // The exception as documented: a method that fixes it should fail here, and the docs change with it.
    expect(exception.covered).toBeGreaterThan(0.86)
    expect(exception.covered).toBeLessThan(0.9)
  })

  it('a change between two periods of the same customers is called significant about 5% of the time, and never below 30 answers', () => {
    const next = random(61)
    const rates: { n: number; rate: number }[] = []
    for (const n of [5, 10, 20, 30, 50, 100, 300]) {
      let significant = 0
      let runs = 0
      for (const [promoter, detractor] of POPULATIONS) {
        for (let run = 0; run < DRAWS / 2; run++) {
          runs++
          if (compareScores(asSummary(draw(next, n, promoter, detractor)), asSummary(draw(next, n, promoter, detractor))).verdict === 'significant') significant++
        }
      }
      rates.push({ n, rate: significant / runs })
    }
    console.info(`False "significant" between periods of the same customers: ${rates.map(({ n, rate }) => `n = ${n}: ${(rate * 100).toFixed(1)}%`).join(', ')}`)
    for (const { n, rate } of rates) {
      if (n < 30) expect(rate).toBe(0)
      else expect(rate, `n = ${n}`).toBeLessThanOrEqual(0.07)
    }
  })

  it('still finds a real change: NPS 0 → 40 with 100 answers a period, at least 80% of the time', () => {
    const next = random(7)
    let found = 0
    for (let run = 0; run < DRAWS; run++) {
      const before = asSummary(draw(next, 100, 0.3, 0.3))
      const after = asSummary(draw(next, 100, 0.5, 0.1))
      if (compareScores(after, before).verdict === 'significant') found++
    }
    expect(found / DRAWS).toBeGreaterThanOrEqual(0.8)
  })
})
