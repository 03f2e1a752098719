import { Hono } from 'hono'
import type { ErrorBody } from '../../sdk/protocol.ts'
import { consumeAlerts, consumeDeadLetters, sweepDeliveries } from './alert-delivery.ts'
import { dashboardRoutes } from './dashboard/routes.ts'
import { consumeDeletions, sweepDeletions } from './deletions.ts'
import { sendDueDigests } from './digests.ts'
import type { AppEnv } from './env.ts'
import { RequestError, errorResponse } from './errors.ts'
import { pruneCountsStatement } from './rate-limit.ts'
import { refusingMisconfigured } from './production-guard.ts'
import { remindOverdue } from './reminders.ts'
import { applyRetention } from './retention.ts'
import { consumeRetagging, sweepRetagging } from './retagging.ts'
import { configRoutes } from './routes/config.ts'
import { fatigueRoutes } from './routes/fatigue.ts'
import { followUpMetricRoutes } from './routes/follow-up-metrics.ts'
import { followUpRoutes } from './routes/follow-ups.ts'
import { ingestImpressionRoutes } from './routes/ingest-impressions.ts'
import { ingestResponseRoutes } from './routes/ingest-responses.ts'
import { linkApiRoutes, linkPageRoutes } from './routes/links.ts'
import { peopleRoutes } from './routes/people.ts'
import { reportRoutes } from './routes/report.ts'
import { responseRoutes } from './routes/responses.ts'
import { siteRoutes } from './routes/sites.ts'
import { statsRoutes } from './routes/stats.ts'
import { surveyRoutes } from './routes/surveys.ts'
import { webhookRoutes } from './routes/webhooks.ts'

/**
 * The Hearken worker: every route file mounted in one place (a map of the files is in
 * worker/README.md). Static files (loader, widget, examples) are served before it by Workers assets.
 */
const app = new Hono<AppEnv>()

app.get('/health', (c) => c.json({ ok: true }))
// Public: what pages and the SDK call.
app.route('/v1/responses', ingestResponseRoutes)
app.route('/v1/impressions', ingestImpressionRoutes)
app.route('/v1/fatigue', fatigueRoutes)
app.route('/v1/sites', configRoutes)
app.route('/s', linkPageRoutes)
// Operators, with a bearer token.
app.route('/v1/sites', siteRoutes)
app.route('/v1/sites', surveyRoutes)
app.route('/v1/sites', statsRoutes)
app.route('/v1/sites', reportRoutes)
app.route('/v1/sites', responseRoutes)
app.route('/v1/sites', followUpRoutes)
app.route('/v1/sites', followUpMetricRoutes)
app.route('/v1/sites', peopleRoutes)
app.route('/v1/sites', webhookRoutes)
app.route('/v1/sites', linkApiRoutes)
app.route('/dashboard', dashboardRoutes)

app.notFound((c) => c.json<ErrorBody>({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404))

app.onError((error, c) => {
  if (error instanceof RequestError) return errorResponse(c, error)
  // Never echo internals: the message may hold SQL or a secret.
  console.error('unexpected error', error instanceof Error ? error.stack : error)
  return c.json<ErrorBody>({ error: { code: 'internal', message: 'something went wrong on our side' } }, 500)
})

/** The queues besides hearken-alerts (wrangler.jsonc): its dead letters, re-tagging, and deletions. */
const DEAD_LETTERS = 'hearken-alerts-dlq'
const TAG_QUEUE = 'hearken-tags'
const DELETION_QUEUE = 'hearken-deletions'

/** Each queue's consumer; anything else is hearken-alerts'. */
const consumers: Record<string, (batch: MessageBatch<unknown>, env: Env) => Promise<void>> = {
  [TAG_QUEUE]: consumeRetagging,
  [DEAD_LETTERS]: consumeDeadLetters,
  [DELETION_QUEUE]: consumeDeletions,
}

/** The routes, for worker/test/token-guessing.test.ts to walk every one that reads a token. */
export const routes = app.routes

export default {
  // A deployed worker with development secrets answers every request with a 503 saying so (production-guard.ts).
  fetch: refusingMisconfigured(app.fetch),
  // Alerts and wake-ups arrive on hearken-alerts; what the queue gave up on, on its dead-letter queue.
  queue: (batch: MessageBatch<unknown>, env: Env) => (consumers[batch.queue] ?? consumeAlerts)(batch, env),
  // Every 10 minutes: overdue follow-ups are reminded, whatever a lost wake-up left waiting is sent,
  // comments and notes past their site's retention are erased, stalled re-tagging and deletions go
  // on, and the digests whose period has ended go out.
  scheduled: async (controller: ScheduledController, env: Env) => {
    const at = controller.scheduledTime
    const results = await Promise.allSettled([
      remindOverdue(env, at),
      sweepDeliveries(env, at),
      applyRetention(env, at),
      sweepRetagging(env, at),
      sweepDeletions(env, at),
      sendDueDigests(env, at),
      pruneCountsStatement(env.DB, at).run(),
    ])
    for (const result of results) if (result.status === 'rejected') throw result.reason
  },
} satisfies ExportedHandler<Env, unknown>
