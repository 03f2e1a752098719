import { Hono } from 'hono'
import { forgetWebhookDeliveries } from '../alert-delivery.ts'
import { RequestError } from '../errors.ts'
import { saveSettings, type Site } from '../sites.ts'
import { deliveryStatus, resumeWebhook, retryMessage, sendTestAlert, unpause } from '../webhook-deliveries.ts'
import { parseWebhook, resolveWebhook, webhookView, type Webhook } from '../webhooks.ts'
import { loadSite, operatorAuth, readJsonBody, type SiteEnv } from './middleware.ts'

/**
 * `/v1/sites/:site/webhooks[/:id]`: where a site's alerts go, and how their delivery is going.
 * Secrets go in and never come out, except a `json` webhook's secret the worker made, once.
 */
export const webhookRoutes = new Hono<SiteEnv>()

function webhookOf(site: Site, id: string): Webhook {
  const webhook = site.settings.webhooks.find((candidate) => candidate.id === id)
  if (!webhook) throw new RequestError(404, 'unknown_webhook', `no webhook ${id} on this site`, 'id')
  return webhook
}

webhookRoutes.get('/:site/webhooks', loadSite, operatorAuth, (c) => c.json({ webhooks: c.var.site.settings.webhooks.map(webhookView) }))

/**
 * `PUT …/webhooks/:id`: the URL is checked (https, a public host) and the secret against the
 * format. A secret left out keeps the one already set; a `json` webhook without one gets a new
 * `whsec_` secret, in this answer only. Saving also resumes a webhook paused by an error.
 */
webhookRoutes.put('/:site/webhooks/:id', loadSite, operatorAuth, async (c) => {
  const site = c.var.site
  const existing = site.settings.webhooks.find((webhook) => webhook.id === c.req.param('id'))
  const given = parseWebhook({ ...((await readJsonBody(c.req.raw)) as object), id: c.req.param('id') }, c.env.HEARKEN_ENV === 'development')
  const { webhook, generatedSecret } = resolveWebhook(given, existing)
  const webhooks = [...site.settings.webhooks.filter((other) => other.id !== webhook.id), webhook]
  await saveSettings(c.env.DB, site, { ...site.settings, webhooks })
  await unpause(c.env.DB, site.id, webhook.id)
  return c.json({ ...webhookView(webhook), ...(generatedSecret ? { secret: generatedSecret } : {}) }, existing ? 200 : 201)
})

webhookRoutes.delete('/:site/webhooks/:id', loadSite, operatorAuth, async (c) => {
  const site = c.var.site
  const webhook = webhookOf(site, c.req.param('id'))
  await saveSettings(c.env.DB, site, { ...site.settings, webhooks: site.settings.webhooks.filter((other) => other.id !== webhook.id) })
  await forgetWebhookDeliveries(c.env.DB, site.id, webhook.id)
  return c.body(null, 204)
})

/** `GET …/webhooks/:id/deliveries`: paused or not, alerts waiting, the last delivery, failures with the platform's message. */
webhookRoutes.get('/:site/webhooks/:id/deliveries', loadSite, operatorAuth, async (c) => {
  const webhook = webhookOf(c.var.site, c.req.param('id'))
  return c.json(await deliveryStatus(c.env.DB, c.var.site.id, webhook.id))
})

/** `POST …/webhooks/:id/test`: a test alert, sent now; the answer says what the receiver said. */
webhookRoutes.post('/:site/webhooks/:id/test', loadSite, operatorAuth, async (c) => {
  const webhook = webhookOf(c.var.site, c.req.param('id'))
  return c.json(await sendTestAlert(c.env, c.var.site, webhook))
})

/** `POST …/webhooks/:id/resume`: sends what a paused webhook held. */
webhookRoutes.post('/:site/webhooks/:id/resume', loadSite, operatorAuth, async (c) => {
  const webhook = webhookOf(c.var.site, c.req.param('id'))
  return c.json(await resumeWebhook(c.env, c.var.site, webhook))
})

/** `POST …/webhooks/:id/messages/:message/retry`: a failed message, again, now. */
webhookRoutes.post('/:site/webhooks/:id/messages/:message/retry', loadSite, operatorAuth, async (c) => {
  const webhook = webhookOf(c.var.site, c.req.param('id'))
  return c.json(await retryMessage(c.env, c.var.site, webhook, c.req.param('message')))
})
