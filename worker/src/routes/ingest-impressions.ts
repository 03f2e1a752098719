import { askedStatement } from '../fatigue.ts'
import { parseImpression, storeImpression } from '../ingest.ts'
import { linkImpressionId } from '../links.ts'
import { ingestRoute } from './ingest-route.ts'

/**
 * `POST /v1/impressions`: a survey shown or dismissed, for response rates; idempotent on `id`.
 * A card shown to an identified user (or a survey link's page, for the link's user) counts
 * towards that user's fatigue on every device.
 */
export const ingestImpressionRoutes = ingestRoute({
  batchKey: 'impressions',
  parse: parseImpression,
  linkedId: linkImpressionId,
  store: async (c, site, _survey, given, _prefix, link) => {
    const impression = link ? { ...given, user: link.user ?? given.user, segment: link.segment ?? given.segment, checkpoint: link.checkpoint ?? given.checkpoint } : given
    const now = Date.now()
    const asked = impression.kind === 'shown' && impression.user
    const [result] = await Promise.all([
      storeImpression(c.env.DB, site, impression, now),
      asked && askedStatement(c.env.DB, site.id, asked, impression.survey, link ? `link:${link.id}` : 'web', now).run(),
    ])
    return result
  },
})
