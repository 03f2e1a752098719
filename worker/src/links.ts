import { html, raw } from 'hono/html'
import type { LinkPageData } from '../../sdk/link-page-data.ts'
import { SCORE_RANGES, type Locale, type PublicSurvey } from '../../sdk/protocol.ts'
import { constantTimeEqual, hmacSha256, sha256Hex, toBase64url } from './crypto.ts'
import { RequestError } from './errors.ts'
import { language, linkTexts, LOCALES, localeFromAcceptLanguage } from './languages.ts'
import { storedUserId } from './pii.ts'
import type { Site } from './sites.ts'
import { idPattern, integer, oneOf, optional, parseObject, text } from './validate.ts'

/**
 * Survey links for email, SMS and app push: `/s/{token}`, where the token is a random id, its
 * expiry and an HMAC of both with the LINK_SECRET. A tampered or foreign token fails the
 * signature before any lookup; an expired one says so; the rest (who and what the link is
 * about) lives in D1. Below the tokens: the pages a link opens and the score row for emails.
 * The page's own script is widget/link-page.ts (served as /link.js).
 */
export interface Link {
  site: string
  id: string
  survey: string
  user: string | null
  subject: string | null
  segment: string | null
  checkpoint: string | null
  locale: string | null
  expiresAt: number
}

export interface LinkInput {
  survey: string
  user?: string
  subject?: string
  segment?: string
  checkpoint?: string
  locale?: Locale
  expiresInDays?: number
}

export function parseLinkInput(value: unknown): LinkInput {
  return parseObject(
    {
      survey: text(64, /^[a-z0-9][a-z0-9_-]*$/),
      user: optional(text(128)),
      subject: optional(text(128)),
      segment: optional(text(64, idPattern)),
      checkpoint: optional(text(64, idPattern)),
      locale: optional(oneOf(...LOCALES)),
      expiresInDays: optional(integer(1, 365)),
    },
    value,
  )
}

async function signature(secret: string, id: string, expires: string): Promise<string> {
  return toBase64url((await hmacSha256(secret, `${id}.${expires}`)).slice(0, 16))
}

function linkSecret(env: Env): string {
  if (!env.LINK_SECRET) throw new RequestError(503, 'links_disabled', 'survey links need the LINK_SECRET secret (wrangler secret put LINK_SECRET)')
  return env.LINK_SECRET
}

/**
 * Makes a link and stores what it is about; returns its token. The user id is stored masked
 * when the site masks personal data (pii.ts, maskUserId), as an answer's would be.
 */
