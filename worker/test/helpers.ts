import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env, exports } from 'cloudflare:workers'
import type { ResponseInput } from '../../sdk/protocol.ts'
import type { StatsResult } from '../src/stats-result.ts'

export const ORIGIN = 'http://127.0.0.1:8787'
export const TOKEN = 'dev-operator-token'

/** What a phone's browser sends as its User-Agent: a request without one is flagged `bot`. */
export const BROWSER_AGENT = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1'

/** A request the way a browser sends it: with a User-Agent unless the test gives its own. */
const browserRequest = (path: string, init: RequestInit): Request => {
  const request = new Request(`https://hearken.test${path}`, init)
  if (!request.headers.has('user-agent')) request.headers.set('user-agent', BROWSER_AGENT)
  return request
}

/** Calls the worker under test the way a browser or operator would. */
export function call(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(browserRequest(path, init))
}

/**
 * Calls the worker with some bindings replaced (a limiter with a clock of the test's own, a
 * queue that records what is sent), and waits for everything the request left running.
 */
export function callWith(bindings: Partial<Env>, path: string, init: RequestInit = {}): Promise<Response> {
  return sendWith(bindings, browserRequest(path, init))
}

/** Hands the worker this very request (nothing added, not even a User-Agent), as {@link callWith} does. */
export async function sendWith(bindings: Partial<Env>, request: Request): Promise<Response> {
  const { default: worker } = await import('../src/index.ts')
  const ctx = createExecutionContext()
  const reply = await worker.fetch(request, { ...env, ...bindings }, ctx)
  await waitOnExecutionContext(ctx)
  return reply
}

/**
 * A fixed-window limiter like Workers' rate limiting binding (`limit` per `periodMs`, per key,
 * windows aligned to the clock), on a clock the test moves, so a test can cross windows at will.
 */
export function fixedWindowLimiter(limit: number, periodMs: number, clock: () => number): RateLimit {
  const counts = new Map<string, number>()
  return {
    limit: async ({ key }) => {
      const slot = `${Math.floor(clock() / periodMs)}|${key}`
      const used = (counts.get(slot) ?? 0) + 1
      counts.set(slot, used)
      return { success: used <= limit }
    },
  }
}

/** A queue that keeps what is sent to it, for a test to hand to the consumer itself. */
export function recordingQueue<Body>(): Queue<Body> & { sent: { body: Body; delaySeconds?: number }[] } {
  const sent: { body: Body; delaySeconds?: number }[] = []
  const metrics = () => ({ backlogCount: sent.length, backlogBytes: 0 })
  return {
    sent,
    send: async (body, options) => {
      sent.push({ body, ...(options?.delaySeconds === undefined ? {} : { delaySeconds: options.delaySeconds }) })
      return { metadata: { metrics: metrics() } }
    },
    sendBatch: async (messages) => {
      for (const { body, delaySeconds } of messages) sent.push({ body, ...(delaySeconds === undefined ? {} : { delaySeconds }) })
      return { metadata: { metrics: metrics() } }
    },
    metrics: async () => metrics(),
  }
}

/** Posts JSON to an ingest route from an allowed origin, with some bindings replaced (see {@link callWith}). */
export function postWith(bindings: Partial<Env>, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return callWith(bindings, path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN, ...headers },
    body: JSON.stringify(body),
  })
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
    elapsedMs: 4000,
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

export const ADMIN = 'test-admin-token'

/** An operator's request with a token. */
export function asOperator(path: string, token: string, init: RequestInit = {}): Promise<Response> {
  return call(path, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers } })
}

/** A fresh site of its own (so counts start at zero), with an NPS, a CSAT and a CES survey. */
export async function freshSite(settings: Record<string, unknown> = {}): Promise<{ site: string; token: string }> {
  const site = `pk_t${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`
  const created = await asOperator(`/v1/sites/${site}`, ADMIN, {
    method: 'PUT',
    body: JSON.stringify({ name: 'Test shop', origins: [ORIGIN], timezone: 'Asia/Shanghai', settings }),
  })
  if (created.status !== 201) throw new Error(`creating ${site}: ${created.status} ${await created.text()}`)
  const { operatorToken: token } = await created.json<{ operatorToken: string }>()
  const surveys = [
    {
      id: 'nps',
      type: 'nps',
      checkpoints: ['order_completed'],
      question: { en: 'How likely are you to recommend us?' },
      dimensions: [{ id: 'product', label: { en: 'Product' } }, { id: 'delivery', label: { en: 'Delivery' } }],
      dimensionWeights: { product: 3, delivery: 1 },
      goal: { target: 40 },
    },
    { id: 'csat', type: 'csat', checkpoints: ['ticket_closed'], question: { en: 'How satisfied are you?' }, goal: { target: 85 } },
    { id: 'ces', type: 'ces', checkpoints: ['setup_done'], question: { en: 'How easy was it?' } },
  ]
  for (const survey of surveys) {
    const put = await asOperator(`/v1/sites/${site}/surveys/${survey.id}`, token, { method: 'PUT', body: JSON.stringify(survey) })
    if (put.status !== 201) throw new Error(`creating survey ${survey.id}: ${put.status} ${await put.text()}`)
  }
  return { site, token }
}

/** Stats of a site's survey as its operator. */
export async function statsOf(site: string, token: string, query: string): Promise<StatsResult> {
  const reply = await asOperator(`/v1/sites/${site}/stats?${query}`, token)
  if (!reply.ok) throw new Error(`stats: ${reply.status} ${await reply.text()}`)
  return reply.json<StatsResult>()
}
