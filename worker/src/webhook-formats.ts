import { hmacSha256, toBase64 } from './crypto.ts'
import type { Webhook } from './webhooks.ts'

/** What an alert says, before it is put in a receiver's format. */
export interface AlertContent {
  /** Standard Webhooks event type, e.g. `hearken.alert.negative`. */
  type: string
  /** One plain-text line for chat robots. */
  text: string
  /** Structured data for the generic JSON format. */
  data: Record<string, unknown>
}

/** A ready-to-send HTTP request. */
export interface WebhookRequest {
  url: string
  headers: Record<string, string>
  body: string
}

const encoder = new TextEncoder()

const hmacBase64 = async (key: string | Uint8Array, message: string): Promise<string> => toBase64(await hmacSha256(key, message))

/** Standard Webhooks secrets are `whsec_` + base64 key bytes; any other secret is used as text. */
function standardWebhooksKey(secret: string): Uint8Array {
  if (!secret.startsWith('whsec_')) return encoder.encode(secret)
  return Uint8Array.from(atob(secret.slice('whsec_'.length)), (char) => char.charCodeAt(0))
}

/** Slack's mrkdwn treats & < > as control characters; everything else a visitor typed is text. */
const slackEscape = (text: string): string => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')

/**
 * Builds the request for one receiver. `messageId` is stable across retries, so a receiver
 * can drop a redelivery; `now` is the delivery time (signatures carry it).
 */
export async function webhookRequest(webhook: Webhook, content: AlertContent, messageId: string, now: number): Promise<WebhookRequest> {
  const json = { 'content-type': 'application/json' }
  switch (webhook.format) {
    case 'json': {
      // Standard Webhooks: sign "id.timestamp.body" with HMAC-SHA256, sent as "v1,<base64>".
      const timestamp = String(Math.floor(now / 1000))
      const body = JSON.stringify({ type: content.type, timestamp: new Date(now).toISOString(), data: content.data })
      const headers: Record<string, string> = { ...json, 'webhook-id': messageId, 'webhook-timestamp': timestamp }
      if (webhook.secret) headers['webhook-signature'] = `v1,${await hmacBase64(standardWebhooksKey(webhook.secret), `${messageId}.${timestamp}.${body}`)}`
      return { url: webhook.url, headers, body }
    }
    case 'slack':
      return { url: webhook.url, headers: json, body: JSON.stringify({ text: slackEscape(content.text) }) }
    case 'wecom':
      // Plain text, not markdown: a visitor's comment cannot smuggle links or formatting in.
      return { url: webhook.url, headers: json, body: JSON.stringify({ msgtype: 'text', text: { content: content.text } }) }
    case 'dingtalk': {
      // DingTalk robots: sign "timestamp\nsecret" with the secret, timestamp in ms, both in the URL.
      const url = new URL(webhook.url)
      if (webhook.secret) {
        const timestamp = String(now)
        url.searchParams.set('timestamp', timestamp)
        url.searchParams.set('sign', await hmacBase64(webhook.secret, `${timestamp}\n${webhook.secret}`))
      }
      return { url: url.toString(), headers: json, body: JSON.stringify({ msgtype: 'text', text: { content: content.text } }) }
    }
    case 'feishu': {
      // Feishu/Lark robots: HMAC-SHA256 keyed with "timestamp\nsecret" over an empty message, timestamp in seconds.
      const body: Record<string, unknown> = { msg_type: 'text', content: { text: content.text } }
      if (webhook.secret) {
        const timestamp = String(Math.floor(now / 1000))
        body.timestamp = timestamp
        body.sign = await hmacBase64(`${timestamp}\n${webhook.secret}`, '')
      }
      return { url: webhook.url, headers: json, body: JSON.stringify(body) }
    }
  }
}
