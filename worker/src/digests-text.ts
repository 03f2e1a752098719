import { costOf, cut, inert, type TextRules } from './alert-text.ts'
import type { DigestData, DigestGroup, DigestSurvey } from './digests-data.ts'
import { digestMessages, figure, intervalText, scoreText, signed, type DigestLang, type DigestMessages } from './digests-messages.ts'
import { formatP } from './dashboard/format.ts'
import type { FollowUpGroup } from './follow-up-metrics.ts'
import { MIN_ANSWERS_PER_PERIOD } from './scores.ts'

/**
 * A digest as chat text: a headline, a few lines per survey, the follow-ups, the dashboard link,
 * within a platform's size (alert-text.ts's rules: its unit, its escaping, its limit). Surveys
 * that do not fit are counted in a last line instead of being cut in the middle. Everything an
 * operator or visitor named (site, surveys, checkpoints, segments, assignees, tags) is made inert
 * first, so no name can mention anyone or forge a line.
 */

/** A name made inert, escaped for the platform, and kept short. */
const named = (name: string, rules: TextRules, max = 80): string => rules.escape(cut(inert(name), max, { cost: (grapheme) => rules.cost(rules.escape(grapheme)) }))

/** "NPS 32 (95% 18 … 45, n = 120)" or "no answers". */
export function scoreLine(t: DigestMessages, type: DigestSurvey['type'], score: DigestSurvey['score']): string {
  if (score.score === null || !score.interval) return t.noAnswers
  return t.score(scoreText(type, score.score), intervalText(type, score.interval), score.n)
}

export function goalText(t: DigestMessages, survey: DigestSurvey): string | null {
  if (!survey.goal || survey.goal.gap === null) return null
  const target = figure(survey.goal.target)
  return survey.goal.gap >= 0 ? t.goalMet(target, signed(survey.goal.gap)) : t.goalMissed(target, figure(-survey.goal.gap))
}

export function changeText(t: DigestMessages, survey: DigestSurvey, previous: { from: string; to: string }): string {
  const { change } = survey
  if (change.points === null || change.verdict === null) return t.noComparison
  const verdict = change.verdict === 'directional' ? t.verdicts.directional(change.minAnswers) : t.verdicts[change.verdict]
  const p = change.pValue === null ? '' : ` (${t.pValue(formatP(change.pValue))})`
  return `${t.change(signed(change.points), previous.from, previous.to)}${t.colon}${verdict}${p}`
}

export function rateText(t: DigestMessages, survey: DigestSurvey): string {
  const { shown, answered, rate } = survey.responseRate
  return rate === null ? t.noImpressions : t.responseRate(figure(rate), answered, shown)
}

function groupText(t: DigestMessages, label: string, group: DigestGroup, type: DigestSurvey['type'], empty: string, rules: TextRules): string {
  const name = group.key ? named(group.key, rules) : empty
  const score = group.score === null ? '—' : scoreText(type, group.score)
  return `${label}${t.colon}${t.group(name, score, group.n, group.n < MIN_ANSWERS_PER_PERIOD ? t.few(MIN_ANSWERS_PER_PERIOD) : null)}`
}

function surveyBlock(t: DigestMessages, data: DigestData, survey: DigestSurvey, rules: TextRules): string {
  const goal = goalText(t, survey)
  const lines = [`\n• ${named(survey.id, rules)}${t.colon}${scoreLine(t, survey.type, survey.score)}${goal ? ` · ${goal}` : ''}`]
  // A survey that had nothing in either period says so in its one line.
  if (survey.score.n === 0 && survey.change.previous.n === 0 && survey.responseRate.shown === 0) return lines[0]!
  lines.push(`\n  ${changeText(t, survey, data.previous)}`)
  lines.push(`\n  ${rateText(t, survey)}`)
  const worst = [
    survey.worstCheckpoint && groupText(t, t.worstCheckpoint, survey.worstCheckpoint, survey.type, '—', rules),
    survey.worstSegment && groupText(t, t.worstSegment, survey.worstSegment, survey.type, t.noSegment, rules),
  ].filter(Boolean)
  if (worst.length) lines.push(`\n  ${worst.join(' · ')}`)
  if (survey.themes.hotIssues.length) lines.push(`\n  ${t.rising}${t.colon}${hotIssuesText(t, survey, (tag) => named(tag, rules, 40))}`)
  return lines.join('')
}

