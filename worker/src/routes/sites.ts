import { Hono } from 'hono'
import { ADMIN_TARGET, bearerToken, checkTokenSlowly, isAdminToken, isSiteToken } from '../auth.ts'
import { deleteInChunks, findDeletion, refusedWhileDeleting, stillDeleting } from '../deletions.ts'
import { RequestError } from '../errors.ts'
import { sendRetag } from '../retagging.ts'
import { findSite, newToken, parseSiteInput, saveSite, type Site } from '../sites.ts'
import { webhookView } from '../webhooks.ts'
import { loadSite, operatorAuth, readJsonBody, type SiteEnv } from './middleware.ts'

/** `/v1/sites/:site`: create or change a site, read it, delete it with all its data (deletions.ts), rotate its token. */
export const siteRoutes = new Hono<SiteEnv>()

/** A site as operators read it: webhook secrets never leave the worker. */
const siteView = (site: Site) => ({
  site: site.id,
  name: site.name,
  timezone: site.timezone,
  origins: site.origins,
  settings: { ...site.settings, webhooks: site.settings.webhooks.map(webhookView) },
})

const siteKey = /^pk_[A-Za-z0-9_-]{1,61}$/

/** Creates a site (admin token) or changes one (its operator token, or the admin's). */
siteRoutes.put('/:site', async (c) => {
  const id = c.req.param('site')
  if (!siteKey.test(id)) throw new RequestError(400, 'invalid_field', 'site must look like pk_ followed by letters, digits, _ or -', 'site')
  const token = bearerToken(c.req.header('authorization'))
  const existing = await findSite(c.env.DB, id)
  const deletion = existing ? null : await findDeletion(c.env.DB, { site: id, survey: null })
  // The site's own token (or the one it had, while it is being deleted) or the admin's. A site that
  // never existed can only be created with the admin token, so guesses at it count against the admin.
  const siteTokenHash = existing?.tokenHash ?? deletion?.token_hash ?? null
  let admin = false
  const valid = await checkTokenSlowly(c.env.DB, c.req.header('cf-connecting-ip'), siteTokenHash ? id : ADMIN_TARGET, async () => {
    admin = await isAdminToken(c.env, token)
    return admin || (siteTokenHash !== null && (await isSiteToken(c.env, siteTokenHash, token)))
  })
  if (deletion && valid) throw stillDeleting({ site: id, survey: null }, deletion)
  if (!existing && !admin) throw new RequestError(403, 'forbidden', 'only the admin token (ADMIN_TOKEN secret) may create a site')
  if (!valid) throw new RequestError(403, 'forbidden', 'this token does not grant access to this site')
  const input = parseSiteInput(await readJsonBody(c.req.raw))
  const newSiteToken = existing ? undefined : newToken()
  const retag = await refusedWhileDeleting(c.env.DB, { site: id, survey: null }, () => saveSite(c.env.DB, id, input, existing, newSiteToken))
  if (retag) await sendRetag(c.env.TAGS, retag)
  const site = (await findSite(c.env.DB, id))!
  // The new site's operator token is shown this once; only its hash is kept.
  return newSiteToken ? c.json({ ...siteView(site), operatorToken: newSiteToken }, 201) : c.json(siteView(site))
})

siteRoutes.get('/:site', loadSite, operatorAuth, (c) => c.json(siteView(c.var.site)))

/** 204 when the site is gone; 202 with how far it got when the deletion goes on in the background (GET answers 410 until it is done). */
siteRoutes.delete('/:site', loadSite, operatorAuth, async (c) => {
  const progress = await deleteInChunks(c.env, { site: c.var.site.id, survey: null }, c.var.site.tokenHash)
  return progress ? c.json(progress, 202) : c.body(null, 204)
})

siteRoutes.post('/:site/token', loadSite, operatorAuth, async (c) => {
  const site = c.var.site
  const token = newToken()
  await saveSite(c.env.DB, site.id, { name: site.name, origins: site.origins, timezone: site.timezone }, site, token)
  return c.json({ site: site.id, operatorToken: token })
})
