import { Hono } from 'hono'
import { dayIn } from '../dates.ts'
import { RequestError } from '../errors.ts'
import { followUpMetrics } from '../follow-up-metrics.ts'
import { parseStatsQuery } from '../stats.ts'
import { findSurvey } from '../surveys.ts'
import { loadSite, operatorAuth, type SiteEnv } from './middleware.ts'

/**
 * `GET /v1/sites/:site/follow-ups/metrics?from=&to=&survey=`: the follow-up loop measured for a
 * period (the stats' defaults and checks: the 30 days up to today), for one survey or all.
 */
export const followUpMetricRoutes = new Hono<SiteEnv>()

followUpMetricRoutes.get('/:site/follow-ups/metrics', loadSite, operatorAuth, async (c) => {
  const site = c.var.site
  const params = new URL(c.req.url).searchParams
  // The period is read by the stats' own parser, so a period means the same here and is checked the same way.
  const period = parseStatsQuery(new URLSearchParams([...params].filter(([name]) => name === 'from' || name === 'to')), dayIn(site.timezone, Date.now()))
  const surveyId = params.get('survey')
  if (surveyId !== null && !(await findSurvey(c.env.DB, site.id, surveyId))) throw new RequestError(404, 'unknown_survey', `no survey ${surveyId} on this site`, 'survey')
  c.header('cache-control', 'no-store')
  return c.json(await followUpMetrics(c.env.DB, site.id, site.timezone, { from: period.from, to: period.to }, surveyId, Date.now()))
})
