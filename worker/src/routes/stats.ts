import { Hono } from 'hono'
import type { StatsResult } from '../../../sdk/protocol.ts'
import { operatorAuth } from '../auth.ts'
import { RequestError } from '../errors.ts'
import { csatSummary, npsSummary } from '../scores.ts'
import { loadSite, type SiteEnv } from '../site-context.ts'
import { findSurvey } from '../sites.ts'

/** `GET /v1/sites/:site/stats?survey=…`: scores from rollup rows, never from raw responses. */
export const statsRoutes = new Hono<SiteEnv>()

statsRoutes.get('/:site/stats', loadSite, operatorAuth, async (c) => {
  const site = c.var.site
  const surveyId = c.req.query('survey')
  if (!surveyId) throw new RequestError(400, 'missing_field', 'survey is required, e.g. ?survey=post-purchase-nps', 'survey')
  const survey = await findSurvey(c.env.DB, site.id, surveyId)
  if (!survey) throw new RequestError(404, 'unknown_survey', `no survey ${surveyId} on this site`, 'survey')

  const { results } = await c.env.DB.prepare(
    'SELECT score, SUM(n) AS n FROM rollups WHERE site_id = ? AND survey_id = ? GROUP BY score',
  )
    .bind(site.id, survey.id)
    .all<{ score: number; n: number }>()
  const counts = new Map(results.map((row) => [row.score, row.n]))
  const body: StatsResult =
    survey.type === 'nps'
      ? { survey: survey.id, type: survey.type, nps: npsSummary(counts) }
      : { survey: survey.id, type: survey.type, csat: csatSummary(counts) }
  c.header('cache-control', 'no-store')
  return c.json(body)
})
