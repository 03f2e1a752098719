import { chatText, costOf, cut, inert, utf8Bytes, worstFirst, type AlertDigest, type AlertItem, type TextRules } from './alert-text.ts'
import type { DigestLang } from './digests-messages.ts'
import type { EmailContent } from './email-delivery.ts'
import { alertEmailMessages, type AlertEmailMessages } from './email-alert-messages.ts'
import { escapeHtml, emailPage } from './email-html.ts'

/**
 * An alert (or a burst, or a test) as an email, in the language the alert carries (the
 * webhook's, else the site's digest language): in English the same words as the chat text, in
 * Chinese the same lines in Chinese; the first line is the subject. Visitor text is made inert
 * as for chat (one line, no invisible or direction-changing characters, mention syntax swapped
 * for look-alikes), and escaped in the HTML part.
 */

/** Email has room: the text is cut only past 100 kB, far beyond a burst's worth of comments. */
export const EMAIL_TEXT_RULES: TextRules = { escape: (text) => text, cost: utf8Bytes, limit: 100_000 }

const utcMinute = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ')

/** Visitor text, inert and cut to `budget` bytes. */
const visitorText = (text: string, budget: number): string => cut(inert(text), budget, EMAIL_TEXT_RULES)

function span(t: AlertEmailMessages, ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000))
  if (minutes < 120) return t.minutes(minutes)
  const hours = Math.ceil(minutes / 60)
  return hours < 48 ? t.hours(hours) : t.days(Math.ceil(hours / 24))
}

function who(t: AlertEmailMessages, item: AlertItem): string {
  const parts = [item.user ? t.user(visitorText(item.user, 200)) : null, item.subject ? t.subject(visitorText(item.subject, 200)) : null].filter(Boolean)
  if (parts.length) return parts.join(' · ')
  return item.visitor ? t.visitor(inert(item.visitor)) : t.anonymous
}

const scoreLine = (t: AlertEmailMessages, item: AlertItem): string => t.scoreLine(item.type.toUpperCase(), item.score, inert(item.survey), inert(item.checkpoint))

/** The text of an alert email in Chinese, the chat text's lines in the same order. */
function localisedText(digest: AlertDigest, t: AlertEmailMessages): string {
  const prefix = `[Hearken · ${visitorText(digest.siteName, 120)}]`
  const link = digest.dashboardUrl ? `\n${digest.dashboardUrl}` : ''
  if (digest.test || digest.items.length === 0) return t.test(prefix, utcMinute(digest.now), link)
  const items = [...digest.items].sort(worstFirst)
  if (items.length === 1) {
    const item = items[0]!
    const followUp = item.followUp
      ? `\n${t.followUp(t.statuses[item.followUp.status] ?? item.followUp.status, utcMinute(Date.parse(item.followUp.dueAt)), item.followUp.assignee ? visitorText(item.followUp.assignee, 120) : null)}`
      : ''
    const comment = item.comment ? `${t.comment}“${visitorText(item.comment, EMAIL_TEXT_RULES.limit / 2)}”` : t.noComment
    return `${t.single(prefix, t.headlines[item.kind], scoreLine(t, item), who(t, item))}\n${comment}${followUp}${link}`
  }
  const kinds = (['high_risk', 'negative', 'reminder'] as const).map((kind) => [kind, items.filter((item) => item.kind === kind).length] as const).filter(([, n]) => n > 0)
  const answered = items.filter((item) => item.kind !== 'reminder')
  const since = answered.length ? t.since(span(t, digest.now - Math.min(...answered.map((item) => item.eventAt)))) : ''
  const summary = kinds.length === 1 ? `${t.counted[kinds[0]![0]](kinds[0]![1])}${since}` : t.summary(items.length, since, kinds.map(([kind, n]) => t.counted[kind](n)))
  const lines: string[] = []
  let used = costOf(t.merged(prefix, summary) + link, EMAIL_TEXT_RULES)
  for (const [index, item] of items.entries()) {
    const kind = kinds.length > 1 ? `${t.headlines[item.kind].split('：')[0]}：` : ''
    const line = `\n• ${kind}${scoreLine(t, item)} · ${who(t, item)}${item.comment ? `：“${visitorText(item.comment, 300)}”` : ''}`
    const more = `\n${t.more(items.length - index)}`
    if (used + costOf(line, EMAIL_TEXT_RULES) + costOf(more, EMAIL_TEXT_RULES) > EMAIL_TEXT_RULES.limit) {
      lines.push(more)
      break
    }
    lines.push(line)
    used += costOf(line, EMAIL_TEXT_RULES)
  }
  return `${t.merged(prefix, summary)}${lines.join('')}${link}`
}

export function alertEmail(digest: AlertDigest): EmailContent {
  const lang: DigestLang = digest.lang ?? 'en'
  const text = lang === 'en' ? chatText(digest, EMAIL_TEXT_RULES) : localisedText(digest, alertEmailMessages(lang))
  const [first = '', ...rest] = text.split('\n')
  // The first line is the headline, with what a visitor typed in it already made inert.
  const subject = cut(first, 200, { cost: (grapheme) => grapheme.length })
  const link = digest.dashboardUrl
  const lines = rest.map((line) =>
    line === link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` : `<p>${escapeHtml(line)}</p>`,
  )
  return { subject, text, html: emailPage(lang, subject, `<h1>${escapeHtml(first)}</h1>\n${lines.join('\n')}`), lang }
}
