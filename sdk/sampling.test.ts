import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { inSample, unitHash } from './sampling.ts'
import { uuid } from './uuid.ts'

describe('sampling', () => {
  it('gives a visitor the same answer for a survey on every call (a reload never re-rolls)', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.string(), fc.double({ min: 0, max: 1, noNaN: true }), (visitor, survey, rate) => {
        const first = inSample({ default: rate }, 'other', visitor, survey)
        expect(inSample({ default: rate }, 'other', visitor, survey)).toBe(first)
      }),
    )
  })

  it('hashes into [0, 1)', () => {
    fc.assert(fc.property(fc.string(), (key) => unitHash(key) >= 0 && unitHash(key) < 1))
  })

  it('samples about the share asked for, per segment, with `default` for the rest', () => {
    const visitors = Array.from({ length: 20_000 }, uuid)
    const share = (segment: string) =>
      visitors.filter((visitor) => inSample({ key: 1, new: 0.1, default: 0.5 }, segment, visitor, 'post-purchase-nps')).length / visitors.length
    expect(share('key')).toBe(1)
    expect(share('new')).toBeCloseTo(0.1, 1)
    expect(share('other')).toBeCloseTo(0.5, 1)
  })

  it('asks everyone when the survey has no sampling, and no one at rate 0', () => {
    expect(inSample(undefined, 'other', 'v', 's')).toBe(true)
    expect(inSample({ default: 0 }, 'other', 'v', 's')).toBe(false)
  })
})
