import { addDays, bucketOf, timeIn, type Interval } from './dates.ts'
import type { Period } from './stats.ts'

/**
 * Calendar periods in a site's timezone, as digests and reports count them: a day, an ISO week
 * (Monday to Sunday) or a calendar month, and the instants where a site's days begin, so rows
 * stamped in milliseconds (follow-ups) are counted on the same days as the rollups.
 */

export type DigestFrequency = 'daily' | 'weekly' | 'monthly'

export const FREQUENCIES: readonly DigestFrequency[] = ['daily', 'weekly', 'monthly']

const INTERVAL: Record<DigestFrequency, Interval> = { daily: 'day', weekly: 'week', monthly: 'month' }

/** The period of this frequency that holds `day`. */
export function periodOf(frequency: DigestFrequency, day: string): Period {
  const from = frequency === 'monthly' ? `${day.slice(0, 7)}-01` : bucketOf(day, INTERVAL[frequency])
  const next = frequency === 'daily' ? addDays(from, 1) : frequency === 'weekly' ? addDays(from, 7) : nextMonth(from)
  return { from, to: addDays(next, -1) }
}

/** The period of the same frequency just before this one (for a month: the calendar month before). */
export const previousPeriod = (frequency: DigestFrequency, period: Period): Period => periodOf(frequency, addDays(period.from, -1))

function nextMonth(firstDay: string): string {
  const year = Number(firstDay.slice(0, 4))
  const month = Number(firstDay.slice(5, 7))
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`
}

/** How far `zone`'s wall clock is ahead of UTC at `at`, in ms (to the minute: no zone in use today offsets by seconds). */
function offsetAt(zone: string, at: number): number {
  return Date.parse(`${timeIn(zone, at).replace(' ', 'T')}:00Z`) - Math.floor(at / 60_000) * 60_000
}

/**
 * The instant `zone`'s wall clock reads `day` at `hour`:00. Two passes, so an offset that changes
 * between the guess and the answer (a DST switch that day) is taken at the answer; a wall time
 * that a switch skips resolves to the hour after it.
 */
export function instantAt(zone: string, day: string, hour = 0): number {
  const wall = Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00Z`)
  const first = wall - offsetAt(zone, wall)
  return wall - offsetAt(zone, first)
}

/** The instants a period of days covers in `zone`: from its first midnight to the midnight after it. */
export const periodBounds = (zone: string, period: Period): { start: number; end: number } => ({
  start: instantAt(zone, period.from),
  end: instantAt(zone, addDays(period.to, 1)),
})
