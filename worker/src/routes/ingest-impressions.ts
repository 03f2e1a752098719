import type { ImpressionInput } from '../../../sdk/protocol.ts'
import { parseImpression, storeImpressions, type Impression } from '../ingest.ts'
import { linkImpressionId } from '../links.ts'
import { ingestRoute } from './ingest-route.ts'

/** `POST /v1/impressions`: a survey shown or dismissed, for response rates; idempotent on `id`. */
export const ingestImpressionRoutes = ingestRoute<ImpressionInput, Impression>({
  batchKey: 'impressions',
  parse: parseImpression,
  linkedId: linkImpressionId,
  prepare: (_c, _site, { item, survey, link, prefix }) => ({
    impression: link
      ? { ...item, segment: link.segment ?? item.segment, checkpoint: link.checkpoint ?? item.checkpoint, visitor: `link-${link.id}` }
      : item,
    survey,
    prefix,
  }),
  visitorOf: ({ impression }) => impression.visitor,
  store: (c, site, impressions, admission) => storeImpressions(c.env.DB, site, impressions, c.req.header('user-agent'), admission),
})
