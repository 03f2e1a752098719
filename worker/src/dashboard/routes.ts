import { Hono, type Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { createMiddleware } from 'hono/factory'
import type { HtmlEscapedString } from 'hono/utils/html'
import { checkTokenSlowly, isSiteToken } from '../auth.ts'
import type { AppEnv } from '../env.ts'
import { dayIn } from '../dates.ts'
import { RequestError } from '../errors.ts'
import { followUpMetrics } from '../follow-up-metrics.ts'
import { parseFollowUpPatch, updateFollowUp } from '../follow-ups.ts'
import { csvFilename, responsesCsv } from '../exports.ts'
import { decodeCursor, listContext, listResponses } from '../responses.ts'
import { sendRetag } from '../retagging.ts'
import { findSite, parseSiteInput, saveSite, type Site } from '../sites.ts'
import { listSurveys } from '../surveys.ts'
import { computeStats } from '../stats.ts'
import { alertsPage, resumeForm, retryForm, testAlertForm } from './alert-pages.ts'
import { isSameOrigin } from './csrf.ts'
import { DashboardPage, ProblemPage } from './dashboard-page.tsx'
import { scoreDistribution } from './distribution.ts'
import { backTo, dashboardUrl, readView } from './filters.ts'
import { securityHeaders } from './headers.ts'
import { chooseLang, messagesFor, type Lang } from './i18n.ts'
import { COOKIE_MAX_AGE_S, SESSION_COOKIE, endSession, openSession, verifySession, type SessionProblem } from './session.ts'
import { SignInPage } from './sign-in-page.tsx'
import { DASHBOARD_CSS } from './styles.ts'
import { parseTagRulesText } from './tag-rules-text.ts'
import { REPORT_CSS } from './report-css.ts'
import { reportPage } from './report-page.tsx'

type DashboardEnv = AppEnv & { Variables: { lang: Lang; site: Site } }
type DashboardContext = Context<DashboardEnv>

/** Answers per page of the comments feed. */
const PAGE_SIZE = 25

/** `/dashboard`: the operator's pages, signed in with a site key and operator token. */
export const dashboardRoutes = new Hono<DashboardEnv>()

async function html(c: DashboardContext, page: HtmlEscapedString | Promise<HtmlEscapedString>, status: 200 | 400 | 401 | 403 | 404 | 429 | 500 | 503 = 200): Promise<Response> {
  return c.html(`<!doctype html>${await page}`, status)
}

function sessionSecret(env: Env): string {
  if (!env.SESSION_SECRET) throw new RequestError(503, 'not_configured', 'The dashboard needs a session secret: run `wrangler secret put SESSION_SECRET`.')
  return env.SESSION_SECRET
}

const cookieOptions = (c: DashboardContext) =>
  ({ path: '/dashboard', httpOnly: true, sameSite: 'Strict', secure: new URL(c.req.url).protocol === 'https:' }) as const

const formText = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

const PROBLEM_MESSAGES = { expired: 'sessionExpired', revoked: 'sessionRevoked', invalid: 'sessionInvalid', ended: 'sessionEnded' } as const

/** The sign-in page in place of what was asked for, saying why when a session was there but did not hold. */
function signInInstead(c: DashboardContext, problem: SessionProblem): Promise<Response> {
  const lang = c.var.lang
  if (problem === 'none') return html(c, SignInPage({ lang }))
  deleteCookie(c, SESSION_COOKIE, cookieOptions(c))
  return html(c, SignInPage({ lang, problem: messagesFor(lang)[PROBLEM_MESSAGES[problem]] }), 401)
}

const chooseLanguage = createMiddleware<DashboardEnv>(async (c, next) => {
  c.set('lang', chooseLang(c.req.query('lang'), c.req.header('accept-language')))
  await next()
})

/** Every POST must come from a dashboard page of this very origin (on top of SameSite=Strict). */
const sameOriginOnly = createMiddleware<DashboardEnv>(async (c, next) => {
  if (!isSameOrigin(c.req.raw)) return html(c, ProblemPage({ lang: c.var.lang, problem: messagesFor(c.var.lang).foreignOrigin, back: dashboardUrl('/dashboard', { lang: c.var.lang }) }), 403)
  await next()
})

/** A valid session for the site it was opened on, or the sign-in page with the reason. */
const requireSession = createMiddleware<DashboardEnv>(async (c, next) => {
  const check = await verifySession(c.env.DB, sessionSecret(c.env), getCookie(c, SESSION_COOKIE), (id) => findSite(c.env.DB, id))
  if (!check.ok) return signInInstead(c, check.problem)
  c.set('site', check.site)
  await next()
})

dashboardRoutes.use('*', securityHeaders, chooseLanguage)

dashboardRoutes.get('/dashboard.css', (c) => c.body(DASHBOARD_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' }))
dashboardRoutes.get('/report.css', (c) => c.body(REPORT_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' }))

dashboardRoutes.get('/', requireSession, async (c) => {
  const { lang, site } = c.var
  const db = c.env.DB
  const params = new URL(c.req.url).searchParams
  const saved = params.get('saved') ?? undefined
  const surveys = await listSurveys(db, site.id)
  if (surveys.length === 0) return html(c, DashboardPage({ lang, site, surveys, saved }))
  try {
    const view = readView(params, surveys, dayIn(site.timezone, Date.now()))
    const cursor = params.get('cursor') || undefined
    const context = await listContext(db, site)
    const [stats, distribution, page, followUps] = await Promise.all([
      computeStats(db, site.id, view.survey, view.stats, site.timezone),
      scoreDistribution(db, site.id, view.survey, view.stats),
      listResponses(db, site.id, context, view.comments, PAGE_SIZE, cursor ? decodeCursor(cursor) : undefined),
      followUpMetrics(db, site.id, site.timezone, view.stats, view.survey.id, Date.now()),
    ])
    const overview = { view, stats, distribution, responses: page.responses, next: page.next, cursor, followUps }
    return html(c, DashboardPage({ lang, site, surveys, overview, saved }))
  } catch (error) {
    if (!(error instanceof RequestError)) throw error
    return html(c, DashboardPage({ lang, site, surveys, problem: error.message }), 400)
  }
})

dashboardRoutes.post('/sign-in', sameOriginOnly, async (c) => {
  const lang = c.var.lang
  const t = messagesFor(lang)
  const form = await c.req.parseBody()
  const siteId = formText(form.site)?.trim() ?? ''
  const token = formText(form.token)?.trim() ?? ''
  if (!siteId || !token) return html(c, SignInPage({ lang, site: siteId, problem: t.missingFields }), 400)
  const site = await findSite(c.env.DB, siteId)
  let valid: boolean
  try {
    valid = await checkTokenSlowly(c.env.DB, c.req.header('cf-connecting-ip'), siteId, async () => site !== null && (await isSiteToken(c.env, site.tokenHash, token)))
  } catch (error) {
    if (!(error instanceof RequestError) || error.status !== 429) throw error
    c.header('retry-after', error.headers['retry-after'])
    return html(c, SignInPage({ lang, site: siteId, problem: t.tooManyFailures(Number(error.headers['retry-after'])) }), 429)
  }
  // The same answer for an unknown site and a wrong token: a guess learns nothing about which sites exist.
  if (!valid || !site) return html(c, SignInPage({ lang, site: siteId, problem: t.wrongToken }), 401)
  setCookie(c, SESSION_COOKIE, await openSession(c.env.DB, sessionSecret(c.env), site), { ...cookieOptions(c), maxAge: COOKIE_MAX_AGE_S })
  return c.redirect(dashboardUrl('/dashboard', { lang }), 303)
})

/** Signing out ends the session server-side, not only in this browser: a copy of the cookie opens nothing after. */
dashboardRoutes.post('/sign-out', sameOriginOnly, async (c) => {
  await endSession(c.env.DB, sessionSecret(c.env), getCookie(c, SESSION_COOKIE))
  deleteCookie(c, SESSION_COOKIE, cookieOptions(c))
  return c.redirect(dashboardUrl('/dashboard', { lang: c.var.lang }), 303)
})

dashboardRoutes.post('/responses/:id/follow-up', sameOriginOnly, requireSession, async (c) => {
  const form = await c.req.parseBody()
  const note = formText(form.note)?.trim()
  const patch = parseFollowUpPatch({
    status: formText(form.status),
    assignee: formText(form.assignee)?.trim(),
    ...(note ? { note } : {}),
  })
  const id = c.req.param('id')
  await updateFollowUp(c.env.DB, c.var.site, id, patch)
  return c.redirect(backTo(formText(form.back), c.var.lang, 'follow-up', `#answer-${id}`), 303)
})

dashboardRoutes.post('/tag-rules', sameOriginOnly, requireSession, async (c) => {
  const { lang, site } = c.var
  const form = await c.req.parseBody()
  const text = formText(form.rules) ?? ''
  const back = backTo(formText(form.back), lang, 'tag-rules')
  const parsed = parseTagRulesText(text)
  const problem = (message: string) => html(c, ProblemPage({ lang, site, problem: message, back, tagRulesText: text }), 400)
  if ('badLine' in parsed) return problem(messagesFor(lang).tagRulesLine(parsed.badLine))
  let input
  try {
    // The same checks and write as `PUT /v1/sites/:site` with `settings.tagRules`.
    input = parseSiteInput({ name: site.name, origins: site.origins, timezone: site.timezone, settings: { tagRules: parsed.rules } })
  } catch (error) {
    if (error instanceof RequestError) return problem(error.message)
    throw error
  }
  const retag = await saveSite(c.env.DB, site.id, input, site)
  if (retag) await sendRetag(c.env.TAGS, retag)
  return c.redirect(`${back}#tag-rules-title`, 303)
})

/** The answers the page lists, with the same filters, as the API's CSV. */
dashboardRoutes.get('/export.csv', requireSession, async (c) => {
  const site = c.var.site
  const view = readView(new URL(c.req.url).searchParams, await listSurveys(c.env.DB, site.id), dayIn(site.timezone, Date.now()))
  const context = await listContext(c.env.DB, site)
  return c.body(await responsesCsv(c.env.DB, site.id, context, view.comments), 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${csvFilename([site.id, view.survey.id, view.stats.from, view.stats.to])}"`,
  })
})

// The printable report of a survey over a period (report-page.tsx).
dashboardRoutes.get('/report', requireSession, reportPage)

// Alerts: each webhook's deliveries, a test alert, resuming a paused webhook, retrying a message.
dashboardRoutes.get('/alerts', requireSession, alertsPage)
dashboardRoutes.post('/alerts/:id/test', sameOriginOnly, requireSession, testAlertForm)
dashboardRoutes.post('/alerts/:id/resume', sameOriginOnly, requireSession, resumeForm)
dashboardRoutes.post('/alerts/:id/messages/:message/retry', sameOriginOnly, requireSession, retryForm)

/** Errors a user can cause become a page saying what was wrong, never a JSON body in the browser. */
dashboardRoutes.onError(async (error, c) => {
  const lang = c.var.lang ?? 'en'
  const back = dashboardUrl('/dashboard', { lang })
  if (error instanceof RequestError) return html(c, ProblemPage({ lang, site: c.var.site, problem: error.message, back }), error.status === 404 ? 404 : error.status === 503 ? 503 : 400)
  console.error('unexpected dashboard error', error instanceof Error ? error.stack : error)
  return html(c, ProblemPage({ lang, problem: 'Something went wrong on our side.', back }), 500)
})
