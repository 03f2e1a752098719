import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { inSample, unitHash } from './sampling.ts'

// Seeded: every run draws the same visitors, so a pass is a pass every time.
const SEED = 20_260_601

describe('sampling', () => {
  it('gives a visitor the same answer for a survey on every call (a reload never re-rolls)', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.string(), fc.double({ min: 0, max: 1, noNaN: true }), (visitor, survey, rate) => {
        const first = inSample({ default: rate }, 'other', visitor, survey)
        expect(inSample({ default: rate }, 'other', visitor, survey)).toBe(first)
      }),
      { seed: SEED },
    )
  })

  it('hashes into [0, 1)', () => {
    fc.assert(fc.property(fc.string(), (key) => unitHash(key) >= 0 && unitHash(key) < 1), { seed: SEED })
  })

  it('samples about the share asked for, per segment, with `default` for the rest', () => {
    const visitors = fc.sample(fc.uuid({ version: 4 }), { numRuns: 20_000, seed: SEED })
    const share = (segment: string) =>
      visitors.filter((visitor) => inSample({ key: 1, new: 0.1, default: 0.5 }, segment, visitor, 'post-purchase-nps')).length / visitors.length
    expect(share('key')).toBe(1)
    // 20,000 draws: the binomial standard error is at most 0.0035, so 0.01 is about three of them.
    expect(Math.abs(share('new') - 0.1)).toBeLessThan(0.01)
    expect(Math.abs(share('other') - 0.5)).toBeLessThan(0.01)
  })

  it('asks everyone when the survey has no sampling, and no one at rate 0', () => {
    expect(inSample(undefined, 'other', 'v', 's')).toBe(true)
    expect(inSample({ default: 0 }, 'other', 'v', 's')).toBe(false)
  })
})
