import { Hono } from 'hono'
import { eraseSurvey } from '../erase.ts'
import { RequestError } from '../errors.ts'
import { forgetSite } from '../sites.ts'
import { findSurvey, listSurveys, parseSurvey, putSurveyStatement } from '../surveys.ts'
import { loadSite, operatorAuth, readJsonBody, type SiteEnv } from './middleware.ts'

/** `/v1/sites/:site/surveys[/:survey]`: list, read, create or replace, and delete (with its answers) a site's surveys. */
export const surveyRoutes = new Hono<SiteEnv>()

surveyRoutes.get('/:site/surveys', loadSite, operatorAuth, async (c) => c.json({ surveys: await listSurveys(c.env.DB, c.var.site.id) }))

surveyRoutes.get('/:site/surveys/:survey', loadSite, operatorAuth, async (c) => {
  const survey = await findSurvey(c.env.DB, c.var.site.id, c.req.param('survey'))
  if (!survey) throw new RequestError(404, 'unknown_survey', `no survey ${c.req.param('survey')} on this site`, 'survey')
  return c.json(survey)
})

surveyRoutes.put('/:site/surveys/:survey', loadSite, operatorAuth, async (c) => {
  const body = await readJsonBody(c.req.raw)
  const survey = parseSurvey({ ...(typeof body === 'object' && body !== null ? body : {}), id: c.req.param('survey') }, c.var.site.settings.segments)
  const existed = await findSurvey(c.env.DB, c.var.site.id, survey.id)
  if (existed && existed.type !== survey.type) {
    throw new RequestError(409, 'type_change', `survey ${survey.id} is ${existed.type}; create a new survey to ask ${survey.type}`, 'type')
  }
  await putSurveyStatement(c.env.DB, c.var.site.id, survey).run()
  forgetSite(c.var.site.id)
  return c.json(survey, existed ? 200 : 201)
})

surveyRoutes.delete('/:site/surveys/:survey', loadSite, operatorAuth, async (c) => {
  const id = c.req.param('survey')
  if (!(await findSurvey(c.env.DB, c.var.site.id, id))) throw new RequestError(404, 'unknown_survey', `no survey ${id} on this site`, 'survey')
  await eraseSurvey(c.env.DB, c.var.site.id, id)
  return c.body(null, 204)
})
