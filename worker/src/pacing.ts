import { sha256Hex } from './crypto.ts'
import type { WebhookFormat } from './webhooks.ts'

/**
 * How fast each platform lets one robot post, and when the next message may go. Limits are
 * counted over sliding windows of the worker's own attempts (stricter than the platforms'
 * calendar minutes), per robot URL, so two webhooks posting to the same robot share it.
 */
export interface Pace {
  perSecond?: number
  perMinute?: number
  /**
   * Chat robots are read by people: after a message, new alerts wait this long and then go
   * together as one message. Retries and test alerts do not wait for it.
   */
  mergeWindowMs: number
}

export const PACES: Record<WebhookFormat, Pace> = {
  // WeCom: 20 messages a minute per robot.
  wecom: { perMinute: 20, mergeWindowMs: 60_000 },
  // DingTalk: 20 a minute per robot; more, and the robot is blocked for 10 minutes.
  dingtalk: { perMinute: 20, mergeWindowMs: 60_000 },
  // Feishu/Lark custom bots: 100 a minute and 5 a second.
  feishu: { perMinute: 100, perSecond: 5, mergeWindowMs: 60_000 },
  // Slack: about one message a second per channel.
  slack: { perSecond: 1, mergeWindowMs: 60_000 },
  // Machines: every alert is its own event, sent as it comes, ten a second at most.
  json: { perSecond: 10, mergeWindowMs: 0 },
  // Email is read in an inbox: a burst waits five minutes and arrives as one email; 30 a minute at most.
  email: { perMinute: 30, perSecond: 1, mergeWindowMs: 300_000 },
}

/**
 * The earliest time from `now` on at which one more message keeps every window within its
 * limit, given the times of earlier attempts (any order). A window holds the attempts in
 * (t − length, t]; the attempt that must drop out is the limit-th most recent.
 */
export function nextSlot(pace: Pace, attempts: readonly number[], now: number): number {
  const recent = [...attempts].sort((a, b) => b - a)
  let at = now
  for (const [limit, length] of [[pace.perMinute, 60_000], [pace.perSecond, 1000]] as const) {
    if (limit === undefined) continue
    const inWindow = recent.filter((time) => time > at - length)
    if (inWindow.length >= limit) at = Math.max(at, inWindow[limit - 1]! + length)
  }
  return at
}

/**
 * The key a robot's attempts and blocks are kept under: its URL, as the platform reads it (host
 * case, default port and fragment do not make another robot), whatever webhook or site posts to it.
 */
export function robotOf(url: string): Promise<string> {
  const parsed = new URL(url)
  parsed.hash = ''
  return sha256Hex(parsed.href)
}
