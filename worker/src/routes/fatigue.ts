import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { FatigueRequest } from '../../../sdk/protocol.ts'
import type { AppEnv } from '../env.ts'
import { RequestError } from '../errors.ts'
import { fatigueVerdict } from '../fatigue.ts'
import { assertAllowedOrigin, ingestCors } from '../origins.ts'
import { storedUserId } from '../pii.ts'
import { assertNotFlooding, clientAddress } from '../rate-limit.ts'
import { ingestContext } from '../sites.ts'
import { parseObject, text, type Schema } from '../validate.ts'
import { readJson } from './ingest-route.ts'

const requestSchema = {
  site: text(64, /^pk_[A-Za-z0-9_-]+$/),
  user: text(128),
  survey: text(64, /^[a-z0-9][a-z0-9_-]*$/),
} satisfies Schema<FatigueRequest>

/**
 * `POST /v1/fatigue` `{ site, user, survey }` → `{ ask }`: may this identified user be asked
 * this survey now, given what the worker saw of them on every device and survey link? Sent by
 * the SDK before it shows a card, like an answer (text/plain JSON, no preflight), from the
 * site's origins only, limited per client address. The answer says one thing about a user id:
 * whether it was asked within the site's cap or the survey's cooldown; nothing is stored.
 */
export const fatigueRoutes = new Hono<AppEnv>()

fatigueRoutes.use('/', ingestCors())
fatigueRoutes.post(
  '/',
  bodyLimit({
    maxSize: 1024,
    onError: () => {
      throw new RequestError(413, 'body_too_large', 'the body must be at most 1024 bytes')
    },
  }),
  async (c) => {
    const request = parseObject(requestSchema, await readJson(c))
    const context = await ingestContext(c.env.DB, request.site)
    const { site } = context
    if (!site) throw new RequestError(404, 'unknown_site', `no site ${request.site}`, 'site')
    assertAllowedOrigin(c, site.id, site.origins)
    // Per address, never per the claimed user: asking about many user ids costs the asker.
    await assertNotFlooding(c.env.FLOOD_LIMITER, clientAddress(c.req.header('cf-connecting-ip')))
    const survey = await context.survey(request.survey)
    if (!survey) throw new RequestError(404, 'unknown_survey', `survey: no survey ${request.survey} on this site`, 'survey')
    c.header('cache-control', 'no-store')
    return c.json(await fatigueVerdict(c.env.DB, site, survey, await storedUserId(site, request.user), Date.now()))
  },
)
