import { Hono } from 'hono'
import { dayIn } from '../dates.ts'
import { RequestError } from '../errors.ts'
import { findSurvey } from '../surveys.ts'
import { computeStats, parseStatsQuery } from '../stats.ts'
import { loadSite, operatorAuth, type SiteEnv } from './middleware.ts'

/**
 * `GET /v1/sites/:site/stats?survey=&checkpoint=&segment=&from=&to=&interval=&flagged=include`
 * with `compare=previous`, or `compareFrom=&compareTo=` for a period of the operator's choosing:
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
  return c.json(await computeStats(c.env.DB, site.id, survey, query, site.timezone))
})
