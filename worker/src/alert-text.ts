import type { ScoreBand, SurveyType } from '../../sdk/protocol.ts'
import type { FollowUp } from './follow-ups.ts'
import type { DigestLang } from './digests-messages.ts'
import type { AlertKind } from './webhooks.ts'

/**
 * What a chat robot shows for one alert or a burst of them: plain text, with everything a
 * visitor could type (comment, user id, subject) made inert first, and cut to the platform's
 * size by bytes without splitting a character. The structured JSON format does not use this.
 */

/** One alert about one answer, as read back from D1 when it is sent. */
export interface AlertItem {
  kind: AlertKind
  responseId: string
  survey: string
  type: SurveyType
  score: number
  band: ScoreBand
  comment: string | null
  checkpoint: string
  segment: string
  visitor: string | null
  user: string | null
  /** The order, ticket or delivery the answer is about. */
  subject: string | null
  createdAt: number
  /** When it happened: the answer's time, or the follow-up's due time for a reminder. */
  eventAt: number
  followUp: FollowUp | null
}

/** What one message says: one alert, a burst merged into one, or a test. */
export interface AlertDigest {
  siteName: string
  items: AlertItem[]
  /** The dashboard, when PUBLIC_URL is set. */
  dashboardUrl: string
  /** A test sent from the dashboard: no answer behind it. */
  test?: boolean
  now: number
  /** The language an email of it is written in (the webhook's or the site's digest language); English when missing. Chat robots get English. */
  lang?: DigestLang
}

/** How a platform reads text: how visitor text is escaped, what one grapheme costs, and the budget. */
export interface TextRules {
  /** Escapes text that is already inert for this platform's own markup (Slack's `&<>`). */
  escape: (text: string) => string
  /** What one grapheme costs once escaped, in the unit the platform limits (bytes or characters). */
  cost: (grapheme: string) => number
  limit: number
}

const encoder = new TextEncoder()
export const utf8Bytes = (text: string): number => encoder.encode(text).length

// Invisible and direction-changing characters: they could make a comment display as something
// else (bidi overrides) or hide words from a reader, so they go first. Joiners (U+200C, U+200D)
// stay: emoji sequences and some scripts need them.
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/g

/**
 * Makes visitor text inert on every chat platform: one line (a comment cannot fake an alert's
 * lines), and the characters every mention and link syntax needs swapped for their full-width
 * look-alikes: `@all`, `<at user_id="all">` (Feishu), `<@userid>` (WeCom), `<!channel>`,
 * `<url|text>` (Slack), `[text](url)` (Markdown). People still read the same words.
 */
