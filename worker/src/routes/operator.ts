import { Hono } from 'hono'
import type { SurveyType } from '../../../sdk/protocol.ts'
import { bearerToken, isAdminToken, isSiteToken, operatorAuth } from '../auth.ts'
import { isDay } from '../dates.ts'
import { erasePerson } from '../erase.ts'
import { readJsonBody } from '../json-body.ts'
import { RequestError } from '../errors.ts'
import { parseFollowUpPatch, updateFollowUp } from '../followups.ts'
import { decodeCursor, listResponses, responsesCsv, type ListContext, type ResponseFilter } from '../responses.ts'
import { forgetSite } from '../site-cache.ts'
import { deleteDataStatements, newToken, parseSiteInput, writeSite } from '../site-store.ts'
import { loadSite, type SiteEnv } from '../site-context.ts'
import { findSite, findSurvey, listSurveys, putSurveyStatement, type Site } from '../sites.ts'
import { parseSurvey, parseWebhook, type SiteSettings, type Webhook } from '../surveys.ts'

/** The operator API under `/v1/sites`: sites, surveys, exports and erasure, all with a bearer token. */
export const operatorRoutes = new Hono<SiteEnv>()

/** A site as operators read it: webhook secrets never leave the worker. */
const siteView = (site: Site) => ({
  site: site.id,
  name: site.name,
  timezone: site.timezone,
  origins: site.origins,
  settings: { ...site.settings, webhooks: site.settings.webhooks.map(webhookView) },
})

const webhookView = ({ secret, ...webhook }: Webhook) => ({ ...webhook, hasSecret: Boolean(secret) })

const siteKey = /^pk_[A-Za-z0-9_-]{1,61}$/

/** Creates a site (admin token) or changes one (its operator token, or the admin's). */
operatorRoutes.put('/:site', async (c) => {
  const id = c.req.param('site')
  if (!siteKey.test(id)) throw new RequestError(400, 'invalid_field', 'site must look like pk_ followed by letters, digits, _ or -', 'site')
  const token = bearerToken(c.req.header('authorization'))
  const existing = await findSite(c.env.DB, id)
  const admin = await isAdminToken(c.env, token)
  if (!existing && !admin) throw new RequestError(403, 'forbidden', 'only the admin token (ADMIN_TOKEN secret) may create a site')
  if (existing && !admin && !(await isSiteToken(c.env, existing.tokenHash, token))) {
    throw new RequestError(403, 'forbidden', 'this token does not grant access to this site')
  }
  const input = parseSiteInput(await readJsonBody(c.req.raw))
  const newSiteToken = existing ? undefined : newToken()
  await c.env.DB.batch(await writeSite(c.env.DB, id, input, existing, newSiteToken))
  forgetSite(id)
  const site = (await findSite(c.env.DB, id))!
  // The new site's operator token is shown this once; only its hash is kept.
  return newSiteToken ? c.json({ ...siteView(site), operatorToken: newSiteToken }, 201) : c.json(siteView(site))
})

operatorRoutes.get('/:site', loadSite, operatorAuth, (c) => c.json(siteView(c.var.site)))

operatorRoutes.delete('/:site', loadSite, operatorAuth, async (c) => {
  await c.env.DB.batch([...deleteDataStatements(c.env.DB, c.var.site.id), c.env.DB.prepare('DELETE FROM sites WHERE id = ?').bind(c.var.site.id)])
  forgetSite(c.var.site.id)
  return c.body(null, 204)
})

operatorRoutes.post('/:site/token', loadSite, operatorAuth, async (c) => {
  const site = c.var.site
  const token = newToken()
  await c.env.DB.batch(await writeSite(c.env.DB, site.id, { name: site.name, origins: site.origins, timezone: site.timezone }, site, token))
  forgetSite(site.id)
  return c.json({ site: site.id, operatorToken: token })
})

operatorRoutes.get('/:site/surveys', loadSite, operatorAuth, async (c) => c.json({ surveys: await listSurveys(c.env.DB, c.var.site.id) }))

operatorRoutes.get('/:site/surveys/:survey', loadSite, operatorAuth, async (c) => {
  const survey = await findSurvey(c.env.DB, c.var.site.id, c.req.param('survey'))
  if (!survey) throw new RequestError(404, 'unknown_survey', `no survey ${c.req.param('survey')} on this site`, 'survey')
  return c.json(survey)
})

operatorRoutes.put('/:site/surveys/:survey', loadSite, operatorAuth, async (c) => {
  const body = await readJsonBody(c.req.raw)
  const survey = parseSurvey({ ...(typeof body === 'object' && body !== null ? body : {}), id: c.req.param('survey') })
  const existed = await findSurvey(c.env.DB, c.var.site.id, survey.id)
  if (existed && existed.type !== survey.type) {
    throw new RequestError(409, 'type_change', `survey ${survey.id} is ${existed.type}; create a new survey to ask ${survey.type}`, 'type')
  }
  await putSurveyStatement(c.env.DB, c.var.site.id, survey).run()
  forgetSite(c.var.site.id)
  return c.json(survey, existed ? 200 : 201)
})

operatorRoutes.delete('/:site/surveys/:survey', loadSite, operatorAuth, async (c) => {
  const id = c.req.param('survey')
  if (!(await findSurvey(c.env.DB, c.var.site.id, id))) throw new RequestError(404, 'unknown_survey', `no survey ${id} on this site`, 'survey')
  await c.env.DB.batch(deleteDataStatements(c.env.DB, c.var.site.id, id))
  forgetSite(c.var.site.id)
  return c.body(null, 204)
})

