import { toBase64 } from './crypto.ts'
import type { DigestLang } from './digests-messages.ts'
import { mailtoProblem } from './email-address.ts'
import { FREQUENCIES, type DigestFrequency } from './report-period.ts'
import { webhookUrlProblem } from './webhook-url.ts'
import { array, oneOf, optional, parseObject, reject, text, idPattern, type Schema } from './validate.ts'

/**
 * Where a site's alerts go: the webhooks an operator manages under `/v1/sites/:site/webhooks`,
 * kept in the site's settings. How each format's request is built is in webhook-formats.ts,
 * how it is paced and retried in alert-delivery.ts.
 */

/** Formats a webhook can speak; `email` sends through the `send_email` binding to its `mailto:` URL. */
export type WebhookFormat = 'json' | 'slack' | 'wecom' | 'dingtalk' | 'feishu' | 'email'

/** Alerts a webhook can receive. */
export type AlertKind = 'negative' | 'reminder' | 'high_risk'

export interface Webhook {
  id: string
  url: string
  format: WebhookFormat
  /** Signing secret: `whsec_…` for `json` (always set), the robot's secret for DingTalk and Feishu. */
  secret?: string
  /** Which alerts to send; all when missing (`[]`: digests only). */
  events?: AlertKind[]
  /** Which digests to send (digests.ts); the site's `settings.digests.frequencies` when missing (`[]`: none). */
  digests?: DigestFrequency[]
  /** The digests' language; the site's `settings.digests.lang` when missing. */
  lang?: DigestLang
}

/** A webhook as operators read it: its secret never leaves the worker. */
export const webhookView = ({ secret, ...webhook }: Webhook) => ({ ...webhook, hasSecret: Boolean(secret) })

/** The URL with its query's values hidden: robot URLs carry their access key there (WeCom `key`, DingTalk `access_token`). */
export function redactedUrl(webhook: Webhook): string {
  if (webhook.format === 'email') return webhook.url
  const url = new URL(webhook.url)
  const keys = [...new Set(url.searchParams.keys())]
  return `${url.origin}${url.pathname}${keys.length ? `?${keys.map((key) => `${encodeURIComponent(key)}=…`).join('&')}` : ''}`
}

const STANDARD_SECRET = /^whsec_([A-Za-z0-9+/]+={0,2})$/

/** The key bytes of a Standard Webhooks secret (`whsec_` + base64 of 24 to 64 random bytes), or null when it is not one. */
export function standardWebhooksKey(secret: string): Uint8Array | null {
  const match = STANDARD_SECRET.exec(secret)
  if (!match) return null
  let bytes: string
  try {
    bytes = atob(match[1]!)
  } catch {
    return null
  }
  if (bytes.length < 24 || bytes.length > 64) return null
  return Uint8Array.from(bytes, (char) => char.charCodeAt(0))
}

/** A new Standard Webhooks secret: 32 random bytes. */
export const newStandardSecret = (): string => `whsec_${toBase64(crypto.getRandomValues(new Uint8Array(32)))}`

/**
 * Why a secret does not fit its format, or null. The shapes are the ones each platform
 * hands out, so a secret pasted into the wrong field is caught on PUT, not at 3 a.m.
 */
export function secretProblem(format: WebhookFormat, secret: string | undefined): string | null {
  if (secret === undefined) return null
  switch (format) {
    case 'json':
      return standardWebhooksKey(secret) ? null : 'must be a Standard Webhooks secret: whsec_ followed by base64 of 24 to 64 bytes (leave it out and the worker makes one)'
    case 'dingtalk':
      return /^SEC[A-Za-z0-9]{16,128}$/.test(secret) ? null : 'must be the robot’s signing secret as DingTalk shows it: SEC followed by letters and digits'
    case 'feishu':
      return /^[A-Za-z0-9]{8,128}$/.test(secret) ? null : 'must be the robot’s signature verification secret as Feishu shows it: letters and digits'
    case 'slack':
    case 'wecom':
    case 'email':
      return `is not used by ${{ slack: 'Slack incoming webhooks', wecom: 'WeCom group robots', email: 'email' }[format]}: leave it out`
  }
}

/** Checks a webhook as an operator sends it; `allowLoopback` lets local development post to 127.0.0.1. */
export function parseWebhook(value: unknown, allowLoopback: boolean): Webhook {
  const webhook = parseObject(
    {
      id: text(64, idPattern),
      url: text(500),
      format: oneOf<WebhookFormat>('json', 'slack', 'wecom', 'dingtalk', 'feishu', 'email'),
      secret: optional(text(200)),
      events: optional(array(3, oneOf<AlertKind>('negative', 'reminder', 'high_risk'))),
      digests: optional(array(FREQUENCIES.length, oneOf<DigestFrequency>(...FREQUENCIES))),
      lang: optional(oneOf<DigestLang>('en', 'zh-CN', 'zh-TW')),
    } satisfies Schema<Webhook>,
    value,
  )
  // Email goes to one mailto: address; everything else to a public https host.
  const problem = webhook.format === 'email' ? mailtoProblem(webhook.url) : webhookUrlProblem(webhook.url, allowLoopback)
  return problem ? reject('url', problem) : webhook
}

/**
 * The webhook to store from a PUT: a secret left out keeps the one already set when it fits
 * the (maybe new) format; a `json` webhook without one gets a new secret, returned once as
 * `generatedSecret`. A secret that does not fit is refused.
 */
export function resolveWebhook(given: Webhook, existing: Webhook | undefined): { webhook: Webhook; generatedSecret?: string } {
  if (given.secret !== undefined) {
    const problem = secretProblem(given.format, given.secret)
    return problem ? reject('secret', problem) : { webhook: given }
  }
  const kept = existing?.secret !== undefined && secretProblem(given.format, existing.secret) === null ? existing.secret : undefined
  if (kept !== undefined) return { webhook: { ...given, secret: kept } }
  if (given.format !== 'json') return { webhook: given }
  const generatedSecret = newStandardSecret()
  return { webhook: { ...given, secret: generatedSecret }, generatedSecret }
}

/** Whether a webhook wants this kind of alert. */
export const subscribed = (webhook: Webhook, kind: AlertKind): boolean => !webhook.events || webhook.events.includes(kind)
