import { exports } from 'cloudflare:workers'
import type { ResponseInput, StatsResult } from '../../sdk/protocol.ts'

export const ORIGIN = 'http://127.0.0.1:8787'
export const TOKEN = 'dev-operator-token'

/** Calls the worker under test the way a browser or operator would. */
export function call(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(`https://hearken.test${path}`, init))
}

/** A valid NPS response for the demo site, with a fresh id. */
export function npsResponse(overrides: Partial<ResponseInput> = {}): ResponseInput {
  return {
    id: crypto.randomUUID(),
    site: 'pk_demo',
    survey: 'post-purchase-nps',
    score: 9,
    checkpoint: 'order_completed',
    visitor: `v${crypto.randomUUID().slice(0, 8)}`,
    ...overrides,
  }
}

/** Posts JSON to an ingest route from an allowed origin. */
export function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return call(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

/** Reads stats as the demo operator. */
export async function stats(survey = 'post-purchase-nps'): Promise<StatsResult> {
  const reply = await call(`/v1/sites/pk_demo/stats?survey=${survey}`, { headers: { authorization: `Bearer ${TOKEN}` } })
  return reply.json<StatsResult>()
}
