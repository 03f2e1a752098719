import { dayIn } from './dates.ts'
import type { TimezoneChange } from './stats-result.ts'

/**
 * A site's timezone changes, recorded by a trigger (migration 0009) whatever changes the zone.
 * Stored days are never re-bucketed: re-counting every answer of a site in one request would
 * cost as much as the site is large, and days already reported would move under the operator.
 * Instead the stats say from which day the new zone applies.
 */

/** The site's recorded changes, as `{ changes }` (JSON text). */
export function timezoneChangesStatement(db: D1Database, siteId: string): D1PreparedStatement {
  return db.prepare('SELECT timezone_changes AS changes FROM sites WHERE id = ?').bind(siteId)
}

type Recorded = { at: number; from: string; to: string }

const isRecorded = (value: unknown): value is Recorded => {
  const entry = value as Partial<Recorded> | null
  return typeof entry === 'object' && entry !== null && typeof entry.at === 'number' && typeof entry.from === 'string' && typeof entry.to === 'string'
}

/**
 * The changes that matter to `periods`: those after the first day of one of them, since some or
 * all of that period's days were then counted in an earlier zone. Oldest first.
 */
export function changesWithin(recorded: unknown, periods: readonly { from: string; to: string }[]): TimezoneChange[] {
  let entries: unknown
  try {
    entries = typeof recorded === 'string' ? JSON.parse(recorded) : []
  } catch {
    entries = []
  }
  if (!Array.isArray(entries)) return []
  const changes: TimezoneChange[] = []
  for (const entry of entries.filter(isRecorded)) {
    let day: string
    try {
      day = dayIn(entry.to, entry.at)
    } catch {
      // A zone this runtime no longer knows: nothing can be said about its days.
      continue
    }
    if (periods.some((period) => period.from < day)) changes.push({ day, from: entry.from, to: entry.to })
  }
  return changes
}
