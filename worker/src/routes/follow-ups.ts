import { Hono } from 'hono'
import { parseFollowUpPatch, updateFollowUp } from '../follow-ups.ts'
import { loadSite, operatorAuth, readJsonBody, type SiteEnv } from './middleware.ts'

/** `PATCH /v1/sites/:site/responses/:id`: move an answer's follow-up along (status, assignee, a note). */
export const followUpRoutes = new Hono<SiteEnv>()

followUpRoutes.patch('/:site/responses/:id', loadSite, operatorAuth, async (c) => {
  const patch = parseFollowUpPatch(await readJsonBody(c.req.raw))
  return c.json({ id: c.req.param('id'), followUp: await updateFollowUp(c.env.DB, c.var.site, c.req.param('id'), patch) })
})
