import { env } from 'cloudflare:workers'
import fc from 'fast-check'
import { expect, it } from 'vitest'
import { ORIGIN, call } from './helpers.ts'

/**
 * A thousand and more malformed requests to the ingest routes: wrong types, huge and
 * non-finite numbers, unicode edge cases, deep nesting, truncated JSON, wrong content types,
 * oversized bodies, unknown sites and surveys. Each must get a 4xx with an error body, never
 * a 5xx; nothing may be stored; and the worker must still serve a good request afterwards.
 */
const weirdString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('\u0000', '\uD800', '\uFFFF', '💥'.repeat(600), 'a'.repeat(70), "'; DROP TABLE responses; --", '<script>alert(1)</script>', '__proto__', 'constructor'),
)
const weirdNumber = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 11, 1e308, 0.5))
const weirdValue = fc.oneof(weirdString, weirdNumber, fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.object({ maxDepth: 2 }))
const deep = fc.integer({ min: 50, max: 3000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth))

const valid = () => ({ id: crypto.randomUUID(), site: 'pk_demo', survey: 'post-purchase-nps', score: 8, visitor: 'fuzzer' })

const notString = fc.oneof(weirdNumber, fc.boolean(), fc.array(fc.integer(), { maxLength: 3 }), fc.object({ maxDepth: 2 }))
const tooLong = (max: number) => fc.string({ minLength: max + 1, maxLength: max + 40 })
const notScore = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }).filter((value) => !Number.isInteger(value)), fc.integer({ min: 11 }), fc.integer({ max: -1 }), fc.string(), fc.constant(null))

/** For each field, values that are wrong for it whatever else the request holds. */
const wrongFor: Record<string, fc.Arbitrary<unknown>> = {
  id: fc.oneof(notString, fc.string({ maxLength: 35 }), fc.uuid().map((id) => `${id}x`)),
  site: fc.oneof(notString, fc.constantFrom('pk_nobody', 'pk_', 'demo', "pk_'; --")),
  survey: fc.oneof(notString, fc.constantFrom('nope', 'POST-PURCHASE', '')),
  score: notScore,
  checkpoint: fc.oneof(notString, tooLong(64), fc.constantFrom('has space', '<b>')),
  segment: fc.oneof(notString, tooLong(64)),
  comment: fc.oneof(notString, tooLong(2000), fc.constant('')),
  dimensions: fc.oneof(fc.array(fc.integer(), { minLength: 1, maxLength: 3 }), fc.constant({ product: 9 }), fc.constant({ 'bad key': 3 }), fc.string({ minLength: 1 })),
  visitor: fc.oneof(notString, tooLong(64), fc.constant('has space')),
  user: fc.oneof(notString, tooLong(128)),
  locale: fc.oneof(notString, fc.constant('en_US!')),
  elapsedMs: fc.oneof(fc.integer({ max: -1 }), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((value) => !Number.isInteger(value)), fc.string()),
  link: fc.oneof(notString, fc.constantFrom('forged.token.here', 'a.b')),
  answeredAt: fc.oneof(fc.integer({ max: -1 }), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((value) => !Number.isInteger(value)), fc.string(), fc.constant(1e300)),
  // A number or a boolean is a prop as the page gave it, kept as text, and a long text is cut; these are not props.
  subject: fc.oneof(fc.array(fc.integer(), { maxLength: 3 }), fc.object({ maxDepth: 2 }), fc.constant(''), fc.constant('\ud83d')),
}

/** A response with one field broken, or a batch too big. */
const brokenResponse = fc.oneof(
  fc.constantFrom(...Object.keys(wrongFor)).chain((field) => wrongFor[field]!.map((value) => JSON.stringify({ ...valid(), [field]: value }))),
  fc.integer({ min: 51, max: 60 }).map((count) => JSON.stringify({ responses: Array.from({ length: count }, valid) })),
)

const rawBody = fc.oneof(
  brokenResponse,
  brokenResponse.map((json) => json.slice(0, Math.max(1, Math.floor(json.length / 2)))),
  deep,
  weirdValue.map((value) => JSON.stringify(value) ?? 'undefined'),
  fc.constantFrom('', 'null', '[]', '{}', '{"responses":{}}', '{"responses":[]}', 'NaN', '{"score":NaN}', '\uFEFF{}'),
)

const contentType = fc.oneof(
  fc.constant('application/json'),
  fc.constant('text/plain;charset=UTF-8'),
  fc.constantFrom('application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/html', '', 'application/json; charset=utf-16'),
)

async function storedCount(): Promise<number> {
  return (await env.DB.prepare('SELECT COUNT(*) AS n FROM responses').first<number>('n')) ?? 0
}

it('answers every malformed request with a 4xx and stores nothing', async () => {
  const before = await storedCount()
  let requests = 0
  await fc.assert(
    fc.asyncProperty(rawBody, contentType, fc.constantFrom('/v1/responses', '/v1/impressions'), async (body, type, path) => {
      requests++
      const reply = await call(path, { method: 'POST', headers: { 'content-type': type, origin: ORIGIN }, body })
      expect(reply.status, `${type} ${body.slice(0, 80)}`).toBeGreaterThanOrEqual(400)
      expect(reply.status).toBeLessThan(500)
      const error = await reply.json<{ error?: { code: string; message: string } }>()
      expect(error.error?.message).toBeTruthy()
    }),
    // Seeded: the same 1,100 requests every run, so a failure can be replayed and none comes by chance.
    { seed: 20_261_201, numRuns: 1100 },
  )
  expect(requests).toBeGreaterThanOrEqual(1100)
  expect(await storedCount()).toBe(before)
  const good = await call('/v1/responses', { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: JSON.stringify({ ...valid(), visitor: 'after-fuzz' }) })
  expect(good.status).toBe(201)
}, 120_000)

it('refuses a 1 MB body with 413 before reading it all', async () => {
  const reply = await call('/v1/responses', { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: `{"comment":"${'x'.repeat(1024 * 1024)}"}` })
  expect(reply.status).toBe(413)
})

it('refuses unknown routes and methods with a 4xx', async () => {
  for (const [method, path] of [['GET', '/v1/responses'], ['PUT', '/v1/responses'], ['DELETE', '/v1/impressions'], ['GET', '/v1/sites/pk_demo/nothing']] as const) {
    const reply = await call(path, { method, headers: { origin: ORIGIN } })
    expect(reply.status, `${method} ${path}`).toBeGreaterThanOrEqual(400)
    expect(reply.status).toBeLessThan(500)
  }
})
