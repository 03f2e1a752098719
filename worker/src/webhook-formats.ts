import { chatText, utf8Bytes, type AlertDigest, type AlertItem, type TextRules } from './alert-text.ts'
import { hmacSha256, toBase64 } from './crypto.ts'
import { alertEmail } from './email-alerts.ts'
import type { EmailContent } from './email-delivery.ts'
import { standardWebhooksKey, type Webhook, type WebhookFormat } from './webhooks.ts'

/** A ready-to-send HTTP request. */
export interface WebhookRequest {
  url: string
  headers: Record<string, string>
  body: string
}

/** A Standard Webhooks event: its type, when it happened, and its data. */
export interface WebhookEvent {
  type: string
  timestamp: string
  data: Record<string, unknown>
}

/**
 * What one message says, in each form a format needs: the event the `json` format sends, the
 * chat text within a platform's rules, and the email. Alerts (below) and digests (digests-content.ts) make one.
 */
export interface MessageContent {
  event: WebhookEvent
  text: (rules: TextRules) => string
  email: () => EmailContent
}

/** A webhook whose settings cannot produce a valid request (say, a secret stored before secrets were checked). */
export class WebhookConfigError extends Error {}

/** Slack's mrkdwn treats & < > as control characters; escaped, they show as typed. */
const slackEscape = (text: string): string => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')

/** Bytes a grapheme takes inside a JSON string (quotes and backslashes doubled). */
const jsonBytes = (grapheme: string): number => utf8Bytes(JSON.stringify(grapheme)) - 2

/**
 * How big a message each platform takes. WeCom: text content ≤ 2,048 bytes (its robot docs).
 * Feishu: the request body ≤ 20 KB, counted as the JSON is sent. Slack: text is cut at 40,000
 * characters and Slack asks for at most 4,000. DingTalk names no cap for robot text; 4,000
 * bytes stays well inside what its robots accept.
 */
export const CHAT_RULES: Record<Exclude<WebhookFormat, 'json' | 'email'>, TextRules> = {
  slack: { escape: slackEscape, cost: (grapheme) => grapheme.length, limit: 4000 },
  wecom: { escape: (text) => text, cost: utf8Bytes, limit: 2048 },
  dingtalk: { escape: (text) => text, cost: utf8Bytes, limit: 4000 },
  feishu: { escape: (text) => text, cost: jsonBytes, limit: 18_000 },
}

const hmacBase64 = async (key: string | Uint8Array, message: string): Promise<string> => toBase64(await hmacSha256(key, message))

/** The Standard Webhooks event for one alert (the JSON format sends each alert on its own). */
export function alertEvent(siteId: string, digest: AlertDigest): WebhookEvent {
  const item: AlertItem | undefined = digest.items[0]
  if (digest.test || !item) {
    return { type: 'hearken.alert.test', timestamp: new Date(digest.now).toISOString(), data: { kind: 'test', site: siteId } }
  }
  return {
    type: `hearken.alert.${item.kind}`,
    // The event's own time, not the send time: a retry a day later still says when it happened.
    timestamp: new Date(item.eventAt).toISOString(),
    data: {
      kind: item.kind,
      site: siteId,
      survey: item.survey,
      response: {
        id: item.responseId,
        score: item.score,
        band: item.band,
        comment: item.comment,
        checkpoint: item.checkpoint,
        segment: item.segment,
        visitor: item.visitor,
        user: item.user,
        subject: item.subject,
        createdAt: new Date(item.createdAt).toISOString(),
      },
      followUp: item.followUp,
      ...(digest.dashboardUrl ? { dashboardUrl: digest.dashboardUrl } : {}),
    },
  }
}

/** What a message of alerts (or a test) says, in every format. */
export const alertContent = (siteId: string, digest: AlertDigest): MessageContent => ({
  event: alertEvent(siteId, digest),
  text: (rules) => chatText(digest, rules),
  email: () => alertEmail(digest),
})

/**
 * Builds the request for one message. `messageId` is the same on every attempt, so a receiver
 * can drop a redelivery; `attemptAt` is this attempt's time, which signatures carry.
 */
export async function webhookRequest(webhook: Webhook, content: MessageContent, messageId: string, attemptAt: number): Promise<WebhookRequest> {
  const json = { 'content-type': 'application/json' }
  switch (webhook.format) {
    case 'json': {
      // Standard Webhooks: sign "id.timestamp.body" with HMAC-SHA256, sent as "v1,<base64>".
      const key = webhook.secret ? standardWebhooksKey(webhook.secret) : null
      if (!key) throw new WebhookConfigError('this webhook has no valid whsec_ signing secret: PUT it again (without a secret) to get one')
      const timestamp = String(Math.floor(attemptAt / 1000))
      const body = JSON.stringify(content.event)
      const signature = `v1,${await hmacBase64(key, `${messageId}.${timestamp}.${body}`)}`
      return { url: webhook.url, headers: { ...json, 'webhook-id': messageId, 'webhook-timestamp': timestamp, 'webhook-signature': signature }, body }
    }
    case 'slack':
      // No unfurling: a link in a visitor's comment must not make Slack fetch it and show a preview.
      return { url: webhook.url, headers: json, body: JSON.stringify({ text: content.text(CHAT_RULES.slack), unfurl_links: false, unfurl_media: false }) }
    case 'wecom':
      // Plain text, not markdown, and no mentioned_list: nobody is pinged.
      return { url: webhook.url, headers: json, body: JSON.stringify({ msgtype: 'text', text: { content: content.text(CHAT_RULES.wecom) } }) }
    case 'dingtalk': {
      // DingTalk robots: sign "timestamp\nsecret" with the secret, timestamp in ms, both in the URL.
      const url = new URL(webhook.url)
      if (webhook.secret) {
        const timestamp = String(attemptAt)
        url.searchParams.set('timestamp', timestamp)
        url.searchParams.set('sign', await hmacBase64(webhook.secret, `${timestamp}\n${webhook.secret}`))
      }
      const body = { msgtype: 'text', text: { content: content.text(CHAT_RULES.dingtalk) }, at: { isAtAll: false } }
      return { url: url.toString(), headers: json, body: JSON.stringify(body) }
    }
    case 'feishu': {
      // Feishu/Lark robots: HMAC-SHA256 keyed with "timestamp\nsecret" over an empty message, timestamp in seconds.
      const body: Record<string, unknown> = { msg_type: 'text', content: { text: content.text(CHAT_RULES.feishu) } }
      if (webhook.secret) {
        const timestamp = String(Math.floor(attemptAt / 1000))
        body.timestamp = timestamp
        body.sign = await hmacBase64(`${timestamp}\n${webhook.secret}`, '')
      }
      return { url: webhook.url, headers: json, body: JSON.stringify(body) }
    }
    case 'email':
      throw new WebhookConfigError('an email webhook is not sent over HTTP')
  }
}
