/** Calendar arithmetic on `YYYY-MM-DD` days, in UTC so no zone or DST shifts a day; and the day an instant falls on in a zone. */
const DAY_MS = 24 * 3600 * 1000

/**
 * The days a period may name. Nothing was answered before 2000, and past 2100 the arithmetic
 * below would leave four-digit years (JavaScript writes year 10000 as `+010000`, which sorts
 * before `9999` and once made a day loop endless).
 */
export const FIRST_DAY = '2000-01-01'
export const LAST_DAY = '2100-12-31'

/** The most days one period may span: three years. */
export const MAX_PERIOD_DAYS = 3 * 366

const toTime = (day: string): number => Date.parse(`${day}T00:00:00Z`)
const toDay = (time: number): string => new Date(time).toISOString().slice(0, 10)

/** A real calendar day written `YYYY-MM-DD`, from {@link FIRST_DAY} to {@link LAST_DAY}. */
export function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || value < FIRST_DAY || value > LAST_DAY) return false
  const time = toTime(value)
  // Date.parse rolls nothing over: 2026-13-01 is NaN, and 2026-02-30 would not round-trip.
  return !Number.isNaN(time) && toDay(time) === value
}

/** What a day field must be, for error messages. */
export const DAY_RULE = `a date as YYYY-MM-DD from ${FIRST_DAY} to ${LAST_DAY}`

export const addDays = (day: string, days: number): string => toDay(toTime(day) + days * DAY_MS)

/** Days from `from` to `to`, both included. */
export const daysBetween = (from: string, to: string): number => Math.round((toTime(to) - toTime(from)) / DAY_MS) + 1

/** `YYYY-MM-DD` of an instant in a timezone: the day an answer counts on in its site's rollups. */
export function dayIn(timezone: string, at: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at)
}

/** `YYYY-MM-DD HH:mm` of an instant in a timezone, as the dashboard prints times. */
export function timeIn(timezone: string, at: number): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at)
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((candidate) => candidate.type === type)?.value ?? ''
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`
}

export type Interval = 'day' | 'week' | 'month'

/** The bucket a day falls in: itself, the Monday starting its ISO week, or its month. */
export function bucketOf(day: string, interval: Interval): string {
  if (interval === 'day') return day
  if (interval === 'month') return day.slice(0, 7)
  const weekday = (new Date(toTime(day)).getUTCDay() + 6) % 7
  return addDays(day, -weekday)
}

/**
 * Every bucket from `from` to `to`, in order, so a chart has no gaps. The loop counts days
 * instead of comparing strings, and stops at {@link MAX_PERIOD_DAYS} whatever it is given.
 */
export function bucketsBetween(from: string, to: string, interval: Interval): string[] {
  const buckets: string[] = []
  const days = Math.min(daysBetween(from, to), MAX_PERIOD_DAYS)
  for (let index = 0; index < days; index++) {
    const bucket = bucketOf(addDays(from, index), interval)
    if (buckets.at(-1) !== bucket) buckets.push(bucket)
  }
  return buckets
}
