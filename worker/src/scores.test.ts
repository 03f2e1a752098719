import { describe, expect, it } from 'vitest'
import { compareScores, csatSummary, npsSummary, summarize } from './scores.ts'

describe('npsSummary', () => {
  it('is %promoters − %detractors, with the shares and the 95% adjusted-Wald interval', () => {
    const summary = npsSummary(new Map([[10, 50], [8, 30], [2, 20]]))
    expect(summary).toEqual({
      score: 30,
      promoters: 50,
      passives: 30,
      detractors: 20,
      n: 100,
      shares: { promoters: 50, passives: 30, detractors: 20 },
      margin: 15.1,
      interval: [14.1, 44.2],
    })
  })

  it('puts 6 with the detractors and 7 with the passives', () => {
    expect(npsSummary(new Map([[6, 1], [7, 1], [9, 1]]))).toMatchObject({ detractors: 1, passives: 1, promoters: 1 })
  })

  it('has no score without answers', () => {
    expect(npsSummary(new Map())).toEqual({ score: null, promoters: 0, passives: 0, detractors: 0, n: 0, shares: null, margin: null, interval: null })
  })

  it('never reads three promoters as ±0', () => {
    expect(npsSummary(new Map([[10, 3]]))).toMatchObject({ score: 100, margin: 56.6, interval: [-6.6, 100] })
  })
})

describe('csatSummary', () => {
  it('is the share of 4–5 answers, with the mean and a Wilson interval', () => {
    const summary = csatSummary(new Map([[5, 6], [4, 2], [2, 2]]))
    expect(summary.score).toBe(80)
    expect(summary.mean).toBe(4.2)
    // Wilson 95% for 8/10: 49.0%–94.3%
    expect(summary.interval).toEqual([49, 94.3])
  })
})

describe('compareScores', () => {
  const nps = (promoters: number, passives: number, detractors: number) => summarize('nps', new Map([[10, promoters], [8, passives], [0, detractors]]))

  it('calls a large change between two periods of 60 significant, with its p', () => {
    const change = compareScores(nps(50, 10, 0), nps(20, 20, 20))
    expect(change).toMatchObject({ change: 83.3, verdict: 'significant', significant: true, minAnswers: 30 })
    expect(change.pValue).toBeLessThan(0.0001)
  })

  it('calls a small change between large periods not significant', () => {
    expect(compareScores(nps(42, 30, 28), nps(40, 30, 30))).toMatchObject({ change: 4, verdict: 'not_significant', significant: false })
  })

  it('says "directional" below 30 answers in either period, however large the change', () => {
    expect(compareScores(nps(29, 0, 0), nps(0, 0, 100))).toMatchObject({ change: 200, verdict: 'directional', significant: false, pValue: null })
  })

  it('has nothing to say when a period has no answers', () => {
    expect(compareScores(nps(10, 0, 0), nps(0, 0, 0))).toMatchObject({ change: null, verdict: null, significant: null })
  })

  it('tests CSAT with the two-proportion test', () => {
    const csat = (high: number, low: number) => summarize('csat', new Map([[5, high], [1, low]]))
    expect(compareScores(csat(45, 5), csat(25, 25))).toMatchObject({ verdict: 'significant', change: 40 })
    expect(compareScores(csat(40, 10), csat(40, 10))).toMatchObject({ verdict: 'not_significant', change: 0, pValue: 1 })
  })
})
