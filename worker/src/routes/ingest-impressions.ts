import { parseImpression, storeImpression } from '../ingest.ts'
import { linkImpressionId } from '../links.ts'
import { ingestRoute } from './ingest-route.ts'

/** `POST /v1/impressions`: a survey shown or dismissed, for response rates; idempotent on `id`. */
export const ingestImpressionRoutes = ingestRoute({
  batchKey: 'impressions',
  parse: parseImpression,
  linkedId: linkImpressionId,
  store: (c, site, _survey, impression, _prefix, link) =>
    storeImpression(c.env.DB, site, link ? { ...impression, segment: link.segment ?? impression.segment, checkpoint: link.checkpoint ?? impression.checkpoint } : impression),
})
