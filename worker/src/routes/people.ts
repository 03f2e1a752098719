import { Hono } from 'hono'
import { erasePerson } from '../erase.ts'
import { loadSite, operatorAuth, type SiteEnv } from './middleware.ts'

/**
 * `DELETE /v1/sites/:site/people/:person`: erases everything stored about a visitor or user id
 * (erase.ts says what that is) and answers with what went.
 */
export const peopleRoutes = new Hono<SiteEnv>()

peopleRoutes.delete('/:site/people/:person', loadSite, operatorAuth, async (c) => {
  const erased = await erasePerson(c.env.DB, c.var.site, c.req.param('person'))
  return c.json({ person: c.req.param('person'), erased })
})