operatorRoutes.delete('/:site/people/:person', loadSite, operatorAuth, async (c) => {
  const erased = await erasePerson(c.env.DB, c.var.site.id, c.req.param('person'))
  return c.json({ person: c.req.param('person'), erased })
})

/** `GET …/responses?format=json|csv`: filtered, newest first; JSON in pages with a cursor, CSV streamed whole. */
operatorRoutes.get('/:site/responses', loadSite, operatorAuth, async (c) => {
  const params = new URL(c.req.url).searchParams
  const format = params.get('format') ?? 'json'
  if (format !== 'json' && format !== 'csv') throw new RequestError(400, 'invalid_field', 'format must be json or csv', 'format')
  const filter = parseFilter(params)
  const context = await listContext(c.env.DB, c.var.site)
  c.header('cache-control', 'no-store')
  if (format === 'csv') {
    const name = `hearken-${c.var.site.id}-${filter.survey ?? 'all'}.csv`
    return c.body(responsesCsv(c.env.DB, c.var.site.id, context, filter), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name}"`,
    })
  }
  const limit = Number(params.get('limit') ?? 100)
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new RequestError(400, 'invalid_field', 'limit must be from 1 to 1000', 'limit')
  const cursor = params.get('cursor')
  return c.json(await listResponses(c.env.DB, c.var.site.id, context, filter, limit, cursor ? decodeCursor(cursor) : undefined))
})

/** `PATCH …/responses/:id`: move an answer's follow-up along (status, assignee, a note). */
operatorRoutes.patch('/:site/responses/:id', loadSite, operatorAuth, async (c) => {
  const patch = parseFollowUpPatch(await readJsonBody(c.req.raw))
  return c.json({ id: c.req.param('id'), followUp: await updateFollowUp(c.env.DB, c.var.site.id, c.req.param('id'), patch) })
})

operatorRoutes.get('/:site/webhooks', loadSite, operatorAuth, (c) => c.json({ webhooks: c.var.site.settings.webhooks.map(webhookView) }))

/** `PUT …/webhooks/:id`: where alerts go; a secret left out keeps the one already set. */
operatorRoutes.put('/:site/webhooks/:id', loadSite, operatorAuth, async (c) => {
  const site = c.var.site
  const existing = site.settings.webhooks.find((webhook) => webhook.id === c.req.param('id'))
  const webhook = parseWebhook({ ...(await readJsonBody(c.req.raw) as object), id: c.req.param('id') }, c.env.HEARKEN_ENV === 'development')
  if (webhook.secret === undefined && existing?.secret) webhook.secret = existing.secret
  const webhooks = [...site.settings.webhooks.filter((other) => other.id !== webhook.id), webhook]
  await saveSettings(c.env.DB, site, { ...site.settings, webhooks })
  return c.json(webhookView(webhook), existing ? 200 : 201)
})

operatorRoutes.delete('/:site/webhooks/:id', loadSite, operatorAuth, async (c) => {
  const site = c.var.site
  if (!site.settings.webhooks.some((webhook) => webhook.id === c.req.param('id'))) {
    throw new RequestError(404, 'unknown_webhook', `no webhook ${c.req.param('id')} on this site`, 'id')
  }
  await saveSettings(c.env.DB, site, { ...site.settings, webhooks: site.settings.webhooks.filter((webhook) => webhook.id !== c.req.param('id')) })
  return c.body(null, 204)
})

async function saveSettings(db: D1Database, site: Site, settings: SiteSettings): Promise<void> {
  await db.prepare('UPDATE sites SET settings = ?, updated_at = ? WHERE id = ?').bind(JSON.stringify(settings), Date.now(), site.id).run()
  forgetSite(site.id)
}

/** Survey types and tag rules, for reading answers. */
export async function listContext(db: D1Database, site: Site): Promise<ListContext> {
  return {
    types: new Map<string, SurveyType>((await listSurveys(db, site.id)).map((survey) => [survey.id, survey.type])),
    tagRules: site.settings.tagRules,
  }
}

/** Filters shared by the JSON and CSV listings (and the dashboard). */
export function parseFilter(params: URLSearchParams): ResponseFilter {
  for (const field of ['from', 'to'] as const) {
    const day = params.get(field)
    if (day !== null && !isDay(day)) throw new RequestError(400, 'invalid_field', `${field} must be a date as YYYY-MM-DD`, field)
  }
  const choice = <T extends string>(field: string, allowed: readonly T[]): T | undefined => {
    const value = params.get(field) || undefined
    if (value !== undefined && !allowed.includes(value as T)) {
      throw new RequestError(400, 'invalid_field', `${field} must be one of ${allowed.join(', ')}`, field)
    }
    return value as T | undefined
  }
  return {
    survey: params.get('survey') || undefined,
    from: params.get('from') || undefined,
    to: params.get('to') || undefined,
    checkpoint: params.get('checkpoint') || undefined,
    segment: params.get('segment') ?? undefined,
    flagged: choice('flagged', ['include', 'exclude', 'only'] as const) ?? 'include',
    band: choice('band', ['detractor', 'passive', 'promoter', 'low', 'high'] as const),
    tag: params.get('tag') || undefined,
    followUp: choice('followUp', ['open', 'in_progress', 'resolved', 'overdue'] as const),
  }
}
