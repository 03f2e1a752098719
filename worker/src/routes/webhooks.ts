import { Hono } from 'hono'
import { RequestError } from '../errors.ts'
import { saveSettings } from '../sites.ts'
import { parseWebhook, webhookView } from '../webhooks.ts'
import { loadSite, operatorAuth, readJsonBody, type SiteEnv } from './middleware.ts'

/** `/v1/sites/:site/webhooks[/:id]`: where a site's alerts go. Secrets go in and never come out. */
export const webhookRoutes = new Hono<SiteEnv>()

webhookRoutes.get('/:site/webhooks', loadSite, operatorAuth, (c) => c.json({ webhooks: c.var.site.settings.webhooks.map(webhookView) }))

/** `PUT …/webhooks/:id`: a secret left out keeps the one already set. */
webhookRoutes.put('/:site/webhooks/:id', loadSite, operatorAuth, async (c) => {
  const site = c.var.site
  const existing = site.settings.webhooks.find((webhook) => webhook.id === c.req.param('id'))
  const webhook = parseWebhook({ ...(await readJsonBody(c.req.raw) as object), id: c.req.param('id') }, c.env.HEARKEN_ENV === 'development')
  if (webhook.secret === undefined && existing?.secret) webhook.secret = existing.secret
  const webhooks = [...site.settings.webhooks.filter((other) => other.id !== webhook.id), webhook]
  await saveSettings(c.env.DB, site, { ...site.settings, webhooks })
  return c.json(webhookView(webhook), existing ? 200 : 201)
})

webhookRoutes.delete('/:site/webhooks/:id', loadSite, operatorAuth, async (c) => {
  const site = c.var.site
  if (!site.settings.webhooks.some((webhook) => webhook.id === c.req.param('id'))) {
    throw new RequestError(404, 'unknown_webhook', `no webhook ${c.req.param('id')} on this site`, 'id')
  }
  await saveSettings(c.env.DB, site, { ...site.settings, webhooks: site.settings.webhooks.filter((webhook) => webhook.id !== c.req.param('id')) })
  return c.body(null, 204)
})
