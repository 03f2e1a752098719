import { Hono } from 'hono'
import { SCORE_RANGES } from '../../../sdk/protocol.ts'
import type { AppEnv } from '../env.ts'
import { RequestError } from '../errors.ts'
import { fatigueVerdict } from '../fatigue.ts'
import { language, linkTexts } from '../languages.ts'
import { emailSnippet, linkImpressionId, linkPage, linkPageHeaders, linkProblemPage, linkResponseId, mintLink, openLink, pageLocale, parseLinkInput } from '../links.ts'
import { findSite } from '../sites.ts'
import { findSurvey, publicSurvey } from '../surveys.ts'
import { loadSite, operatorAuth, readJsonBody, type SiteEnv } from './middleware.ts'

/** Operator routes: `POST /v1/sites/:site/links` mints a link; `…/links/:token/email.html` renders its email row. */
export const linkApiRoutes = new Hono<SiteEnv>()

linkApiRoutes.post('/:site/links', loadSite, operatorAuth, async (c) => {
  const input = parseLinkInput(await readJsonBody(c.req.raw))
  if (!(await findSurvey(c.env.DB, c.var.site.id, input.survey))) {
    throw new RequestError(404, 'unknown_survey', `no survey ${input.survey} on this site`, 'survey')
  }
  const { token, expiresAt } = await mintLink(c.env, c.var.site, input)
  const origin = new URL(c.req.url).origin
  return c.json(
    {
      token,
      url: `${origin}/s/${token}`,
      expiresAt: new Date(expiresAt).toISOString(),
      emailHtml: `${origin}/v1/sites/${c.var.site.id}/links/${token}/email.html`,
    },
    201,
  )
})

linkApiRoutes.get('/:site/links/:token/email.html', loadSite, operatorAuth, async (c) => {
  const token = c.req.param('token')
  const link = await openLink(c.env, token)
  if (typeof link === 'string' || link.site !== c.var.site.id) throw new RequestError(404, 'unknown_link', 'no such link on this site', 'token')
  const survey = await findSurvey(c.env.DB, link.site, link.survey)
  // A link of a survey being deleted goes with it.
  if (!survey) throw new RequestError(404, 'unknown_link', 'no such link on this site', 'token')
  const locale = pageLocale(link.locale, undefined)
  const question = survey.question[locale] ?? survey.question.en
  return c.html(emailSnippet(`${new URL(c.req.url).origin}/s/${token}`, survey, question, locale))
})

/**
 * `GET /s/:token`: the survey page a link opens; `?score=N` comes chosen (one-click email).
 * A link made for a user who was asked within the site's cap or the survey's cooldown (on any
 * device or another link) thanks them instead and records nothing; their own link can always be
 * opened again, to answer or change the answer.
 */
export const linkPageRoutes = new Hono<AppEnv>()

linkPageRoutes.get('/:token', async (c) => {
  const link = await openLink(c.env, c.req.param('token'))
  const acceptLanguage = c.req.header('accept-language')
  if (typeof link === 'string') {
    const status = link === 'invalid' ? 400 : link === 'expired' ? 410 : 404
    return c.html(linkProblemPage(link, pageLocale(null, acceptLanguage)), status, linkPageHeaders)
  }
  const [site, survey] = await Promise.all([findSite(c.env.DB, link.site), findSurvey(c.env.DB, link.site, link.survey)])
  if (!site || !survey) return c.html(linkProblemPage('unknown', pageLocale(link.locale, acceptLanguage)), 404, linkPageHeaders)
  const locale = pageLocale(link.locale, acceptLanguage)
  if (link.user && !(await fatigueVerdict(c.env.DB, site, survey, link.user, Date.now(), `link:${link.id}`)).ask) {
    return c.html(linkProblemPage('asked', locale), 200, linkPageHeaders)
  }
  const [min, max] = SCORE_RANGES[survey.type]
  const asked = Number(c.req.query('score'))
  const initialScore = c.req.query('score') !== undefined && Number.isInteger(asked) && asked >= min && asked <= max ? asked : undefined
  const page = linkPage({
    site: site.id,
    siteName: site.name,
    token: c.req.param('token'),
    survey: { ...publicSurvey(survey, locale), placement: 'inline', container: '#hearken-survey' },
    language: language(locale),
    closedNote: linkTexts(locale).closed,
    responseId: await linkResponseId(link),
    impressionId: await linkImpressionId(link),
    ...(initialScore === undefined ? {} : { initialScore }),
  })
  return c.html(page, 200, linkPageHeaders)
})
