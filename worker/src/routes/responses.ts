import { queueAlert, recentUnhappyAnswers } from '../alerts.ts'
import { linkImpressionId, linkResponseId } from '../links.ts'
import type { Site } from '../sites.ts'
import { assertFitsSurvey, parseImpression, parseResponse, storeImpression, storeResponse } from '../ingest.ts'
import { ingestRoute } from './ingest-route.ts'

/** `POST /v1/responses`: idempotent on each response's `id`; a later post of an id merges its comment and ratings. */
export const responseRoutes = ingestRoute({
  batchKey: 'responses',
  parse: parseResponse,
  linkedId: linkResponseId,
  store: async (c, site, survey, given, prefix, link) => {
    assertFitsSurvey(survey, given, prefix)
    // What a link says about who and what the answer is about wins over what the page sent.
    const response = link
      ? { ...given, user: link.user ?? given.user, segment: link.segment ?? given.segment, checkpoint: link.checkpoint ?? given.checkpoint, visitor: given.visitor ?? `link-${link.id}` }
      : given
    const sender = { userAgent: c.req.header('user-agent'), allowScoreChange: Boolean(link) }
    const { followUpOpened, ...result } = await storeResponse(c.env.DB, site, survey, response, sender)
    if (followUpOpened) await alertUnhappyAnswer(c.env, site, response.id)
    return result
  },
})

/** `POST /v1/impressions`: a survey shown or dismissed, for response rates; idempotent on `id`. */
export const impressionRoutes = ingestRoute({
  batchKey: 'impressions',
  parse: parseImpression,
  linkedId: linkImpressionId,
  store: (c, site, _survey, impression, _prefix, link) =>
    storeImpression(c.env.DB, site, link ? { ...impression, segment: link.segment ?? impression.segment, checkpoint: link.checkpoint ?? impression.checkpoint } : impression),
})

/**
 * An unhappy answer alerts its site's webhooks once the follow-up comment has had time to
 * arrive, and a second one from the same person within 30 days raises a high-risk alert.
 * The answer is stored already: a queue failure is logged, never turned into a lost answer.
 */
async function alertUnhappyAnswer(env: Env, site: Site, responseId: string): Promise<void> {
  try {
    const delay = Number(env.ALERT_DELAY_SECONDS) || 0
    await queueAlert(env, site, 'negative', responseId, delay)
    if ((await recentUnhappyAnswers(env.DB, site.id, responseId)) === 2) await queueAlert(env, site, 'high_risk', responseId, delay)
  } catch (error) {
    console.error('queueing an alert failed', error instanceof Error ? error.message : error)
  }
}