/** A survey's hot issues: each topic's share of the unhappy answers and its rise in points, the tag in the digest's language. */
export function hotIssuesText(t: DigestMessages, survey: DigestSurvey, name: (tag: string) => string): string {
  return t.list(survey.themes.hotIssues.map((issue) => t.hotIssue(name(t.tagLabels[issue.tag] ?? issue.tag), figure(issue.share), signed(issue.rise), issue.verdict === 'significant')))
}

/** The follow-up figures in one line. */
export function followUpLine(t: DigestMessages, data: DigestData): string {
  const f = data.followUps
  const parts = [t.followUpCounts(f.opened, f.resolved, f.overdue), f.sla.rate === null ? t.noSla : t.sla(figure(f.sla.rate), f.sla.inTime, f.sla.due)]
  if (f.firstAction.medianHours !== null) parts.push(t.firstAction(figure(f.firstAction.medianHours), f.firstAction.n))
  if (f.resolve.medianHours !== null) parts.push(t.resolveTime(figure(f.resolve.medianHours), f.resolve.n))
  return `${t.followUps}${t.colon}${parts.join(' · ')}`
}

/** The three groups with the lowest share in time, where any fell due. */
function groupsLine(t: DigestMessages, label: string, groups: FollowUpGroup[], empty: string, rules: TextRules): string | null {
  const judged = groups.filter((group) => group.sla.rate !== null).slice(0, 3)
  if (judged.length === 0) return null
  return `${label}${t.colon}${t.list(judged.map((group) => t.groupSla(group.key ? named(group.key, rules, 40) : empty, figure(group.sla.rate!), group.sla.inTime, group.sla.due)))}`
}

/** The digest's text for a chat platform, within `rules.limit`. `dashboardUrl` is empty without PUBLIC_URL. */
export function digestText(data: DigestData, lang: DigestLang, dashboardUrl: string, rules: TextRules): string {
  const t = digestMessages(lang)
  const head = `[Hearken · ${named(data.site.name, rules, 120)}] ${t.title(data.frequency)} · ${data.period.from} – ${data.period.to}${t.zone(data.site.timezone)}`
  const tail = [
    `\n${followUpLine(t, data)}`,
    ...[groupsLine(t, t.byAssignee, data.followUps.byAssignee, t.unassigned, rules), groupsLine(t, t.byCheckpoint, data.followUps.byCheckpoint, '—', rules)].filter(Boolean).map((line) => `\n  ${line}`),
    data.moreSurveys ? `\n${t.moreSurveys(data.moreSurveys)}` : '',
    dashboardUrl ? `\n${t.dashboard}${t.colon}${dashboardUrl}` : '',
  ].join('')
  const blocks: string[] = []
  let used = costOf(head + tail, rules)
  for (const [index, survey] of data.surveys.entries()) {
    const block = surveyBlock(t, data, survey, rules)
    const left = data.surveys.length - index - 1
    const reserve = left ? costOf(`\n${t.more(left)}`, rules) : 0
    if (used + costOf(block, rules) + reserve > rules.limit) {
      blocks.push(`\n${t.more(data.surveys.length - index)}`)
      break
    }
    blocks.push(block)
    used += costOf(block, rules)
  }
  const text = `${head}${blocks.join('')}${tail}`
  // A last guard: whatever was assembled never exceeds the limit.
  return costOf(text, rules) <= rules.limit ? text : cut(text, rules.limit, rules)
}