export async function mintLink(env: Env, site: Pick<Site, 'id' | 'settings' | 'pseudonymKey'>, input: LinkInput, now = Date.now()): Promise<{ token: string; expiresAt: number }> {
  const id = toBase64url(crypto.getRandomValues(new Uint8Array(12)))
  const expiresAt = now + (input.expiresInDays ?? 30) * 24 * 3600 * 1000
  const expires = Math.floor(expiresAt / 1000).toString(36)
  const user = input.user === undefined ? null : await storedUserId(site, input.user)
  await env.DB.prepare(
    `INSERT INTO links (site_id, id, survey_id, user_id, subject, segment, checkpoint, locale, expires_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
    .bind(site.id, id, input.survey, user, input.subject ?? null, input.segment ?? null, input.checkpoint ?? null, input.locale ?? null, expiresAt, now)
    .run()
  return { token: `${id}.${expires}.${await signature(linkSecret(env), id, expires)}`, expiresAt }
}

/** Why a token opens nothing: each gets its own page. */
export type LinkProblem = 'invalid' | 'expired' | 'unknown'

/** The link a token stands for, or why there is none. */
export async function openLink(env: Env, token: string, now = Date.now()): Promise<Link | LinkProblem> {
  const [id, expires, given] = token.split('.')
  if (!id || !expires || !given || token.split('.').length !== 3) return 'invalid'
  if (!constantTimeEqual(given, await signature(linkSecret(env), id, expires))) return 'invalid'
  if (parseInt(expires, 36) * 1000 < now) return 'expired'
  const row = await env.DB.prepare('SELECT * FROM links WHERE id = ?').bind(id).first<Record<string, string | number | null>>()
  if (!row) return 'unknown'
  return {
    site: String(row.site_id),
    id,
    survey: String(row.survey_id),
    user: row.user_id as string | null,
    subject: row.subject as string | null,
    segment: row.segment as string | null,
    checkpoint: row.checkpoint as string | null,
    locale: row.locale as string | null,
    expiresAt: Number(row.expires_at),
  }
}

/**
 * A UUID (v4-shaped) derived from a name, so a link's answer and impression have fixed ids (and
 * erasure can find a withdrawn link's answer and impression from the link alone).
 */
export async function derivedUuid(name: string): Promise<string> {
  const hex = (await sha256Hex(name)).slice(0, 32).split('')
  hex[12] = '4'
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)
  const joined = hex.join('')
  return `${joined.slice(0, 8)}-${joined.slice(8, 12)}-${joined.slice(12, 16)}-${joined.slice(16, 20)}-${joined.slice(20)}`
}

/** The one response id a link's answers share: a second answer updates the first. */
export const linkResponseId = (link: Pick<Link, 'site' | 'id'>): Promise<string> => derivedUuid(`response:${link.site}:${link.id}`)
export const linkImpressionId = (link: Pick<Link, 'site' | 'id'>): Promise<string> => derivedUuid(`impression:${link.site}:${link.id}`)

/** The language of a link page: the link's own, else the nearest the browser accepts. */
export function pageLocale(linkLocale: string | null, acceptLanguage: string | undefined): Locale {
  if (linkLocale && LOCALES.includes(linkLocale as Locale)) return linkLocale as Locale
  return localeFromAcceptLanguage(acceptLanguage)
}

/** Headers for link pages: nothing inline runs, nothing frames them, nothing is cached. */
export const linkPageHeaders = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
}

/** JSON that is safe inside a <script> element: no `</script>` or line separators can end it early. */
const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')

export function linkPage(data: LinkPageData) {
  const { locale, dir } = data.language
  return html`<!doctype html>
<html lang="${locale}" dir="${dir}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="robots" content="noindex" />
    <title>${data.siteName}</title>
    <link rel="stylesheet" href="/link.css" />
  </head>
  <body>
    <main>
      <p class="site">${data.siteName}</p>
      <div id="hearken-survey" data-hearken="${data.survey.id}"></div>
      <noscript>${linkTexts(locale).noscript}</noscript>
    </main>
    <script type="application/json" id="hearken-link">${raw(scriptJson(data))}</script>
    <script type="module" src="/link.js"></script>
  </body>
</html>`
}

/** A page saying why a link shows no survey: it is broken, expired or gone, or the person was asked recently. */
export function linkProblemPage(problem: LinkProblem | 'asked', locale: Locale) {
  const [title, detail] = linkTexts(locale)[problem]
  return html`<!doctype html>
<html lang="${locale}" dir="${language(locale).dir}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="robots" content="noindex" />
    <title>${title}</title>
    <link rel="stylesheet" href="/link.css" />
  </head>
  <body>
    <main>
      <h1>${title}</h1>
      <p>${detail}</p>
    </main>
  </body>
</html>`
}

/**
 * The row of score links for an email: plain links with inline styles (what mail clients
 * keep), no script. Each opens the link page with that score chosen; the page records it.
 */
export function emailSnippet(url: string, survey: PublicSurvey, question: string, locale: Locale) {
  const [low, high] = SCORE_RANGES[survey.type]
  const scores = Array.from({ length: high - low + 1 }, (_, index) => low + index)
  const cell = 'padding:0 2px'
  const link =
    'display:inline-block;min-width:28px;padding:8px 4px;border:1px solid #c4c9d0;border-radius:4px;color:#1b1f24;text-decoration:none;text-align:center;font:14px/1.2 Arial,sans-serif'
  const { texts } = language(locale)
  const [lowLabel, highLabel] = [texts[`${survey.type}Low`], texts[`${survey.type}High`]]
  return html`<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse">
  <tr><td colspan="${scores.length}" style="padding:0 0 8px;font:16px/1.4 Arial,sans-serif;color:#1b1f24">${question}</td></tr>
  <tr>${scores.map((score) => html`<td style="${cell}"><a href="${url}?score=${score}" style="${link}">${score}</a></td>`)}</tr>
  <tr><td colspan="${Math.ceil(scores.length / 2)}" style="padding:4px 0 0;font:12px Arial,sans-serif;color:#4f5761">${lowLabel}</td><td colspan="${Math.floor(scores.length / 2)}" style="padding:4px 0 0;font:12px Arial,sans-serif;color:#4f5761;text-align:right">${highLabel}</td></tr>
</table>`
}
