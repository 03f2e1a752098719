import { describe, expect, it } from 'vitest'
import { ORIGIN, asOperator, fixedWindowLimiter, freshSite, postWith } from './helpers.ts'

const LIMIT = 30
const PERIOD_MS = 60_000

/** A limiter as wrangler.jsonc sets it (30 a minute), on a clock this test moves: no run can straddle a window by chance. */
function limiterAt(start: number) {
  let now = start
  return { VISITOR_LIMITER: fixedWindowLimiter(LIMIT, PERIOD_MS, () => now), advance: (ms: number) => void (now += ms) }
}

const answer = (site: string, visitor: string | undefined) => ({ id: crypto.randomUUID(), site, survey: 'nps', score: 9, ...(visitor ? { visitor } : {}) })

describe('rate limits', () => {
  it('let one visitor post 30 a window, answer the 31st with 429 and Retry-After, store nothing more, and open again each window', async () => {
    const { site, token } = await freshSite()
    // Mid-window, so the first window is cut short as a real one would be.
    const limiter = limiterAt(Date.UTC(2026, 0, 1, 12, 0, 45))
    const bindings = { VISITOR_LIMITER: limiter.VISITOR_LIMITER }
    const stored: string[] = []
    const refused: string[] = []

    for (let window = 0; window < 3; window++) {
      for (let index = 0; index < LIMIT; index++) {
        const body = answer(site, 'busy')
        const reply = await postWith(bindings, '/v1/responses', body)
        expect(reply.status, `window ${window}, post ${index + 1}`).toBe(201)
        stored.push(body.id)
      }
      const body = answer(site, 'busy')
      const limited = await postWith(bindings, '/v1/responses', body)
      expect(limited.status).toBe(429)
      expect(limited.headers.get('retry-after')).toBe('60')
      // The page can read the refusal: the CORS grant stays.
      expect(limited.headers.get('access-control-allow-origin')).toBe(ORIGIN)
      expect((await limited.json<{ error: { code: string } }>()).error.code).toBe('rate_limited')
      refused.push(body.id)
      limiter.advance(PERIOD_MS)
    }

    // Exactly the accepted answers are stored, whatever day the run falls on.
    const listed = await (await asOperator(`/v1/sites/${site}/responses?limit=1000`, token)).json<{ responses: { id: string }[] }>()
    expect(listed.responses.map((response) => response.id).sort()).toEqual(stored.toSorted())
    expect(stored).toHaveLength(3 * LIMIT)
    expect(refused).toHaveLength(3)
  })

  it('count each visitor apart, and clients without a visitor id by their address', async () => {
    const { site } = await freshSite()
    const { VISITOR_LIMITER } = limiterAt(Date.UTC(2026, 0, 1))
    const bindings = { VISITOR_LIMITER }
    for (let index = 0; index < LIMIT; index++) expect((await postWith(bindings, '/v1/responses', answer(site, 'first'))).status).toBe(201)
    expect((await postWith(bindings, '/v1/responses', answer(site, 'first'))).status).toBe(429)
    // Another visitor is not throttled by the first.
    expect((await postWith(bindings, '/v1/responses', answer(site, 'second'))).status).toBe(201)

    const from = (address: string) => ({ 'cf-connecting-ip': address })
    for (let index = 0; index < LIMIT; index++) expect((await postWith(bindings, '/v1/responses', answer(site, undefined), from('203.0.113.7'))).status).toBe(201)
    expect((await postWith(bindings, '/v1/responses', answer(site, undefined), from('203.0.113.7'))).status).toBe(429)
    expect((await postWith(bindings, '/v1/responses', answer(site, undefined), from('203.0.113.8'))).status).toBe(201)
  })
})
