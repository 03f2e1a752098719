import { retryAfter } from './backoff.ts'
import type { ErrorBody } from './protocol.ts'
import { postJson, withTimeout } from './request.ts'

/** What became of one send: stored, worth another try (maybe after a wait the worker asked for), or refused for good. */
export type Outcome = { ok: true } | { retry: 'network' | 'server'; after?: number } | { drop: string }

/** Delivers one body. Network errors, timeouts, 408, 429 and 5xx are worth retrying; any other 4xx is final. */
export async function post(url: string, body: string): Promise<Outcome> {
  try {
    return await withTimeout(async (signal) => {
      const reply = await postJson(url, body, signal)
      if (reply.ok) return { ok: true }
      if (reply.status >= 500 || reply.status === 429 || reply.status === 408) {
        return { retry: 'server', after: retryAfter(reply.headers.get('retry-after'), Date.now()) }
      }
      const error = ((await reply.json().catch(() => null)) as ErrorBody | null)?.error
      return { drop: `HTTP ${reply.status}${error ? `: ${error.message}` : ''}` }
    })
  } catch {
    return { retry: 'network' }
  }
}

/** The worker's body limit is 16 KB and its batches hold 50; a beacon stays under both. */
const BEACON_BYTES = 15_000
const BEACON_ITEMS = 50

/**
 * Hands bodies for one ingest route to `sendBeacon`, packed into as few batches
 * (`{ [key]: [...] }`) as the worker's limits allow: a leaving page gets few requests, and the
 * per-visitor rate limit counts requests. Returns the bodies the browser accepted to send.
 */
export function beaconAll<T extends object>(url: string, key: string, bodies: T[]): T[] {
  const accepted: T[] = []
  let batch: T[] = []
  let bytes = 0
  const send = (): void => {
    // A string goes as text/plain;charset=UTF-8: no preflight, which beacons cannot do.
    if (batch.length && beacon(url, JSON.stringify({ [key]: batch }))) accepted.push(...batch)
    batch = []
    bytes = 0
  }
  for (const body of bodies) {
    // UTF-16 length × 3 bounds the UTF-8 size without encoding anything.
    const size = JSON.stringify(body).length * 3
    if (batch.length === BEACON_ITEMS || (batch.length && bytes + size > BEACON_BYTES)) send()
    batch.push(body)
    bytes += size
  }
  send()
  return accepted
}

function beacon(url: string, body: string): boolean {
  try {
    return navigator.sendBeacon(url, body)
  } catch {
    return false
  }
}
