import { html, raw } from 'hono/html'
import { SCORE_RANGES, type LinkPageData, type Locale, type PublicSurvey } from '../../sdk/protocol.ts'
import type { LinkProblem } from './links.ts'

/** Texts of the link pages, per language (the widget brings its own). */
const texts = {
  en: {
    invalid: ['This survey link is not valid', 'The link may have been cut or changed. Please use the link from your message as it is.'],
    expired: ['This survey link has expired', 'Thank you for wanting to answer. This survey is closed now.'],
    unknown: ['This survey link no longer exists', 'The survey may have been withdrawn.'],
    noscript: 'This page needs JavaScript to record your answer.',
    ends: { nps: ['Not at all likely', 'Extremely likely'], csat: ['Very dissatisfied', 'Very satisfied'], ces: ['Very difficult', 'Very easy'] },
  },
  'zh-CN': {
    invalid: ['此问卷链接无效', '链接可能被截断或修改，请使用消息中的完整链接。'],
    expired: ['此问卷链接已过期', '感谢您愿意作答，此问卷已经结束。'],
    unknown: ['此问卷链接已不存在', '问卷可能已被撤回。'],
    noscript: '此页面需要启用 JavaScript 才能记录您的回答。',
    ends: { nps: ['完全不可能', '非常可能'], csat: ['非常不满意', '非常满意'], ces: ['非常困难', '非常容易'] },
  },
  'zh-TW': {
    invalid: ['此問卷連結無效', '連結可能被截斷或修改，請使用訊息中的完整連結。'],
    expired: ['此問卷連結已過期', '感謝您願意作答，此問卷已經結束。'],
    unknown: ['此問卷連結已不存在', '問卷可能已被撤回。'],
    noscript: '此頁面需要啟用 JavaScript 才能記錄您的回答。',
    ends: { nps: ['完全不可能', '非常可能'], csat: ['非常不滿意', '非常滿意'], ces: ['非常困難', '非常容易'] },
  },
} as const

type PageLocale = keyof typeof texts
const pageLocale = (locale: Locale): PageLocale => (locale in texts ? (locale as PageLocale) : 'en')

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
  return html`<!doctype html>
<html lang="${data.locale}">
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
      <noscript>${texts[pageLocale(data.locale)].noscript}</noscript>
    </main>
    <script type="application/json" id="hearken-link">${raw(scriptJson(data))}</script>
    <script type="module" src="/link.js"></script>
  </body>
</html>`
}

export function linkProblemPage(problem: LinkProblem, locale: Locale) {
  const [title, detail] = texts[pageLocale(locale)][problem]
  return html`<!doctype html>
<html lang="${locale}">
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
  const [lowLabel, highLabel] = texts[pageLocale(locale)].ends[survey.type]
  return html`<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse">
  <tr><td colspan="${scores.length}" style="padding:0 0 8px;font:16px/1.4 Arial,sans-serif;color:#1b1f24">${question}</td></tr>
  <tr>${scores.map((score) => html`<td style="${cell}"><a href="${url}?score=${score}" style="${link}">${score}</a></td>`)}</tr>
  <tr><td colspan="${Math.ceil(scores.length / 2)}" style="padding:4px 0 0;font:12px Arial,sans-serif;color:#4f5761">${lowLabel}</td><td colspan="${Math.floor(scores.length / 2)}" style="padding:4px 0 0;font:12px Arial,sans-serif;color:#4f5761;text-align:right">${highLabel}</td></tr>
</table>`
}
