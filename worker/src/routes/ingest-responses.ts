import type { ResponseInput } from '../../../sdk/protocol.ts'
import { alertUnhappyAnswer } from '../alerts.ts'
import { RequestError } from '../errors.ts'
import { askedStatement } from '../fatigue.ts'
import { storedUserId } from '../pii.ts'
import { assertFitsSurvey, parseResponse, storeResponses, type Answer } from '../ingest.ts'
import { linkResponseId } from '../links.ts'
import { ingestRoute } from './ingest-route.ts'

/**
 * `POST /v1/responses`: the public ingest of answers from pages, the SDK and survey links;
 * idempotent on each response's `id`, and a later post of an id by the same visitor merges its
 * comment and ratings. An identified user's answer counts towards their fatigue on every device.
 * (Operators read answers through `GET /v1/sites/:site/responses`, in responses.ts.)
 */
export const ingestResponseRoutes = ingestRoute<ResponseInput, Answer>({
  batchKey: 'responses',
  parse: parseResponse,
  linkedId: linkResponseId,
  prepare: (_c, site, { item: given, survey, link, prefix }) => {
    assertFitsSurvey(survey, given, prefix)
    // A subject comes from the link, or from the checkpoint prop the site names (none: not kept).
    const subject = link ? (link.subject ?? undefined) : site.settings.subjectProps.length ? given.subject : undefined
    const { subject: _posted, ...rest } = given
    if (!link) return { response: { ...rest, ...(subject === undefined ? {} : { subject }) }, survey, viaLink: false, prefix, channel: 'web' }
    // Scanners open links and run their script: only a person's choice on the page records,
    // and the page measures it. A post without that time is not a person answering.
    if (given.elapsedMs === undefined) {
      const field = prefix ? `${prefix}.elapsedMs` : 'elapsedMs'
      throw new RequestError(400, 'gesture_required', `${field} is required for an answer through a survey link: it is recorded only once the person chooses on the page`, field)
    }
    // What a link says about who and what the answer is about wins over what the page sent;
    // the link is its one visitor, so only the link can change its answer.
    const response: ResponseInput = {
      ...rest,
      user: link.user ?? given.user,
      segment: link.segment ?? given.segment,
      checkpoint: link.checkpoint ?? given.checkpoint,
      visitor: `link-${link.id}`,
      ...(subject === undefined ? {} : { subject }),
    }
    return { response, survey, viaLink: true, prefix, channel: `link:${link.id}` }
  },
  visitorOf: (answer) => answer.response.visitor,
  store: async (c, site, answers, admission) => {
    const now = Date.now()
    // An identified user's answer counts towards their fatigue on every device, in the same batch.
    const asked = await Promise.all(
      answers.flatMap(({ response, survey, channel }) =>
        response.user && channel ? [storedUserId(site, response.user).then((user) => askedStatement(c.env.DB, site.id, user, survey.id, channel, now))] : [],
      ),
    )
    const { results, opened } = await storeResponses(c.env.DB, site, answers, c.req.header('user-agent') ?? '', admission, now, asked)
    // The answers are stored: alerts go out after the reply, and a queue failure never fails the post.
    for (const { id, unhappyInWindow } of opened) c.executionCtx.waitUntil(alertUnhappyAnswer(c.env, site, id, unhappyInWindow))
    return results
  },
})
