import { createMiddleware } from 'hono/factory'
import { isAdminToken, isSiteToken, bearerToken, checkTokenSlowly } from '../auth.ts'
import { beingDeleted, findDeletion } from '../deletions.ts'
import type { AppEnv } from '../env.ts'
import { RequestError } from '../errors.ts'
import { findSite, type Site } from '../sites.ts'

/** What the route files share: the `:site` loader, the operator check after it, and the JSON body reader. */

/** Hono generic for routes under `/v1/sites/:site/…`, after {@link loadSite}. */
export type SiteEnv = AppEnv & { Variables: { site: Site } }

const bearerTokenIfAny = (header: string | undefined): string | undefined => {
  try {
    return bearerToken(header)
  } catch {
    return undefined
  }
}

/**
 * Looks up `:site` once per request; an unknown site is a 404. A site being deleted is a 410 with
 * how far its deletion got, for its operator (the token it had, or the admin's); for anyone else,
 * unknown.
 */
export const loadSite = createMiddleware<SiteEnv>(async (c, next) => {
  const id = c.req.param('site') ?? ''
  const site = await findSite(c.env.DB, id)
  if (!site) {
    const deletion = await findDeletion(c.env.DB, { site: id, survey: null })
    const token = deletion ? bearerTokenIfAny(c.req.header('authorization')) : undefined
    const operator = async () => (await isAdminToken(c.env, token!)) || (deletion!.token_hash !== null && (await isSiteToken(c.env, deletion!.token_hash, token!)))
    if (deletion && token && (await checkTokenSlowly(c.env.DB, c.req.header('cf-connecting-ip'), id, operator))) {
      throw beingDeleted({ site: id, survey: null }, deletion)
    }
    throw new RequestError(404, 'unknown_site', `no site ${id}`, 'site')
  }
  c.set('site', site)
  await next()
})

/**
 * Operator routes under `/v1/sites/:site/…`, after `loadSite`: an `Authorization: Bearer <token>`
 * that is the site's operator token (or the admin token). A missing token is 401; a wrong one
 * is 403 and says no more; after a few wrong ones from an address, a 429 whatever the token.
 */
export const operatorAuth = createMiddleware<SiteEnv>(async (c, next) => {
  const token = bearerToken(c.req.header('authorization'))
  const valid = async () => (await isSiteToken(c.env, c.var.site.tokenHash, token)) || (await isAdminToken(c.env, token))
  if (!(await checkTokenSlowly(c.env.DB, c.req.header('cf-connecting-ip'), c.var.site.id, valid))) {
    throw new RequestError(403, 'forbidden', 'this token does not grant access to this site')
  }
  await next()
})

/** An operator request's JSON body; anything else is a 400 that says so. */
export async function readJsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json()
  } catch {
    throw new RequestError(400, 'invalid_json', 'the body is not valid JSON')
  }
}
