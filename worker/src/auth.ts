import { createMiddleware } from 'hono/factory'
import { constantTimeEqual, sha256Hex } from './crypto.ts'
import { RequestError } from './errors.ts'
import type { SiteEnv } from './site-context.ts'

/** The token `npm start` seeds; a deployed worker refuses it whatever the database says. */
export const DEMO_TOKEN = 'dev-operator-token'

/** The bearer token of a request; a token in the query string is never read (it ends up in logs). */
export function bearerToken(header: string | undefined): string {
  const token = /^Bearer (\S+)$/i.exec(header ?? '')?.[1]
  if (!token) throw new RequestError(401, 'unauthorized', 'send the operator token as Authorization: Bearer <token>')
  return token
}

/** True when `token` is the worker's admin token (the ADMIN_TOKEN secret), which may create sites. */
export async function isAdminToken(env: Env, token: string): Promise<boolean> {
  return Boolean(env.ADMIN_TOKEN) && constantTimeEqual(await sha256Hex(token), await sha256Hex(env.ADMIN_TOKEN!))
}

/** True when `token` is this site's operator token. */
export async function isSiteToken(env: Env, tokenHash: string, token: string): Promise<boolean> {
  if (token === DEMO_TOKEN && env.HEARKEN_ENV !== 'development') return false
  return constantTimeEqual(await sha256Hex(token), tokenHash)
}

/**
 * Operator routes under `/v1/sites/:site/…`, after `loadSite`: an `Authorization: Bearer <token>`
 * that is the site's operator token (or the admin token). A missing token is 401; a wrong one
 * is 403 and says no more.
 */
export const operatorAuth = createMiddleware<SiteEnv>(async (c, next) => {
  const token = bearerToken(c.req.header('authorization'))
  if (!(await isSiteToken(c.env, c.var.site.tokenHash, token)) && !(await isAdminToken(c.env, token))) {
    throw new RequestError(403, 'forbidden', 'this token does not grant access to this site')
  }
  await next()
})
