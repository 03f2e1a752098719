import { periodBounds } from './report-period.ts'
import { wilsonInterval } from './scores.ts'
import type { Period } from './stats.ts'

/**
 * The follow-up loop measured for a period of days in the site's timezone: how many follow-ups
 * were opened, resolved and left overdue, how long the team took to act on them and to resolve
 * them, and the share resolved inside the survey's SLA; overall, per assignee and per checkpoint.
 * Read from the follow-ups themselves, two queries, each finding its rows through indexes by ranges the
 * period bounds (never every follow-up of the site).
 *
 * Each figure counts the events that happened in the period:
 * - `opened`: follow-ups opened in it; `resolved`: follow-ups resolved in it;
 * - `overdue`: follow-ups not resolved and past their due time at the period's end (or now, for
 *   a period still running);
 * - `sla`: follow-ups that fell due in the period (so far), and how many of them were resolved by
 *   their due time: each follow-up is judged once, in the period it falls due in;
 * - `firstAction`: the median time from the answer to the first operator action (a status, an
 *   assignee or a note), over the first actions taken in the period;
 * - `resolve`: the median time from the answer to its resolution, over resolutions in the period.
 * Assignees are the current ones: a follow-up handed over counts for whoever holds it now.
 */

/** A median duration over `n` follow-ups, in hours (one decimal); null when n is 0. */
export interface DurationSummary {
  n: number
  medianHours: number | null
}

/** Follow-ups that fell due, and the share resolved in time, with its 95% Wilson interval (in %). */
export interface SlaShare {
  due: number
  inTime: number
  rate: number | null
  interval: [number, number] | null
}

export interface FollowUpFigures {
  opened: number
  resolved: number
  overdue: number
  sla: SlaShare
  firstAction: DurationSummary
  resolve: DurationSummary
}

/** The figures of one assignee (`''`: nobody) or one checkpoint (`''`: none). */
export interface FollowUpGroup extends FollowUpFigures {
  key: string
}

/** `GET /v1/sites/{site}/follow-ups/metrics` body. */
export interface FollowUpMetrics extends FollowUpFigures {
  from: string
  to: string
  /** The survey they are narrowed to, or null for every survey of the site. */
  survey: string | null
  /** Lowest share resolved in time first (groups with none due last), then by name. */
  byAssignee: FollowUpGroup[]
  byCheckpoint: FollowUpGroup[]
}

const HOUR_MS = 3600_000
const round1 = (value: number): number => Math.round(value * 10) / 10

/**
 * The follow-ups of `?1` site (`?5` survey or NULL) whose rowids `candidates` lists, with what
 * they are grouped by (none of a survey being deleted).
 */
const rowsOf = (candidates: string) => `SELECT f.created_at, f.due_at, f.first_action_at, f.resolved_at, COALESCE(f.assignee, '') AS assignee, COALESCE(r.checkpoint, '') AS checkpoint
  FROM (${candidates}) c JOIN follow_ups f ON f.rowid = c.id LEFT JOIN responses r ON r.site_id = f.site_id AND r.id = f.response_id
  WHERE (?5 IS NULL OR f.survey_id = ?5) AND EXISTS (SELECT 1 FROM surveys s WHERE s.site_id = f.site_id AND s.id = f.survey_id)`

/** The rowids of a site's follow-ups matching `condition`, found through the index it names a range of. */
const ids = (condition: string) => `SELECT rowid AS id FROM follow_ups WHERE site_id = ?1 AND ${condition}`

/**
 * Every follow-up a count may need, each found through an index by a range the period bounds
 * (`?2` start, `?3` end, `?4` the earlier of its end and now): opened, falling due or resolved in
 * the period, and overdue at `?4` (due by then and not resolved by then: still open, which
 * `resolved_at IS NULL` and `status` say alike (follow-ups.ts sets one with the other), or
 * resolved after it). worker/test/follow-up-query-plans.test.ts reads SQLite's plan of each.
 */
const COUNTED = [
  ids('created_at >= ?2 AND created_at < ?3'),
  ids('due_at >= ?2 AND due_at < ?4'),
  ids('resolved_at >= ?2 AND resolved_at < ?3'),
  ids("status IN ('open', 'in_progress') AND due_at < ?4"),
  ids('resolved_at >= ?4 AND due_at < ?4'),
].join(' UNION ')

/** Each row three times: for the total (dim ''), for its assignee and for its checkpoint. */
const grouped = (source: string, columns: string) =>
  `SELECT '' AS dim, '' AS k, ${columns} FROM ${source} UNION ALL SELECT 'assignee', assignee, ${columns} FROM ${source} UNION ALL SELECT 'checkpoint', checkpoint, ${columns} FROM ${source}`

