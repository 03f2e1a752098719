import { alertUnhappyAnswer } from '../alerts.ts'
import { askedStatement } from '../fatigue.ts'
import { assertFitsSurvey, parseResponse, storeResponse } from '../ingest.ts'
import { linkResponseId } from '../links.ts'
import { ingestRoute } from './ingest-route.ts'

/**
 * `POST /v1/responses`: the public ingest of answers from pages, the SDK and survey links;
 * idempotent on each response's `id`, and a later post of an id merges its comment and
 * ratings. An identified user's answer counts towards their fatigue on every device.
 * (Operators read answers through `GET /v1/sites/:site/responses`, in responses.ts.)
 */
export const ingestResponseRoutes = ingestRoute({
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
    const now = Date.now()
    const [{ followUpOpened, ...result }] = await Promise.all([
      storeResponse(c.env.DB, site, survey, response, sender, now),
      response.user && askedStatement(c.env.DB, site.id, response.user, survey.id, link ? `link:${link.id}` : 'web', now).run(),
    ])
    if (followUpOpened) await alertUnhappyAnswer(c.env, site, response.id)
    return result
  },
})
