import { createMiddleware } from 'hono/factory'
import { constantTimeEqual, sha256Hex } from './crypto.ts'
import { RequestError } from './errors.ts'
import type { SiteEnv } from './site-context.ts'

/** The token `npm start` seeds; a deployed worker refuses it whatever the database says. */
export const DEMO_TOKEN = 'dev-operator-token'

/**
 * Operator routes under `/v1/sites/:site/…`, after `loadSite`: an `Authorization: Bearer <token>`
 * whose hash matches the site's. A missing token is 401; a wrong one is 403, and says no more.
 */
export const operatorAuth = createMiddleware<SiteEnv>(async (c, next) => {
  const header = c.req.header('authorization') ?? ''
  const token = /^Bearer (\S+)$/i.exec(header)?.[1]
  if (!token) throw new RequestError(401, 'unauthorized', 'send the operator token as Authorization: Bearer <token>')
  const demoRefused = token === DEMO_TOKEN && c.env.HEARKEN_ENV !== 'development'
  if (demoRefused || !constantTimeEqual(await sha256Hex(token), c.var.site.tokenHash)) {
    throw new RequestError(403, 'forbidden', 'this token does not grant access to this site')
  }
  await next()
})
