import { retryAfter } from './backoff.ts'
import type { ErrorBody } from './protocol.ts'

/** What became of one send: stored, worth another try (maybe after a wait the worker asked for), or refused for good. */
export type Outcome = { ok: true } | { retry: 'network' | 'server'; after?: number } | { drop: string }

/** Chrome refuses keepalive requests beyond 64 KB in flight per page; stay well under it. */
const KEEPALIVE_LIMIT = 60_000

/**
 * Posts one JSON body as `text/plain`: a "simple" request needs no CORS preflight, so an
 * answer costs one round trip, not two; `keepalive` lets it finish after the tab closes.
 * Network errors, 408, 429 and 5xx are worth retrying; any other 4xx is final.
 */
export async function post(url: string, body: string): Promise<Outcome> {
  let reply: Response
  try {
    reply = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body,
      keepalive: body.length < KEEPALIVE_LIMIT,
    })
  } catch {
    return { retry: 'network' }
  }
  if (reply.ok) return { ok: true }
  if (reply.status >= 500 || reply.status === 429 || reply.status === 408) {
    return { retry: 'server', after: retryAfter(reply.headers.get('retry-after'), Date.now()) }
  }
  const error = ((await reply.json().catch(() => null)) as ErrorBody | null)?.error
  return { drop: `HTTP ${reply.status}${error ? `: ${error.message}` : ''}` }
}

/** Hands a body to the browser to send after the page is gone; false when the browser declines. */
export function beacon(url: string, body: string): boolean {
  try {
    // A string goes as text/plain;charset=UTF-8: no preflight, which beacons cannot do.
    return navigator.sendBeacon(url, body)
  } catch {
    return false
  }
}
