import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { nextSlot, PACES, robotOf, type Pace } from './pacing.ts'

/** The reference: step forward a millisecond at a time until every window has room. */
function firstFreeByScan(pace: Pace, attempts: number[], now: number): number {
  const fits = (t: number) =>
    (pace.perMinute === undefined || attempts.filter((a) => a > t - 60_000 && a <= t).length < pace.perMinute) &&
    (pace.perSecond === undefined || attempts.filter((a) => a > t - 1000 && a <= t).length < pace.perSecond)
  let t = now
  while (!fits(t)) t++
  return t
}

describe('pacing', () => {
  it('finds the first moment every window has room, as a millisecond scan does', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.values(PACES)), fc.array(fc.integer({ min: 0, max: 90_000 }), { maxLength: 40 }), (pace, offsets) => {
        const now = 100_000
        const attempts = offsets.map((offset) => now - offset)
        expect(nextSlot(pace, attempts, now)).toBe(firstFreeByScan(pace, attempts, now))
      }),
      { seed: 1414, numRuns: 150 },
    )
  })

  it('lets 20 go at once to WeCom, the 21st a minute after the first', () => {
    const attempts = Array.from({ length: 20 }, (_, n) => 1000 + n)
    expect(nextSlot(PACES.wecom, attempts.slice(0, 19), 2000)).toBe(2000)
    expect(nextSlot(PACES.wecom, attempts, 2000)).toBe(61_000)
  })

  it('keys a robot by its URL as the platform reads it, whatever webhook posts to it', async () => {
    const robot = await robotOf('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc')
    expect(await robotOf('https://QYAPI.weixin.qq.com:443/cgi-bin/webhook/send?key=abc#team')).toBe(robot)
    expect(await robotOf('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abd')).not.toBe(robot)
  })
})
