import type { WebhookFormat } from './webhooks.ts'

/**
 * What a receiver's answer means. WeCom, DingTalk and Feishu answer HTTP 200 even when they
 * refuse a message, with the reason as an error code in the JSON body, so the body is the
 * truth and the status only a fallback.
 * - `delivered`: the platform took it.
 * - `retry`: try again later (`afterMs` when the platform says how long: a rate limit's window, `Retry-After`).
 * - `rejected`: this message will never be accepted (say, malformed); later ones may be.
 * - `config`: the webhook's set-up is wrong (signature, keyword, IP allow-list, unknown robot, a redirect):
 *   nothing is sent until the operator fixes it; alerts wait instead of failing one by one.
 * - `gone`: the receiver asked to stop (HTTP 410, an archived Slack channel).
 */
export type ReplyVerdict =
  | { outcome: 'delivered'; message: string }
  | { outcome: 'retry'; message: string; afterMs?: number; rateLimited?: boolean }
  | { outcome: 'rejected' | 'config' | 'gone'; message: string }

export interface Reply {
  status: number
  /** The start of the body (receivers are not trusted to send a small one). */
  body: string
  retryAfter: string | null
  location: string | null
}

const MINUTE = 60_000

/** Error codes each platform documents, by what they mean for us. */
const CODES: Record<'wecom' | 'dingtalk' | 'feishu', { rate: Record<number, number>; busy: number[]; config: number[] }> = {
  // WeCom group robots: 45009 api freq out of limit (20 a minute per robot); 93000 invalid webhook url
  // (the key is wrong or the robot was removed); 93004/93008 the robot is disabled or not in the chat.
  wecom: { rate: { 45009: MINUTE }, busy: [-1], config: [93000, 93004, 93008, 40014, 42001] },
  // DingTalk custom robots: 130101 and 410100 send too fast (20 a minute, then blocked for 10 minutes);
  // 90030 webhook over limit (the plan's quota); 310000 keywords not in content, sign not match,
  // timestamp invalid or IP not in whitelist; 300001 / 400101 / 400102 unknown token or robot stopped.
  dingtalk: { rate: { 130101: 10 * MINUTE, 410100: 10 * MINUTE, 90030: 60 * MINUTE }, busy: [-1], config: [310000, 300001, 300004, 400101, 400102, 400105] },
  // Feishu/Lark custom bots: 11232 and 11233 frequency limited (100 a minute, 5 a second); 19021 sign
  // match fail or timestamp not within an hour; 19022 IP not allowed; 19024 key words not found;
  // 19001 param invalid: the webhook's token is unknown; 19002 the bot is not in the chat.
  feishu: { rate: { 11232: MINUTE, 11233: MINUTE }, busy: [9500], config: [19001, 19002, 19021, 19022, 19024] },
}

const PLATFORM_NAMES: Record<WebhookFormat, string> = { json: 'Receiver', slack: 'Slack', wecom: 'WeCom', dingtalk: 'DingTalk', feishu: 'Feishu', email: 'Email' }

/** Retry-After in ms: seconds or an HTTP date, at most a day. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (!value) return undefined
  const seconds = /^\d+$/.test(value.trim()) ? Number(value.trim()) * 1000 : Date.parse(value) - now
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 24 * 3600_000) : undefined
}

/** What the platform said, on one line and short enough to show. */
const said = (text: string): string => text.replace(/\s+/g, ' ').trim().slice(0, 300)

function parseJson(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}

/** Reads a chat platform's `errcode`/`code` body; null when the body carries none. */
function platformCode(format: 'wecom' | 'dingtalk' | 'feishu', body: string): { code: number; text: string } | null {
  const json = parseJson(body)
  if (!json) return null
  const code = format === 'feishu' ? (json.code ?? json.StatusCode) : json.errcode
  if (typeof code !== 'number') return null
  const text = format === 'feishu' ? (json.msg ?? json.StatusMessage) : json.errmsg
  return { code, text: typeof text === 'string' ? said(text) : '' }
}

/** The answer of a receiver that speaks plain HTTP (the JSON format, Slack, and the fallback for the others). */
function byStatus(format: WebhookFormat, reply: Reply, now: number): ReplyVerdict {
  const name = PLATFORM_NAMES[format]
  const detail = said(reply.body)
  const message = `${name} answered HTTP ${reply.status}${detail ? `: ${detail}` : ''}`
  if (reply.status >= 200 && reply.status < 300) return { outcome: 'delivered', message: `HTTP ${reply.status}` }
  if (reply.status === 410) return { outcome: 'gone', message: `${message} (410 Gone: the receiver asked for no more messages)` }
  // A redirect says the URL moved or was mistyped: retrying the same URL for a day would only fail
  // the same way, so the webhook is paused until the operator puts the final URL in.
  if (reply.status >= 300 && reply.status < 400) {
    return { outcome: 'config', message: `${name} answered HTTP ${reply.status}, a redirect${reply.location ? ` to ${said(reply.location)}` : ''}: redirects are not followed, so put the final URL in the webhook` }
  }
  const afterMs = retryAfterMs(reply.retryAfter, now)
  if (reply.status === 429) return { outcome: 'retry', message, afterMs: afterMs ?? MINUTE, rateLimited: true }
  if (format === 'json' || reply.status >= 500 || reply.status === 408) return { outcome: 'retry', message, ...(afterMs === undefined ? {} : { afterMs }) }
  // Slack: 403 invalid_token / action_prohibited, 404 no_service / channel_not_found: the webhook itself is wrong.
  if (reply.status === 401 || reply.status === 403 || reply.status === 404) return { outcome: 'config', message }
  return { outcome: 'rejected', message }
}

/** Classifies one answer to one message. */
export function readReply(format: WebhookFormat, reply: Reply, now: number): ReplyVerdict {
  // Email has no HTTP reply; email-delivery.ts reads the binding's errors.
  if (format === 'json' || format === 'email') return byStatus(format, reply, now)
  if (format === 'slack') {
    // Slack answers 200 "ok"; an archived channel is 410 channel_is_archived.
    return byStatus(format, reply, now)
  }
  const platform = platformCode(format, reply.body)
  if (!platform) {
    if (reply.status >= 200 && reply.status < 300) return { outcome: 'retry', message: `${PLATFORM_NAMES[format]} answered HTTP ${reply.status} without a result code: ${said(reply.body) || '(empty body)'}` }
    return byStatus(format, reply, now)
  }
  const { code, text } = platform
  const message = `${PLATFORM_NAMES[format]} ${format === 'feishu' ? 'code' : 'errcode'} ${code}${text ? `: ${text}` : ''}`
  if (code === 0) return { outcome: 'delivered', message: 'ok' }
  const codes = CODES[format]
  const window = codes.rate[code]
  if (window !== undefined) return { outcome: 'retry', message, afterMs: window, rateLimited: true }
  if (codes.busy.includes(code) || reply.status >= 500) return { outcome: 'retry', message }
  if (codes.config.includes(code)) return { outcome: 'config', message }
  return { outcome: 'rejected', message }
}
