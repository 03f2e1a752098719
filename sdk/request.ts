/** Chrome refuses keepalive requests beyond 64 KB in flight per page; stay well under it. */
const KEEPALIVE_LIMIT = 60_000

/** No request waits longer: a connection the network leaves hanging must not hold the outbox (and its lock) for good. */
export const REQUEST_TIMEOUT_MS = 10_000

/**
 * Runs `task` with a signal that aborts after `ms`. A plain timer, not `AbortSignal.timeout`,
 * so that a test's fake clock drives it like every other wait.
 */
export async function withTimeout<T>(task: (signal: AbortSignal) => Promise<T>, ms = REQUEST_TIMEOUT_MS): Promise<T> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${ms} ms`)), ms)
  try {
    return await task(controller.signal)
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Posts a JSON body as `text/plain`: a "simple" request needs no CORS preflight, so it costs
 * one round trip, not two; `keepalive` lets it finish after the tab closes.
 */
export const postJson = (url: string, body: string, signal: AbortSignal): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body, keepalive: body.length < KEEPALIVE_LIMIT, signal })
