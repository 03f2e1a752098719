import { Hono } from 'hono'
import { dayIn } from '../dates.ts'
import { RequestError } from '../errors.ts'
import { buildReport, parseReportQuery } from '../report.ts'
import { findSurvey } from '../surveys.ts'
import { loadSite, operatorAuth, type SiteEnv } from './middleware.ts'

/**
 * `GET /v1/sites/:site/report?survey=&from=&to=`: what the printable report (`/dashboard/report`)
 * shows, as JSON. Takes the stats API's parameters; compared with the previous period unless
 * `compareFrom` and `compareTo` choose another.
 */
export const reportRoutes = new Hono<SiteEnv>()

reportRoutes.get('/:site/report', loadSite, operatorAuth, async (c) => {
  const site = c.var.site
  const surveyId = c.req.query('survey')
  if (!surveyId) throw new RequestError(400, 'missing_field', 'survey is required, e.g. ?survey=post-purchase-nps', 'survey')
  const survey = await findSurvey(c.env.DB, site.id, surveyId)
  if (!survey) throw new RequestError(404, 'unknown_survey', `no survey ${surveyId} on this site`, 'survey')
  const now = Date.now()
  const query = parseReportQuery(new URL(c.req.url).searchParams, dayIn(site.timezone, now))
  c.header('cache-control', 'no-store')
  return c.json(await buildReport(c.env.DB, site, survey, query, now))
})