export function inert(text: string): string {
  return text
    .replace(INVISIBLE, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replaceAll('@', '＠')
    .replaceAll('<', '＜')
    .replaceAll('>', '＞')
    .replaceAll('[', '［')
    .replaceAll(']', '］')
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/** The longest start of `text` (whole graphemes) costing at most `budget`, with `…` when cut. */
export function cut(text: string, budget: number, rules: Pick<TextRules, 'cost'>): string {
  let total = 0
  const kept: string[] = []
  for (const { segment } of segmenter.segment(text)) {
    total += rules.cost(segment)
    kept.push(segment)
  }
  if (total <= budget) return text
  const ellipsis = rules.cost('…')
  let used = 0
  let end = 0
  while (end < kept.length && used + rules.cost(kept[end]!) + ellipsis <= budget) used += rules.cost(kept[end++]!)
  return end === 0 ? '' : `${kept.slice(0, end).join('')}…`
}

export const costOf = (text: string, rules: Pick<TextRules, 'cost'>): number => {
  let total = 0
  for (const { segment } of segmenter.segment(text)) total += rules.cost(segment)
  return total
}

/**
 * The words of an alert, in one language; the layout (chatText) is the same in every one. Each
 * function is given text already made inert and escaped. Chat robots get English; an email gets
 * the webhook's language (email-alert-messages.ts holds Chinese).
 */
export interface AlertWords {
  /** A test sent from the dashboard at `at` (UTC minute). */
  test: (prefix: string, at: string, link: string) => string
  headlines: Record<AlertKind, string>
  counted: Record<AlertKind, (n: number) => string>
  /** " in the last 12 minutes" */
  since: (span: string) => string
  minutes: (n: number) => string
  hours: (n: number) => string
  days: (n: number) => string
  /** A burst's headline with several kinds: its total, `since`, and each kind counted. */
  summary: (total: number, since: string, parts: string[]) => string
  single: (prefix: string, headline: string, scoreLine: string, who: string) => string
  merged: (prefix: string, summary: string) => string
  scoreLine: (type: string, score: number, survey: string, checkpoint: string) => string
  user: (user: string) => string
  subject: (subject: string) => string
  visitor: (visitor: string) => string
  anonymous: string
  noComment: string
  /** Before a single alert's comment ("Comment: "). */
  comment: string
  /** After a kind or before a comment on a burst's line (": "). */
  separator: string
  statuses: Record<FollowUp['status'], string>
  followUp: (status: string, due: string, assignee: string | null) => string
  more: (n: number) => string
}

export const ENGLISH_ALERT_WORDS: AlertWords = {
  test: (prefix, at, link) => `${prefix} Test alert: this webhook works. Sent from the dashboard at ${at} UTC.${link}`,
  headlines: { negative: 'Unhappy answer', high_risk: 'High-risk customer: a second unhappy answer in 30 days', reminder: 'Follow-up overdue' },
  counted: {
    negative: (n) => `${n} unhappy answer${n === 1 ? '' : 's'}`,
    high_risk: (n) => `${n} high-risk customer${n === 1 ? '' : 's'}`,
    reminder: (n) => `${n} follow-up${n === 1 ? '' : 's'} overdue`,
  },
  since: (span) => ` in the last ${span}`,
  minutes: (n) => `${n} minute${n === 1 ? '' : 's'}`,
  hours: (n) => `${n} hours`,
  days: (n) => `${n} days`,
  summary: (total, since, parts) => `${total} alerts${since}: ${parts.join(', ')}`,
  single: (prefix, headline, scoreLine, who) => `${prefix} ${headline}: ${scoreLine} from ${who}.`,
  merged: (prefix, summary) => `${prefix} ${summary}, worst first:`,
  scoreLine: (type, score, survey, checkpoint) => `${type} ${score} on ${survey}${checkpoint ? ` (${checkpoint})` : ''}`,
  user: (user) => `user ${user}`,
  subject: (subject) => `re ${subject}`,
  visitor: (visitor) => `visitor ${visitor}`,
  anonymous: 'an anonymous visitor',
  noComment: 'No comment.',
  comment: 'Comment: ',
  separator: ': ',
  statuses: { open: 'open', in_progress: 'in progress', resolved: 'resolved' },
  followUp: (status, due, assignee) => `Follow-up ${status}, due ${due} UTC${assignee ? `, assigned to ${assignee}` : ''}.`,
  more: (n) => `… and ${n} more on the dashboard.`,
}

/** Worst first: high-risk customers, then unhappy answers, then reminders; lowest score on its scale; oldest. */
const KIND_ORDER: Record<AlertKind, number> = { high_risk: 0, negative: 1, reminder: 2 }
const SCALE: Record<SurveyType, [number, number]> = { nps: [0, 10], csat: [1, 5], ces: [1, 7] }
const position = (item: AlertItem): number => {
  const [min, max] = SCALE[item.type]
  return (item.score - min) / (max - min)
}
export const worstFirst = (a: AlertItem, b: AlertItem): number =>
  KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || position(a) - position(b) || a.eventAt - b.eventAt

const utcMinute = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ')

/** "12 minutes", "5 hours", "3 days": how far back a burst reaches. */
function span(ms: number, t: AlertWords): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000))
  if (minutes < 120) return t.minutes(minutes)
  const hours = Math.ceil(minutes / 60)
  return hours < 48 ? t.hours(hours) : t.days(Math.ceil(hours / 24))
}

/** Who to call back: user id and subject when known, else the visitor. Visitor-typed, so made inert. */
function who(item: AlertItem, rules: TextRules, t: AlertWords): string {
  const parts = [
    item.user ? t.user(rules.escape(cut(inert(item.user), 200, rules))) : null,
    item.subject ? t.subject(rules.escape(cut(inert(item.subject), 200, rules))) : null,
  ].filter(Boolean)
  if (parts.length) return parts.join(' · ')
  return item.visitor ? t.visitor(rules.escape(inert(item.visitor))) : t.anonymous
}

const scoreLine = (item: AlertItem, rules: TextRules, t: AlertWords): string =>
  t.scoreLine(item.type.toUpperCase(), item.score, rules.escape(inert(item.survey)), item.checkpoint ? rules.escape(inert(item.checkpoint)) : '')

