import { DEMO_TOKEN } from './auth.ts'

/**
 * A deployed worker refuses to run with the secrets of `npm start` or of the tests, with secrets
 * too short to be secret, or without the session secret the dashboard signs with. Anyone could
 * forge a dashboard session, a survey link or a new site with a value that is in this repository.
 *
 * Workers have no start-up step that sees the secrets (they arrive with each request's `env`),
 * so the nearest thing to refusing to start is refusing every request: a 503 that says what to
 * fix, and a log line (once per isolate, so the log stays readable). `npm run deploy` checks
 * `/health` after deploying, so it stops there with the same words. Queue and cron work goes on:
 * it uses none of these secrets, and stopping it would drop alerts and retention.
 */

/** The values `npm start` (scripts/local-worker.ts) and the tests (worker/vitest.config.ts) use. */
const DEVELOPMENT_VALUES: ReadonlySet<string> = new Set([
  'dev-session-secret-not-for-production',
  'dev-link-secret-not-for-production',
  'dev-admin-token',
  DEMO_TOKEN,
  'test-session-secret',
  'test-link-secret',
  'test-admin-token',
])

/** Shorter than this, a secret can be guessed; `npm run deploy` makes 43 characters. */
const MIN_LENGTH = 16

/** The secrets checked, and whether the worker needs one (the others switch a feature off when missing). */
const SECRETS = { SESSION_SECRET: true, LINK_SECRET: false, ADMIN_TOKEN: false } as const

/** What is wrong with this deployment's secrets, or null when it may run. */
export function deploymentProblem(env: Env): string | null {
  if (env.HEARKEN_ENV === 'development') return null
  const problems: string[] = []
  for (const [name, required] of Object.entries(SECRETS) as [keyof typeof SECRETS, boolean][]) {
    const value = env[name]
    if (!value) {
      if (required) problems.push(`${name} is not set`)
    } else if (DEVELOPMENT_VALUES.has(value)) problems.push(`${name} is a development or test value`)
    else if (value.length < MIN_LENGTH) problems.push(`${name} is shorter than ${MIN_LENGTH} characters`)
  }
  const given = Object.keys(SECRETS).map((name) => env[name as keyof typeof SECRETS]).filter(Boolean)
  if (new Set(given).size < given.length) problems.push('two of SESSION_SECRET, LINK_SECRET and ADMIN_TOKEN are the same')
  if (problems.length === 0) return null
  return `this worker runs as ${env.HEARKEN_ENV || 'production'} but ${problems.join('; ')}. Set each with \`wrangler secret put NAME\` (npm run deploy makes random ones), or run it with HEARKEN_ENV=development for local use only.`
}

let logged = false

type FetchHandler = (request: Request, env: Env, ctx?: ExecutionContext) => Response | Promise<Response>

/** Wraps the worker's fetch handler: with a deployment problem, every request is refused with it. */
export function refusingMisconfigured(fetch: FetchHandler): FetchHandler {
  return (request, env, ctx) => {
    const problem = deploymentProblem(env)
    if (!problem) return fetch(request, env, ctx)
    if (!logged) {
      logged = true
      console.error(`refusing every request: ${problem}`)
    }
    return Response.json({ error: { code: 'misconfigured', message: problem } }, { status: 503, headers: { 'cache-control': 'no-store', 'retry-after': '300' } })
  }
}
