/** Calendar arithmetic on `YYYY-MM-DD` days, in UTC so no zone or DST shifts a day; and the day an instant falls on in a zone. */
const DAY_MS = 24 * 3600 * 1000

const toTime = (day: string): number => Date.parse(`${day}T00:00:00Z`)
const toDay = (time: number): string => new Date(time).toISOString().slice(0, 10)

export function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const time = toTime(value)
  // Date.parse rolls nothing over: 2026-13-01 is NaN, and 2026-02-30 would not round-trip.
  return !Number.isNaN(time) && toDay(time) === value
}

export const addDays = (day: string, days: number): string => toDay(toTime(day) + days * DAY_MS)

/** Days from `from` to `to`, both included. */
export const daysBetween = (from: string, to: string): number => Math.round((toTime(to) - toTime(from)) / DAY_MS) + 1

/** `YYYY-MM-DD` of an instant in a timezone: the day an answer counts on in its site's rollups. */
export function dayIn(timezone: string, at: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at)
}

export type Interval = 'day' | 'week' | 'month'

/** The bucket a day falls in: itself, the Monday starting its ISO week, or its month. */
export function bucketOf(day: string, interval: Interval): string {
  if (interval === 'day') return day
  if (interval === 'month') return day.slice(0, 7)
  const weekday = (new Date(toTime(day)).getUTCDay() + 6) % 7
  return addDays(day, -weekday)
}

/** Every bucket from `from` to `to`, in order, so a chart has no gaps. */
export function bucketsBetween(from: string, to: string, interval: Interval): string[] {
  const buckets: string[] = []
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const bucket = bucketOf(day, interval)
    if (buckets.at(-1) !== bucket) buckets.push(bucket)
  }
  return buckets
}
