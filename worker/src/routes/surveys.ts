import { Hono } from 'hono'
import { beingDeleted, deleteInChunks, findDeletion, refusedWhileDeleting, stillDeleting } from '../deletions.ts'
import { RequestError } from '../errors.ts'
import { forgetSite } from '../sites.ts'
import { findSurvey, listSurveys, parseSurvey, putSurveyStatement } from '../surveys.ts'
import { loadSite, operatorAuth, readJsonBody, type SiteEnv } from './middleware.ts'

/** `/v1/sites/:site/surveys[/:survey]`: list, read, create or replace, and delete (with its answers: deletions.ts) a site's surveys. */
export const surveyRoutes = new Hono<SiteEnv>()

/** A survey the site does not have: 410 while it is being deleted, else 404. */
async function unknownSurvey(db: D1Database, site: string, survey: string): Promise<RequestError> {
  const deletion = await findDeletion(db, { site, survey })
  return deletion ? beingDeleted({ site, survey }, deletion) : new RequestError(404, 'unknown_survey', `no survey ${survey} on this site`, 'survey')
}

surveyRoutes.get('/:site/surveys', loadSite, operatorAuth, async (c) => c.json({ surveys: await listSurveys(c.env.DB, c.var.site.id) }))

surveyRoutes.get('/:site/surveys/:survey', loadSite, operatorAuth, async (c) => {
  const survey = await findSurvey(c.env.DB, c.var.site.id, c.req.param('survey'))
  if (!survey) throw await unknownSurvey(c.env.DB, c.var.site.id, c.req.param('survey'))
  return c.json(survey)
})

surveyRoutes.put('/:site/surveys/:survey', loadSite, operatorAuth, async (c) => {
  const body = await readJsonBody(c.req.raw)
  const survey = parseSurvey({ ...(typeof body === 'object' && body !== null ? body : {}), id: c.req.param('survey') }, c.var.site.settings.segments)
  const existed = await findSurvey(c.env.DB, c.var.site.id, survey.id)
  if (existed && existed.type !== survey.type) {
    throw new RequestError(409, 'type_change', `survey ${survey.id} is ${existed.type}; create a new survey to ask ${survey.type}`, 'type')
  }
  const target = { site: c.var.site.id, survey: survey.id }
  const deletion = existed ? null : await findDeletion(c.env.DB, target)
  if (deletion) throw stillDeleting(target, deletion)
  await refusedWhileDeleting(c.env.DB, target, () => putSurveyStatement(c.env.DB, c.var.site.id, survey).run())
  forgetSite(c.var.site.id)
  return c.json(survey, existed ? 200 : 201)
})

/** 204 when the survey is gone; 202 with how far it got when the deletion goes on in the background (GET answers 410 until it is done). */
surveyRoutes.delete('/:site/surveys/:survey', loadSite, operatorAuth, async (c) => {
  const id = c.req.param('survey')
  if (!(await findSurvey(c.env.DB, c.var.site.id, id))) throw await unknownSurvey(c.env.DB, c.var.site.id, id)
  const progress = await deleteInChunks(c.env, { site: c.var.site.id, survey: id }, null)
  return progress ? c.json(progress, 202) : c.body(null, 204)
})
