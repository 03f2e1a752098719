import type { ImpressionInput } from '../../../sdk/protocol.ts'
import { askedStatement } from '../fatigue.ts'
import { storedUserId } from '../pii.ts'
import { parseImpression, storeImpressions, type Impression } from '../ingest.ts'
import { linkImpressionId } from '../links.ts'
import { ingestRoute } from './ingest-route.ts'

/**
 * `POST /v1/impressions`: a survey shown or dismissed, for response rates; idempotent on `id`.
 * A card shown to an identified user (or a survey link's page, for the link's user) counts
 * towards that user's fatigue on every device.
 */
export const ingestImpressionRoutes = ingestRoute<ImpressionInput, Impression>({
  batchKey: 'impressions',
  parse: parseImpression,
  linkedId: linkImpressionId,
  prepare: (_c, _site, { item, survey, link, prefix }) => ({
    impression: link
      ? { ...item, user: link.user ?? item.user, segment: link.segment ?? item.segment, checkpoint: link.checkpoint ?? item.checkpoint, visitor: `link-${link.id}` }
      : item,
    survey,
    prefix,
    channel: link ? `link:${link.id}` : 'web',
  }),
  visitorOf: ({ impression }) => impression.visitor,
  store: async (c, site, impressions, admission) => {
    const now = Date.now()
    const asked = await Promise.all(
      impressions.flatMap(({ impression, survey, channel }) =>
        impression.kind === 'shown' && impression.user && channel
          ? [storedUserId(site, impression.user).then((user) => askedStatement(c.env.DB, site.id, user, survey.id, channel, now))]
          : [],
      ),
    )
    return storeImpressions(c.env.DB, site, impressions, c.req.header('user-agent') ?? '', admission, now, asked)
  },
})
