import pcorrtest from '@stdlib/stats-pcorrtest'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { DriverRow } from './rollups.ts'
import { keyDrivers, MIN_DRIVER_ANSWERS, outcomeOf } from './key-drivers.ts'
import type { Survey } from './surveys.ts'

const survey = (type: Survey['type'], ids: string[]): Survey =>
  ({ id: 's', type, checkpoints: ['c'], question: { en: 'q' }, dimensions: ids.map((id) => ({ id, label: { en: id === 'delivery' ? 'Delivery speed' : id === 'product' ? 'Product quality' : id } })) }) as Survey

/** What the driver rollup holds for these answers: per dimension and score, n, Σ rating, Σ rating². */
function rollupOf(answers: { score: number; ratings: Record<string, number> }[]): DriverRow[] {
  const rows = new Map<string, DriverRow>()
  for (const { score, ratings } of answers) {
    for (const [dimension, rating] of Object.entries(ratings)) {
      const key = `${dimension}|${score}`
      const row = rows.get(key) ?? { dimension, score, n: 0, total: 0, squares: 0 }
      row.n += 1
      row.total += rating
      row.squares += rating * rating
      rows.set(key, row)
    }
  }
  return [...rows.values()]
}

describe('key drivers from rollup sums', () => {
  it('give Pearson’s r and its Fisher-z interval as @stdlib/stats-pcorrtest does on the raw pairs', () => {
    const answer = fc.record({ score: fc.integer({ min: 0, max: 10 }), rating: fc.integer({ min: 1, max: 5 }) })
    fc.assert(
      fc.property(fc.array(answer, { minLength: MIN_DRIVER_ANSWERS, maxLength: 400 }), (answers) => {
        const ratings = answers.map((a) => a.rating)
        const scores = answers.map((a) => a.score)
        const outcomes = scores.map((score) => outcomeOf('nps', score))
        const varies = (values: number[]) => new Set(values).size > 1
        fc.pre(varies(ratings) && varies(scores) && varies(outcomes))
        const [driver] = keyDrivers(survey('nps', ['delivery']), rollupOf(answers.map(({ score, rating }) => ({ score, ratings: { delivery: rating } })))).drivers
        for (const [got, y] of [[driver!.withScore, scores], [driver!.withOutcome, outcomes]] as const) {
          const reference = pcorrtest(ratings, y)
          expect(got!.r).toBeCloseTo(reference.pcorr, 3)
          // pcorrtest takes z from the normal quantile (1.95996…), the worker 1.96.
          expect(Math.abs(got!.interval[0] - reference.ci[0]!)).toBeLessThan(0.002)
          expect(Math.abs(got!.interval[1] - reference.ci[1]!)).toBeLessThan(0.002)
        }
        expect(driver!.n).toBe(answers.length)
        expect(Math.abs(driver!.mean! - ratings.reduce((sum, r) => sum + r, 0) / ratings.length)).toBeLessThanOrEqual(0.005 + 1e-9)
      }),
      { numRuns: 200, seed: 4242 },
    )
  })

  it('find the rating that drives the score in seeded data, and say to fix it first when it is also the lowest', () => {
    // Score follows delivery closely (delivery rated low), product is rated high but unrelated.
    let state = 99
    const next = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648)
    const answers = Array.from({ length: 200 }, () => {
      const delivery = 1 + Math.floor(next() * 3.5)
      const product = 3 + Math.floor(next() * 3)
      const score = Math.max(0, Math.min(10, 2 * delivery + Math.round(next() * 4 - 1)))
      return { score, ratings: { delivery, product } }
    })
    const result = keyDrivers(survey('nps', ['product', 'delivery']), rollupOf(answers))
    expect(result.drivers.map((driver) => driver.id)).toEqual(['delivery', 'product'])
    const [delivery, product] = result.drivers
    expect(delivery!.withScore!.r).toBeGreaterThan(0.8)
    expect(delivery!.withScore!.interval[0]).toBeGreaterThan(0.7)
    expect(Math.abs(product!.withScore!.r)).toBeLessThan(0.2)
    expect(product!.withScore!.interval[0]).toBeLessThan(0)
    // Delivery's interval lies wholly above product's: its lead is meaningful, so it is named first.
    expect(delivery!.withScore!.interval[0]).toBeGreaterThan(product!.withScore!.interval[1])
    expect(result.advice).toEqual({ kind: 'fix_first', dimension: 'delivery', lowest: null, tied: [], statement: 'Delivery speed matters most and scores lowest: fix it first.' })
  })

  it('name the lowest rating apart when it is not the one that matters most', () => {
    let state = 7
    const next = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648)
    const answers = Array.from({ length: 120 }, () => {
      const product = 1 + Math.floor(next() * 5)
      const delivery = 1 + Math.floor(next() * 2)
      return { score: Math.max(0, Math.min(10, 2 * product + Math.round(next() * 2 - 1))), ratings: { product, delivery } }
    })
    const { advice } = keyDrivers(survey('nps', ['product', 'delivery']), rollupOf(answers))
    expect(advice).toMatchObject({ kind: 'most_important', dimension: 'product', lowest: 'delivery' })
    expect(advice.statement).toMatch(/^Product quality matters most \(\d\.\d+ \/ 5\); Delivery speed scores lowest \(\d\.\d+ \/ 5\) but matters less\.$/)
  })

  it('call a near-tie a tie: no rating is named first while its interval overlaps another’s', () => {
    // Score follows delivery and product with equal weight; delivery is rated lower. The old advice
    // named whichever r came out a hair higher ("fix it first") though the data cannot tell them apart.
    let state = 2024
    const next = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648)
    const answers = Array.from({ length: 150 }, () => {
      const delivery = 1 + Math.floor(next() * 3)
      const product = 3 + Math.floor(next() * 3)
      const score = Math.max(0, Math.min(10, delivery + product - 2 + Math.round(next() * 4 - 2)))
      return { score, ratings: { delivery, product } }
    })
    const result = keyDrivers(survey('nps', ['product', 'delivery']), rollupOf(answers))
    const [first, second] = result.drivers
    expect(first!.withScore!.interval[0]).toBeGreaterThan(0)
    // Delivery's r comes out a little higher, and it is rated lowest: what the old advice called "fix it first".
    expect(first!.id).toBe('delivery')
    expect(first!.withScore!.r).toBeGreaterThan(second!.withScore!.r)
    // The intervals overlap (recomputed by @stdlib/stats-pcorrtest from the raw pairs, not the worker's own code).
    const raw = (id: string) => pcorrtest(answers.map((a) => (a.ratings as Record<string, number>)[id]!), answers.map((a) => a.score))
    expect(raw(first!.id).ci[0]!).toBeLessThanOrEqual(raw(second!.id).ci[1]!)
    expect(result.advice).toEqual({
      kind: 'tied',
      dimension: null,
      lowest: 'delivery',
      tied: [first!.id, second!.id],
      statement: `Delivery speed and Product quality are tied: none goes with the score clearly more than the others (their intervals overlap). Of them, Delivery speed scores lowest (${result.drivers.find((d) => d.id === 'delivery')!.mean} / 5).`,
    })
  })

  it('name the leader when its interval clears the others, even with two tied behind it', () => {
    let state = 5
    const next = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648)
    const answers = Array.from({ length: 300 }, () => {
      const delivery = 1 + Math.floor(next() * 5)
      const product = 1 + Math.floor(next() * 5)
      const support = 1 + Math.floor(next() * 5)
      const score = Math.max(0, Math.min(10, Math.round(1.6 * delivery + 0.3 * product + 0.3 * support - 1 + next() * 2)))
      return { score, ratings: { delivery, product, support } }
    })
    const result = keyDrivers(survey('nps', ['product', 'support', 'delivery']), rollupOf(answers))
    const [leader, ...rest] = result.drivers
    expect(leader!.id).toBe('delivery')
    for (const other of rest) expect(pcorrtest(answers.map((a) => a.ratings.delivery!), answers.map((a) => a.score)).ci[0]!).toBeGreaterThan(other.withScore!.interval[1])
    expect(result.advice).toMatchObject({ dimension: 'delivery', tied: [] })
    expect(['fix_first', 'most_important']).toContain(result.advice.kind)
  })

  it('say nothing below the minimum n, and nothing firm when no rating goes with the score', () => {
    const few = Array.from({ length: MIN_DRIVER_ANSWERS - 1 }, (_, i) => ({ score: i % 11, ratings: { delivery: 1 + (i % 5) } }))
    const thin = keyDrivers(survey('nps', ['delivery']), rollupOf(few))
    expect(thin.drivers[0]).toMatchObject({ n: MIN_DRIVER_ANSWERS - 1, withScore: null, withOutcome: null })
    expect(thin.advice.kind).toBe('not_enough_answers')
    // Ratings that cycle independently of the scores: r about 0.
    const unrelated = Array.from({ length: 110 }, (_, i) => ({ score: i % 11, ratings: { delivery: 1 + (Math.floor(i / 11) % 5) } }))
    expect(keyDrivers(survey('nps', ['delivery']), rollupOf(unrelated)).advice.kind).toBe('no_clear_driver')
    // A rating everyone gives alike has no correlation at all.
    const flat = Array.from({ length: 40 }, (_, i) => ({ score: i % 11, ratings: { delivery: 4 } }))
    expect(keyDrivers(survey('nps', ['delivery']), rollupOf(flat)).drivers[0]!.withScore).toBeNull()
  })

  it('count the outcome of a CSAT survey as satisfied (4–5) or not', () => {
    expect([1, 2, 3, 4, 5].map((score) => outcomeOf('csat', score))).toEqual([0, 0, 0, 1, 1])
    expect([4, 5].map((score) => outcomeOf('ces', score))).toEqual([0, 1])
    expect([0, 6, 7, 8, 9, 10].map((score) => outcomeOf('nps', score))).toEqual([-1, -1, 0, 0, 1, 1])
  })
})
