import type { ErrorBody, ResponseInput } from './protocol.ts'

/**
 * Posts one response. The body is JSON sent as `text/plain`: a "simple" request
 * needs no CORS preflight, so an answer costs one round trip, not two.
 * Resolves when the worker stored it (or already had it); rejects with the reason otherwise.
 */
export async function postResponse(endpoint: string, response: ResponseInput): Promise<void> {
  const reply = await fetch(`${endpoint}/v1/responses`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify(response),
    keepalive: true,
  })
  if (reply.ok) return
  const body = (await reply.json().catch(() => null)) as ErrorBody | null
  throw new Error(body?.error.message ?? `HTTP ${reply.status}`)
}
