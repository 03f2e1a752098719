import { describe, expect, it } from 'vitest'
import { csatSummary, npsSummary } from './scores.ts'

describe('npsSummary', () => {
  it('is %promoters − %detractors with the 95% margin of error', () => {
    // 50 promoters, 30 passives, 20 detractors: NPS 30; margin 1.96·√((0.5+0.2−0.09)/100)·100 ≈ 15.3
    const summary = npsSummary(new Map([[10, 50], [8, 30], [2, 20]]))
    expect(summary).toEqual({ score: 30, promoters: 50, passives: 30, detractors: 20, n: 100, margin: 15.3 })
  })

  it('puts 6 with the detractors and 7 with the passives', () => {
    expect(npsSummary(new Map([[6, 1], [7, 1], [9, 1]]))).toMatchObject({ detractors: 1, passives: 1, promoters: 1 })
  })

  it('has no score without answers', () => {
    expect(npsSummary(new Map())).toEqual({ score: null, promoters: 0, passives: 0, detractors: 0, n: 0, margin: null })
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
