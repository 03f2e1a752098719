import { chatText, cut, utf8Bytes, type AlertDigest, type TextRules } from './alert-text.ts'
import type { EmailContent } from './email-delivery.ts'
import { escapeHtml, emailPage } from './email-html.ts'

/**
 * An alert (or a burst, or a test) as an email: the same words as the chat text, whose first
 * line is the subject. Visitor text is made inert as for chat (one line, no invisible or
 * direction-changing characters, mention syntax swapped for look-alikes), and escaped in the HTML part.
 */

/** Email has room: the text is cut only past 100 kB, far beyond a burst's worth of comments. */
export const EMAIL_TEXT_RULES: TextRules = { escape: (text) => text, cost: utf8Bytes, limit: 100_000 }

export function alertEmail(digest: AlertDigest): EmailContent {
  const text = chatText(digest, EMAIL_TEXT_RULES)
  const [first = '', ...rest] = text.split('\n')
  // The first line is the headline, with what a visitor typed in it already made inert.
  const subject = cut(first, 200, { cost: (grapheme) => grapheme.length })
  const link = digest.dashboardUrl
  const lines = rest.map((line) =>
    line === link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` : `<p>${escapeHtml(line)}</p>`,
  )
  return { subject, text, html: emailPage('en', subject, `<h1>${escapeHtml(first)}</h1>\n${lines.join('\n')}`), lang: 'en' }
}
