import { chatText, cut, ENGLISH_ALERT_WORDS, utf8Bytes, type AlertDigest, type TextRules } from './alert-text.ts'
import type { DigestLang } from './digests-messages.ts'
import type { EmailContent } from './email-delivery.ts'
import { alertEmailMessages } from './email-alert-messages.ts'
import { escapeHtml, emailPage } from './email-html.ts'

/**
 * An alert (or a burst, or a test) as an email, in the language the alert carries (the
 * webhook's, else the site's digest language): the chat text's layout in that language's words
 * (English: the chat text itself); the first line is the subject. Visitor text is made inert
 * as for chat (one line, no invisible or direction-changing characters, mention syntax swapped
 * for look-alikes), and escaped in the HTML part.
 */

/** Email has room: the text is cut only past 100 kB, far beyond a burst's worth of comments. */
export const EMAIL_TEXT_RULES: TextRules = { escape: (text) => text, cost: utf8Bytes, limit: 100_000 }

export function alertEmail(digest: AlertDigest): EmailContent {
  const lang: DigestLang = digest.lang ?? 'en'
  const text = chatText(digest, EMAIL_TEXT_RULES, lang === 'en' ? ENGLISH_ALERT_WORDS : alertEmailMessages(lang))
  const [first = '', ...rest] = text.split('\n')
  // The first line is the headline, with what a visitor typed in it already made inert.
  const subject = cut(first, 200, { cost: (grapheme) => grapheme.length })
  const link = digest.dashboardUrl
  const lines = rest.map((line) =>
    line === link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` : `<p>${escapeHtml(line)}</p>`,
  )
  return { subject, text, html: emailPage(lang, subject, `<h1>${escapeHtml(first)}</h1>\n${lines.join('\n')}`), lang }
}