const COUNTS = `WITH picked AS MATERIALIZED (${rowsOf(COUNTED)}),
  g AS (${grouped('picked', 'created_at, due_at, resolved_at')})
  SELECT dim, k,
    SUM(created_at >= ?2 AND created_at < ?3) AS opened,
    SUM(resolved_at IS NOT NULL AND resolved_at >= ?2 AND resolved_at < ?3) AS resolved,
    SUM(created_at < ?4 AND due_at < ?4 AND (resolved_at IS NULL OR resolved_at >= ?4)) AS overdue,
    SUM(due_at >= ?2 AND due_at < ?4) AS due,
    SUM(due_at >= ?2 AND due_at < ?4 AND resolved_at IS NOT NULL AND resolved_at <= due_at) AS in_time
  FROM g GROUP BY dim, k`

/** Medians by window functions over the first actions and resolutions in the period: the middle row, or the mean of the two middle rows. */
const MEDIANS = `WITH d AS (SELECT 'firstAction' AS metric, MAX(0, first_action_at - created_at) AS v, assignee, checkpoint FROM (${rowsOf(ids('first_action_at >= ?2 AND first_action_at < ?3'))})
    UNION ALL SELECT 'resolve', MAX(0, resolved_at - created_at), assignee, checkpoint FROM (${rowsOf(ids('resolved_at >= ?2 AND resolved_at < ?3'))})),
  g AS (SELECT metric, '' AS dim, '' AS k, v FROM d UNION ALL SELECT metric, 'assignee', assignee, v FROM d UNION ALL SELECT metric, 'checkpoint', checkpoint, v FROM d),
  o AS (SELECT metric, dim, k, v, ROW_NUMBER() OVER (PARTITION BY metric, dim, k ORDER BY v) AS i, COUNT(*) OVER (PARTITION BY metric, dim, k) AS n FROM g)
  SELECT metric, dim, k, n, AVG(v) AS median FROM o WHERE i IN ((n + 1) / 2, (n + 2) / 2) GROUP BY metric, dim, k, n`

type CountRow = { dim: string; k: string; opened: number; resolved: number; overdue: number; due: number; in_time: number }
type MedianRow = { metric: 'firstAction' | 'resolve'; dim: string; k: string; n: number; median: number }

const none = (): DurationSummary => ({ n: 0, medianHours: null })

function slaShare(due: number, inTime: number): SlaShare {
  if (due === 0) return { due, inTime, rate: null, interval: null }
  const [low, high] = wilsonInterval(inTime, due)
  return { due, inTime, rate: round1((inTime / due) * 100), interval: [round1(low * 100), round1(high * 100)] }
}

const emptyFigures = (): FollowUpFigures => ({ opened: 0, resolved: 0, overdue: 0, sla: slaShare(0, 0), firstAction: none(), resolve: none() })

/** Lowest share in time first, groups with nothing due after them, then by name. */
const worstFirst = (a: FollowUpGroup, b: FollowUpGroup): number =>
  (a.sla.rate ?? Infinity) - (b.sla.rate ?? Infinity) || a.key.localeCompare(b.key)

/** The follow-ups of a site (or one survey) in a period of days in `timezone`, as of `now`. */
export async function followUpMetrics(db: D1Database, siteId: string, timezone: string, period: Period, surveyId: string | null, now: number): Promise<FollowUpMetrics> {
  const { start, end } = periodBounds(timezone, period)
  const asOf = Math.min(end, now)
  const [counts, medians] = await db.batch<Record<string, unknown>>([
    db.prepare(COUNTS).bind(siteId, start, end, asOf, surveyId),
    db.prepare(MEDIANS).bind(siteId, start, end, asOf, surveyId),
  ])
  const groups = new Map<string, FollowUpGroup & { dim: string }>()
  const groupOf = (dim: string, key: string) => {
    const id = `${dim}\u0000${key}`
    if (!groups.has(id)) groups.set(id, { dim, key, ...emptyFigures() })
    return groups.get(id)!
  }
  for (const row of (counts?.results ?? []) as CountRow[]) {
    const group = groupOf(row.dim, row.k)
    group.opened = Number(row.opened)
    group.resolved = Number(row.resolved)
    group.overdue = Number(row.overdue)
    group.sla = slaShare(Number(row.due), Number(row.in_time))
  }
  for (const row of (medians?.results ?? []) as MedianRow[]) {
    groupOf(row.dim, row.k)[row.metric] = { n: Number(row.n), medianHours: round1(Number(row.median) / HOUR_MS) }
  }
  const { dim: _dim, key: _key, ...total } = groupOf('', '')
  const list = (dim: string) =>
    [...groups.values()]
      .filter((group) => group.dim === dim)
      .map(({ dim: _, ...group }) => group)
      .sort(worstFirst)
  return { from: period.from, to: period.to, survey: surveyId, ...total, byAssignee: list('assignee'), byCheckpoint: list('checkpoint') }
}
