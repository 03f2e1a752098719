import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { ResponseInput, ResponseResult } from '../../../sdk/protocol.ts'
import type { AppEnv } from '../env.ts'
import { RequestError } from '../errors.ts'
import { assertScoreFits, parseResponse, storeResponse } from '../ingest.ts'
import { assertAllowedOrigin, ingestCors } from '../origins.ts'
import { findSite, findSurvey } from '../sites.ts'

const MAX_BODY = 16 * 1024
const MAX_BATCH = 50

/** `POST /v1/responses`: one response or `{ responses: [...] }`, idempotent on each `id`. */
export const responseRoutes = new Hono<AppEnv>()

responseRoutes.use('/', ingestCors())

responseRoutes.post(
  '/',
  bodyLimit({
    maxSize: MAX_BODY,
    onError: () => {
      throw new RequestError(413, 'body_too_large', `the body must be at most ${MAX_BODY} bytes`)
    },
  }),
  async (c) => {
    // text/plain is what sendBeacon and preflight-free fetches send; both hold JSON.
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
    if (type !== 'application/json' && type !== 'text/plain') {
      throw new RequestError(415, 'unsupported_media_type', 'send JSON as application/json or text/plain')
    }
    let body: unknown
    try {
      body = JSON.parse(await c.req.text())
    } catch {
      throw new RequestError(400, 'invalid_json', 'the body is not valid JSON')
    }
    const batch = typeof body === 'object' && body !== null && 'responses' in body
    const items: unknown[] = batch ? toBatch((body as { responses: unknown }).responses) : [body]
    const parsed = items.map((item, index) => parseResponse(item, batch ? `responses[${index}]` : ''))
    const siteId = parsed[0]?.site
    if (!siteId) throw new RequestError(400, 'invalid_field', 'responses must not be empty', 'responses')
    if (parsed.some((response) => response.site !== siteId)) {
      throw new RequestError(400, 'invalid_field', 'every response in a batch must be for the same site', 'site')
    }
    const site = await findSite(c.env.DB, siteId)
    if (!site) throw new RequestError(404, 'unknown_site', `no site ${siteId}`, 'site')
    assertAllowedOrigin(site, c.req.header('origin'), c.req.header('sec-fetch-site'))
    await Promise.all(parsed.map((response, index) => checkSurvey(c.env.DB, site.id, response, batch ? `responses[${index}]` : '')))

    const results: ResponseResult[] = []
    for (const response of parsed) results.push(await storeResponse(c.env.DB, site, response))
    if (batch) return c.json({ results })
    const [result] = results as [ResponseResult]
    return c.json(result, result.status === 'stored' ? 201 : 200)
  },
)

function toBatch(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new RequestError(400, 'invalid_field', 'responses must be an array', 'responses')
  if (value.length > MAX_BATCH) {
    throw new RequestError(400, 'invalid_field', `responses may hold at most ${MAX_BATCH} items`, 'responses')
  }
  return value
}

async function checkSurvey(db: D1Database, siteId: string, response: ResponseInput, prefix: string): Promise<void> {
  const survey = await findSurvey(db, siteId, response.survey)
  const field = prefix ? `${prefix}.survey` : 'survey'
  if (!survey) throw new RequestError(404, 'unknown_survey', `${field}: no survey ${response.survey} on this site`, field)
  assertScoreFits(survey, response, prefix)
}
