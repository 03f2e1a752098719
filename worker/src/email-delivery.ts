import { EmailMessage } from 'cloudflare:email'
import { mailtoAddress, plainAddress } from './email-address.ts'
import { buildMime } from './email-mime.ts'
import type { ReplyVerdict } from './webhook-replies.ts'
import type { Webhook } from './webhooks.ts'

/**
 * One attempt at an `email` webhook's message: a MIME message (email-mime.ts) handed to the
 * `send_email` binding `EMAIL`, from `EMAIL_FROM`. The binding answers by throwing; its error
 * code (Email Service) or message (Email Routing) says what it means, read here the way
 * webhook-replies.ts reads a chat platform's answer, so alert-delivery.ts paces, retries and
 * pauses email like every other format.
 */

/** What an email says. */
export interface EmailContent {
  subject: string
  text: string
  html: string
  /** BCP 47 language of the content. */
  lang: string
}

const MINUTE = 60_000

/** Email Service's error codes (its Workers API reference), by what they mean for us. */
const CONFIG_CODES = ['E_SENDER_NOT_VERIFIED', 'E_SENDER_DOMAIN_NOT_AVAILABLE', 'E_RECIPIENT_NOT_ALLOWED', 'E_RECIPIENT_SUPPRESSED']
const RETRY_CODES = ['E_DELIVERY_FAILED', 'E_INTERNAL_SERVER_ERROR']
const WAIT_CODES: Record<string, number> = { E_RATE_LIMIT_EXCEEDED: MINUTE, E_DAILY_LIMIT_EXCEEDED: 60 * MINUTE }

/** What a thrown send error means: a code of Email Service's, or an Email Routing message. */
export function readEmailError(error: unknown): ReplyVerdict {
  const code = typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : null
  const text = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim().slice(0, 300)
  const message = `Email ${code ? `${code}: ` : ''}${text}`
  if (code && code in WAIT_CODES) return { outcome: 'retry', message, afterMs: WAIT_CODES[code], rateLimited: true }
  if (code && CONFIG_CODES.includes(code)) return { outcome: 'config', message }
  if (code && RETRY_CODES.includes(code)) return { outcome: 'retry', message }
  if (code) return { outcome: 'rejected', message }
  // Email Routing names no codes: a destination it was not allowed or that is not verified is the set-up's fault.
  if (/not allowed|not verified|unverified|destination address/i.test(text)) return { outcome: 'config', message }
  return { outcome: 'retry', message }
}

/** Sends one email for a message; `messageId` makes its Message-ID, the same on every attempt. Never throws. */
export async function sendEmail(env: Env, webhook: Webhook, siteName: string, content: EmailContent, messageId: string, now: number, timeoutMs: number): Promise<ReplyVerdict> {
  const from = plainAddress(env.EMAIL_FROM ?? '')
  if (!from) return { outcome: 'config', message: 'Email needs a sender: set EMAIL_FROM to an address on a domain set up for sending (docs/digests.md)' }
  const to = mailtoAddress(webhook.url)
  if (!to) return { outcome: 'config', message: 'this webhook’s URL is not mailto: and one address: PUT it again' }
  if (!env.EMAIL) return { outcome: 'config', message: 'the worker has no send_email binding named EMAIL (wrangler.jsonc)' }
  const raw = buildMime({ from: { address: from, name: `Hearken · ${siteName}` }, to, subject: content.subject, text: content.text, html: content.html, id: messageId, date: now, lang: content.lang })
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    await Promise.race([
      env.EMAIL.send(new EmailMessage(from, to, raw)),
      new Promise((_, fail) => (timer = setTimeout(() => fail(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs))),
    ])
    return { outcome: 'delivered', message: 'sent' }
  } catch (error) {
    return readEmailError(error)
  } finally {
    clearTimeout(timer)
  }
}
