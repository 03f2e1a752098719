import { assertFitsSurvey, parseImpression, parseResponse, storeImpression, storeResponse } from '../ingest.ts'
import { ingestRoute } from './ingest-route.ts'

/** `POST /v1/responses`: idempotent on each response's `id`; a later post of an id merges its comment and ratings. */
export const responseRoutes = ingestRoute({
  batchKey: 'responses',
  parse: parseResponse,
  store: (c, site, survey, response, prefix) => {
    assertFitsSurvey(survey, response, prefix)
    return storeResponse(c.env.DB, site, survey, response, { userAgent: c.req.header('user-agent') })
  },
})

/** `POST /v1/impressions`: a survey shown or dismissed, for response rates; idempotent on `id`. */
export const impressionRoutes = ingestRoute({
  batchKey: 'impressions',
  parse: parseImpression,
  store: (c, site, _survey, impression) => storeImpression(c.env.DB, site, impression),
})
