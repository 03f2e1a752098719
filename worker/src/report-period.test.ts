import { describe, expect, it } from 'vitest'
import { instantAt, periodBounds, periodOf, previousPeriod } from './report-period.ts'

/** The day and hour a zone's clock shows at an instant, read by Intl: the reference the conversion must agree with. */
const wallClock = (zone: string, at: number) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at)

describe('calendar periods', () => {
  it('are days, ISO weeks from Monday and calendar months, each with the one before', () => {
    expect(periodOf('daily', '2026-03-01')).toEqual({ from: '2026-03-01', to: '2026-03-01' })
    expect(periodOf('weekly', '2026-03-01')).toEqual({ from: '2026-02-23', to: '2026-03-01' })
    expect(periodOf('weekly', '2026-12-31')).toEqual({ from: '2026-12-28', to: '2027-01-03' })
    expect(periodOf('monthly', '2024-02-29')).toEqual({ from: '2024-02-01', to: '2024-02-29' })
    expect(periodOf('monthly', '2026-12-15')).toEqual({ from: '2026-12-01', to: '2026-12-31' })
    expect(previousPeriod('monthly', { from: '2026-03-01', to: '2026-03-31' })).toEqual({ from: '2026-02-01', to: '2026-02-28' })
    expect(previousPeriod('monthly', { from: '2026-01-01', to: '2026-01-31' })).toEqual({ from: '2025-12-01', to: '2025-12-31' })
    expect(previousPeriod('weekly', { from: '2026-03-02', to: '2026-03-08' })).toEqual({ from: '2026-02-23', to: '2026-03-01' })
  })

  it('begin at the zone’s own midnight, through DST switches and in zones off the hour', () => {
    const cases: [string, string, number][] = [
      ['America/New_York', '2026-03-08', 0], // the day clocks go forward at 02:00
      ['America/New_York', '2026-03-08', 8],
      ['America/New_York', '2026-11-01', 8], // and back
      ['Europe/London', '2026-03-29', 0],
      ['Asia/Shanghai', '2026-03-01', 0],
      ['Asia/Kolkata', '2026-03-01', 8],
      ['Asia/Kathmandu', '2026-03-01', 0],
      ['Pacific/Chatham', '2026-04-05', 8],
      ['UTC', '2026-03-01', 23],
    ]
    for (const [zone, day, hour] of cases) {
      const at = instantAt(zone, day, hour)
      expect(wallClock(zone, at), `${zone} ${day} ${hour}`).toBe(`${day} ${String(hour).padStart(2, '0')}:00`)
      // A minute before is still the hour before (or the day before at midnight).
      expect(wallClock(zone, at - 60_000) < wallClock(zone, at), `${zone} ${day} ${hour}`).toBe(true)
    }
    // New York's 8 March has 23 hours; its 1 November has 25.
    const short = periodBounds('America/New_York', { from: '2026-03-08', to: '2026-03-08' })
    expect((short.end - short.start) / 3600_000).toBe(23)
    const long = periodBounds('America/New_York', { from: '2026-11-01', to: '2026-11-01' })
    expect((long.end - long.start) / 3600_000).toBe(25)
  })
})
