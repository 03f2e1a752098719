import { Hono } from 'hono'
import type { ErrorBody } from '../../sdk/protocol.ts'
import { deliverAlerts, type AlertMessage } from './alerts.ts'
import type { AppEnv } from './env.ts'
import { RequestError, errorResponse } from './errors.ts'
import { configRoutes } from './routes/config.ts'
import { linkApiRoutes, linkPageRoutes } from './routes/links.ts'
import { operatorRoutes } from './routes/operator.ts'
import { impressionRoutes, responseRoutes } from './routes/responses.ts'
import { remindOverdue } from './reminders.ts'
import { statsRoutes } from './routes/stats.ts'

/** The Hearken worker. Static files (loader, widget, examples) are served before it by Workers assets. */
const app = new Hono<AppEnv>()

app.get('/health', (c) => c.json({ ok: true }))
app.route('/v1/responses', responseRoutes)
app.route('/v1/impressions', impressionRoutes)
app.route('/v1/sites', configRoutes)
app.route('/v1/sites', statsRoutes)
app.route('/v1/sites', operatorRoutes)
app.route('/v1/sites', linkApiRoutes)
app.route('/s', linkPageRoutes)

app.notFound((c) => c.json<ErrorBody>({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404))

app.onError((error, c) => {
  if (error instanceof RequestError) return errorResponse(c, error)
  // Never echo internals: the message may hold SQL or a secret.
  console.error('unexpected error', error instanceof Error ? error.stack : error)
  return c.json<ErrorBody>({ error: { code: 'internal', message: 'something went wrong on our side' } }, 500)
})

export default {
  fetch: app.fetch,
  queue: (batch: MessageBatch<AlertMessage>, env: Env) => deliverAlerts(batch, env),
  scheduled: async (_controller: ScheduledController, env: Env) => {
    await remindOverdue(env)
  },
} satisfies ExportedHandler<Env, AlertMessage>
