import type { Context } from 'hono'
import type { AppEnv } from '../env.ts'
import { RequestError } from '../errors.ts'
import type { Site } from '../sites.ts'
import { deliveryStatus, resumeWebhook, retryMessage, sendTestAlert, type DeliveredMessage } from '../webhook-deliveries.ts'
import type { Webhook } from '../webhooks.ts'
import { alertMessagesFor } from './alert-messages.ts'
import { dashboardUrl } from './filters.ts'
import type { Lang } from './i18n.ts'
import { WebhooksPage, type AlertsNotice } from './webhooks-page.tsx'

/**
 * The dashboard's alerts page and its three buttons (test, resume, retry). `routes.ts` mounts
 * them behind its session and same-origin checks; each POST answers with a redirect to the
 * page, which reads what happened back from D1 (nothing the browser sent is echoed).
 */
type Signed = Context<AppEnv & { Variables: { lang: Lang; site: Site } }>

function webhookOf(site: Site, id: string): Webhook {
  const webhook = site.settings.webhooks.find((candidate) => candidate.id === id)
  if (!webhook) throw new RequestError(404, 'unknown_webhook', `no webhook ${id} on this site`, 'id')
  return webhook
}

const pageUrl = (lang: Lang, done?: { kind: 'test' | 'retry' | 'resume'; webhook: string; message?: string }) =>
  `${dashboardUrl('/dashboard/alerts', { lang, done: done?.kind, message: done?.message })}${done ? `#webhook-${encodeURIComponent(done.webhook)}` : ''}`

async function notice(c: Signed, params: URLSearchParams): Promise<AlertsNotice | undefined> {
  const a = alertMessagesFor(c.var.lang)
  const done = params.get('done')
  if (done === 'resume') return { text: a.resumed, problem: false }
  const id = params.get('message')
  if ((done !== 'test' && done !== 'retry') || !id) return undefined
  const row = await c.env.DB.prepare('SELECT status, last_error FROM webhook_messages WHERE id = ? AND site_id = ?').bind(id, c.var.site.id).first<Pick<DeliveredMessage, 'status'> & { last_error: string | null }>()
  if (!row) return undefined
  const status = a.statuses[row.status] ?? row.status
  return { text: (done === 'test' ? a.testResult : a.retryResult)(status, row.last_error), problem: row.status !== 'delivered' }
}

export async function alertsPage(c: Signed): Promise<Response> {
  const site = c.var.site
  const webhooks = await Promise.all(site.settings.webhooks.map(async (webhook) => ({ webhook, status: await deliveryStatus(c.env.DB, site.id, webhook.id) })))
  const page = WebhooksPage({ lang: c.var.lang, site, webhooks, notice: await notice(c, new URL(c.req.url).searchParams) })
  return c.html(`<!doctype html>${await page}`)
}

export async function testAlertForm(c: Signed): Promise<Response> {
  const webhook = webhookOf(c.var.site, c.req.param('id') ?? '')
  const message = await sendTestAlert(c.env, c.var.site, webhook)
  return c.redirect(pageUrl(c.var.lang, { kind: 'test', webhook: webhook.id, message: message.id }), 303)
}

export async function retryForm(c: Signed): Promise<Response> {
  const webhook = webhookOf(c.var.site, c.req.param('id') ?? '')
  const message = await retryMessage(c.env, c.var.site, webhook, c.req.param('message') ?? '')
  return c.redirect(pageUrl(c.var.lang, { kind: 'retry', webhook: webhook.id, message: message.id }), 303)
}

export async function resumeForm(c: Signed): Promise<Response> {
  const webhook = webhookOf(c.var.site, c.req.param('id') ?? '')
  await resumeWebhook(c.env, c.var.site, webhook)
  return c.redirect(pageUrl(c.var.lang, { kind: 'resume', webhook: webhook.id }), 303)
}
