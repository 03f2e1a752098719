import { array, oneOf, optional, parseObject, reject, text, idPattern, type Check, type Schema } from './validate.ts'

/**
 * Where a site's alerts go: the webhooks an operator manages under `/v1/sites/:site/webhooks`,
 * kept in the site's settings. How each format's request is built is in webhook-formats.ts.
 */

/** Formats a webhook can speak. */
export type WebhookFormat = 'json' | 'slack' | 'wecom' | 'dingtalk' | 'feishu'

/** Alerts a webhook can receive. */
export type AlertKind = 'negative' | 'reminder' | 'high_risk'

export interface Webhook {
  id: string
  url: string
  format: WebhookFormat
  /** Signing secret: HMAC key for `json`, the robot's secret for DingTalk and Feishu. */
  secret?: string
  /** Which alerts to send; all when missing. */
  events?: AlertKind[]
}

/** A webhook as operators read it: its secret never leaves the worker. */
export const webhookView = ({ secret, ...webhook }: Webhook) => ({ ...webhook, hasSecret: Boolean(secret) })

const webhookUrl =
  (allowLoopback: boolean): Check<string> =>
  (value, field) => {
    const given = text(500)(value, field)
    let url: URL
    try {
      url = new URL(given)
    } catch {
      return reject(field, 'must be a URL')
    }
    // Plain http only to this machine, and only in local development (for test receivers).
    const loopback = url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
    if (url.protocol !== 'https:' && !(allowLoopback && loopback)) return reject(field, 'must be an https URL')
    return given
  }

/** Checks a webhook as an operator sends it; `allowLoopback` lets local development post to 127.0.0.1. */
export function parseWebhook(value: unknown, allowLoopback: boolean): Webhook {
  return parseObject(
    {
      id: text(64, idPattern),
      url: webhookUrl(allowLoopback),
      format: oneOf<WebhookFormat>('json', 'slack', 'wecom', 'dingtalk', 'feishu'),
      secret: optional(text(200)),
      events: optional(array(3, oneOf<AlertKind>('negative', 'reminder', 'high_risk'))),
    } satisfies Schema<Webhook>,
    value,
  )
}
