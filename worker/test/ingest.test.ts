import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { ORIGIN, call, npsResponse, post, stats } from './helpers.ts'

describe('POST /v1/responses', () => {
  it('stores a response and counts it in the stats', async () => {
    const before = await stats()
    const response = npsResponse({ score: 10, comment: 'Fast delivery' })
    const reply = await post('/v1/responses', response)
    expect(reply.status).toBe(201)
    expect(await reply.json()).toEqual({ id: response.id, status: 'stored' })
    expect(reply.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    const after = await stats()
    expect(after.nps!.n).toBe(before.nps!.n + 1)
    expect(after.nps!.promoters).toBe(before.nps!.promoters + 1)
  })

  it('treats a repeated id as the same answer: 200, counted once', async () => {
    const response = npsResponse({ score: 3 })
    expect((await post('/v1/responses', response)).status).toBe(201)
    const before = await stats()
    const repeat = await post('/v1/responses', response)
    expect(repeat.status).toBe(200)
    expect(await repeat.json()).toEqual({ id: response.id, status: 'duplicate' })
    expect(await stats()).toEqual(before)
  })

  it('accepts JSON sent as text/plain, as sendBeacon does', async () => {
    const reply = await post('/v1/responses', npsResponse(), { 'content-type': 'text/plain;charset=UTF-8' })
    expect(reply.status).toBe(201)
  })

  it('stores a batch', async () => {
    const responses = [npsResponse({ score: 0 }), npsResponse({ score: 8 })]
    const reply = await post('/v1/responses', { responses })
    expect(reply.status).toBe(200)
    expect(await reply.json()).toEqual({ results: responses.map(({ id }) => ({ id, status: 'stored' })) })
  })

  it.each([
    ['a score out of range for NPS', npsResponse({ score: 11 }), 400, 'score'],
    ['a score out of range for CSAT', npsResponse({ survey: 'support-csat', score: 0 }), 400, 'score'],
    ['a fractional score', npsResponse({ score: 7.5 }), 400, 'score'],
    ['a malformed id', npsResponse({ id: 'not-a-uuid' }), 400, 'id'],
    ['a comment over 2,000 characters', npsResponse({ comment: 'x'.repeat(2001) }), 400, 'comment'],
    ['an unknown survey', npsResponse({ survey: 'no-such-survey' }), 404, 'survey'],
    ['an unknown site', npsResponse({ site: 'pk_nobody' }), 404, 'site'],
  ])('rejects %s with a 4xx naming the field, storing nothing', async (_, body, status, field) => {
    const before = await stats()
    const reply = await post('/v1/responses', body)
    expect(reply.status).toBe(status)
    const { error } = await reply.json<{ error: { code: string; message: string; field: string } }>()
    expect(error.field).toBe(field)
    expect(error.message).toContain(field)
    expect(await stats()).toEqual(before)
    const row = await env.DB.prepare('SELECT COUNT(*) AS n FROM responses WHERE id = ?').bind(body.id).first<{ n: number }>()
    expect(row!.n).toBe(0)
  })

  it('rejects invalid JSON, other content types and oversized bodies', async () => {
    expect((await post('/v1/responses', '{"id":')).status).toBe(400)
    expect((await post('/v1/responses', npsResponse(), { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415)
    const huge = await post('/v1/responses', npsResponse({ comment: 'x'.repeat(17 * 1024) }))
    expect(huge.status).toBe(413)
    expect((await huge.json<{ error: { code: string } }>()).error.code).toBe('body_too_large')
  })

  it('refuses an origin the site does not allow, without a CORS grant', async () => {
    const reply = await post('/v1/responses', npsResponse(), { origin: 'https://evil.example' })
    expect(reply.status).toBe(403)
    expect(reply.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('answers a preflight only for a listed origin', async () => {
    const preflight = (origin: string) =>
      call('/v1/responses', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      })
    expect((await preflight(ORIGIN)).headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull()
  })
})