function followUpLine(followUp: FollowUp, rules: TextRules, t: AlertWords): string {
  const assignee = followUp.assignee ? rules.escape(cut(inert(followUp.assignee), 120, rules)) : null
  return t.followUp(t.statuses[followUp.status], utcMinute(Date.parse(followUp.dueAt)), assignee)
}

/** The comment, escaped, cut to what is left of the budget. */
const quoted = (comment: string, budget: number, rules: TextRules): string => {
  const opening = '“'
  const closing = '”'
  const room = budget - costOf(opening + closing, rules)
  return room <= 0 ? '' : `${opening}${rules.escape(cut(inert(comment), room, rulesForEscaped(rules)))}${closing}`
}

// `cut` runs on inert text before escaping, so it must count each grapheme as it will be once escaped.
const rulesForEscaped = (rules: TextRules): Pick<TextRules, 'cost'> => ({ cost: (grapheme) => rules.cost(rules.escape(grapheme)) })

/** The text of one message for a chat robot (or an email), within `rules.limit`, in the words given (English by default). */
export function chatText(digest: AlertDigest, rules: TextRules, t: AlertWords = ENGLISH_ALERT_WORDS): string {
  const site = rules.escape(cut(inert(digest.siteName), 120, rules))
  const prefix = `[Hearken · ${site}]`
  const link = digest.dashboardUrl ? `\n${digest.dashboardUrl}` : ''
  if (digest.test || digest.items.length === 0) return fit(t.test(prefix, utcMinute(digest.now), link), rules)
  const items = [...digest.items].sort(worstFirst)
  if (items.length === 1) return single(prefix, items[0]!, link, rules, t)
  return merged(prefix, items, digest.now, link, rules, t)
}

function single(prefix: string, item: AlertItem, link: string, rules: TextRules, t: AlertWords): string {
  const head = t.single(prefix, t.headlines[item.kind], scoreLine(item, rules, t), who(item, rules, t))
  const tail = [item.followUp ? `\n${followUpLine(item.followUp, rules, t)}` : '', link].join('')
  if (!item.comment) return fit(`${head}\n${t.noComment}${tail}`, rules)
  const label = `\n${t.comment}`
  const budget = rules.limit - costOf(head + label + tail, rules)
  return fit(`${head}${label}${quoted(item.comment, budget, rules)}${tail}`, rules)
}

/** A burst in one message: a headline with the counts, then one line per alert, worst first, as many as fit. */
function merged(prefix: string, items: AlertItem[], now: number, link: string, rules: TextRules, t: AlertWords): string {
  const counts = (Object.keys(KIND_ORDER) as AlertKind[]).map((kind) => [kind, items.filter((item) => item.kind === kind).length] as const).filter(([, n]) => n > 0)
  const answered = items.filter((item) => item.kind !== 'reminder')
  const since = answered.length ? t.since(span(now - Math.min(...answered.map((item) => item.eventAt)), t)) : ''
  const summary = counts.length === 1 ? `${t.counted[counts[0]![0]](counts[0]![1])}${since}` : t.summary(items.length, since, counts.map(([kind, n]) => t.counted[kind](n)))
  const head = t.merged(prefix, summary)
  const lines: string[] = []
  const more = (n: number) => `\n${t.more(n)}`
  // A kind's short name: its headline up to the separator ("High-risk customer").
  const kindName = (kind: AlertKind) => t.headlines[kind].split(t.separator.trim())[0]
  let used = costOf(head + link, rules)
  for (const [index, item] of items.entries()) {
    const kind = counts.length > 1 ? `${kindName(item.kind)}${t.separator}` : ''
    const start = `\n• ${kind}${scoreLine(item, rules, t)} · ${who(item, rules, t)}`
    const comment = item.comment ? `${t.separator}${quoted(item.comment, 300, rules)}` : ''
    const line = start + comment
    const reserve = index < items.length - 1 ? costOf(more(items.length - index - 1), rules) : 0
    if (used + costOf(line, rules) + reserve > rules.limit) {
      lines.push(more(items.length - index))
      break
    }
    lines.push(line)
    used += costOf(line, rules)
  }
  return fit(`${head}${lines.join('')}${link}`, rules)
}

const fit = (text: string, rules: TextRules): string => (costOf(text, rules) <= rules.limit ? text : cut(text, rules.limit, rules))
