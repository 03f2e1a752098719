import { Hono } from 'hono'
import { operatorAuth } from '../auth.ts'
import { addDays, dayIn, daysBetween, isDay, type Interval } from '../dates.ts'
import { RequestError } from '../errors.ts'
import { loadSite, type SiteEnv } from '../site-context.ts'
import { findSurvey } from '../sites.ts'
import { computeStats, type StatsQuery } from '../stats.ts'

const MAX_DAYS = 3 * 366

/**
 * `GET /v1/sites/:site/stats?survey=&checkpoint=&segment=&from=&to=&interval=&compare=previous&flagged=include`:
 * scores from rollup rows, never from raw responses. Default period: the last 30 days.
 */
export const statsRoutes = new Hono<SiteEnv>()

statsRoutes.get('/:site/stats', loadSite, operatorAuth, async (c) => {
  const site = c.var.site
  const surveyId = c.req.query('survey')
  if (!surveyId) throw new RequestError(400, 'missing_field', 'survey is required, e.g. ?survey=post-purchase-nps', 'survey')
  const survey = await findSurvey(c.env.DB, site.id, surveyId)
  if (!survey) throw new RequestError(404, 'unknown_survey', `no survey ${surveyId} on this site`, 'survey')
  const query = parseStatsQuery(new URL(c.req.url).searchParams, dayIn(site.timezone, Date.now()))
  c.header('cache-control', 'no-store')
  return c.json(await computeStats(c.env.DB, site.id, survey, query))
})

/** Reads the period and filters; `today` is in the site's timezone. */
export function parseStatsQuery(params: URLSearchParams, today: string): StatsQuery {
  const to = params.get('to') ?? today
  const from = params.get('from') ?? addDays(to, -29)
  for (const [field, day] of [['from', from], ['to', to]] as const) {
    if (!isDay(day)) throw new RequestError(400, 'invalid_field', `${field} must be a date as YYYY-MM-DD`, field)
  }
  if (from > to) throw new RequestError(400, 'invalid_field', 'from must not be after to', 'from')
  if (daysBetween(from, to) > MAX_DAYS) throw new RequestError(400, 'invalid_field', `a period may span at most ${MAX_DAYS} days`, 'from')
  const interval = params.get('interval') ?? (daysBetween(from, to) > 92 ? 'week' : 'day')
  if (interval !== 'day' && interval !== 'week' && interval !== 'month') {
    throw new RequestError(400, 'invalid_field', 'interval must be one of day, week, month', 'interval')
  }
  const compare = params.get('compare')
  if (compare !== null && compare !== 'previous') throw new RequestError(400, 'invalid_field', 'compare must be previous', 'compare')
  const flagged = params.get('flagged')
  if (flagged !== null && flagged !== 'include' && flagged !== 'exclude') {
    throw new RequestError(400, 'invalid_field', 'flagged must be include or exclude', 'flagged')
  }
  return {
    from,
    to,
    interval: interval as Interval,
    checkpoint: params.get('checkpoint') ?? undefined,
    segment: params.get('segment') ?? undefined,
    includeFlagged: flagged === 'include',
    compare: compare === 'previous',
  }
}
