import type { DigestData, DigestGroup, DigestSurvey } from './digests-data.ts'
import { digestMessages, figure, scoreText, type DigestLang, type DigestMessages } from './digests-messages.ts'
import { changeText, digestText, followUpLine, goalText, hotIssuesText, rateText, scoreLine } from './digests-text.ts'
import { EMAIL_TEXT_RULES } from './email-alerts.ts'
import type { EmailContent } from './email-delivery.ts'
import { emailPage, escapeHtml } from './email-html.ts'
import type { FollowUpGroup } from './follow-up-metrics.ts'
import { MIN_ANSWERS_PER_PERIOD } from './scores.ts'

/**
 * A digest as an email: the chat text as its plain part, and an HTML part with a section per
 * survey and the follow-up tables, every name escaped. Links go to the dashboard and the
 * printable report for the same period, when PUBLIC_URL is set.
 */

const CELL = 'style="padding:4px 8px;border-bottom:1px solid #e5e7eb;text-align:left"'
const NUM = 'style="padding:4px 8px;border-bottom:1px solid #e5e7eb;text-align:right;white-space:nowrap"'

const link = (href: string, text: string): string => `<a href="${escapeHtml(href)}" style="color:#1d4ed8">${escapeHtml(text)}</a>`

function groupLine(t: DigestMessages, label: string, group: DigestGroup | null, survey: DigestSurvey, empty: string): string {
  if (!group) return ''
  const score = group.score === null ? '—' : scoreText(survey.type, group.score)
  return `<li>${escapeHtml(`${label}${t.colon}${t.group(group.key || empty, score, group.n, group.n < MIN_ANSWERS_PER_PERIOD ? t.few(MIN_ANSWERS_PER_PERIOD) : null)}`)}</li>`
}

function surveySection(t: DigestMessages, data: DigestData, survey: DigestSurvey, links: SurveyLinks | null): string {
  const goal = goalText(t, survey)
  const items = [
    goal && `<li>${escapeHtml(goal)}</li>`,
    `<li>${escapeHtml(changeText(t, survey, data.previous))}</li>`,
    `<li>${escapeHtml(rateText(t, survey))}</li>`,
    groupLine(t, t.worstCheckpoint, survey.worstCheckpoint, survey, '—'),
    groupLine(t, t.worstSegment, survey.worstSegment, survey, t.noSegment),
    survey.themes.hotIssues.length > 0 && `<li>${escapeHtml(`${t.rising}${t.colon}${hotIssuesText(t, survey, (tag) => tag)}`)}</li>`,
  ].filter(Boolean)
  return `<h2 style="font-size:17px;margin:16px 0 4px">${escapeHtml(survey.id)}</h2>
<p style="font-size:22px;font-weight:700;margin:0">${escapeHtml(scoreLine(t, survey.type, survey.score))}</p>
<ul style="margin:6px 0;padding-left:20px">${items.join('')}</ul>
${links ? `<p style="margin:4px 0">${link(links.dashboard, t.dashboard)} · ${link(links.report, t.report)}</p>` : ''}`
}

function groupTable(t: DigestMessages, title: string, groups: FollowUpGroup[], empty: string): string {
  if (groups.length === 0) return ''
  const hours = (value: number | null) => (value === null ? '—' : `${figure(value)} ${t.hours}`)
  const rows = groups
    .slice(0, 20)
    .map(
      (group) =>
        `<tr><th scope="row" ${CELL}>${escapeHtml(group.key || empty)}</th><td ${NUM}>${group.opened}</td><td ${NUM}>${group.resolved}</td><td ${NUM}>${group.overdue}</td><td ${NUM}>${group.sla.rate === null ? '—' : `${figure(group.sla.rate)}% (${group.sla.inTime}/${group.sla.due})`}</td><td ${NUM}>${hours(group.firstAction.medianHours)}</td><td ${NUM}>${hours(group.resolve.medianHours)}</td></tr>`,
    )
    .join('')
  return `<h3 style="font-size:15px;margin:12px 0 4px">${escapeHtml(title)}</h3>
<table style="border-collapse:collapse;width:100%;font-size:14px"><thead><tr><th ${CELL}>${escapeHtml(t.tableGroup)}</th><th ${NUM}>${escapeHtml(t.tableOpened)}</th><th ${NUM}>${escapeHtml(t.tableResolved)}</th><th ${NUM}>${escapeHtml(t.tableOverdue)}</th><th ${NUM}>${escapeHtml(t.tableSla)}</th><th ${NUM}>${escapeHtml(t.tableFirstAction)}</th><th ${NUM}>${escapeHtml(t.tableResolve)}</th></tr></thead><tbody>${rows}</tbody></table>`
}

export interface SurveyLinks {
  dashboard: string
  report: string
}

/** The digest's email; `links` gives each survey's dashboard and report links (null without PUBLIC_URL). */
export function digestEmail(data: DigestData, lang: DigestLang, dashboardUrl: string, links: (survey: string) => SurveyLinks | null): EmailContent {
  const t = digestMessages(lang)
  const subject = `Hearken · ${data.site.name}: ${t.title(data.frequency)} ${data.period.from} – ${data.period.to}`
  const body = [
    `<h1 style="font-size:20px;margin:0 0 4px">${escapeHtml(`${data.site.name} · ${t.title(data.frequency)}`)}</h1>`,
    `<p style="margin:0;color:#5b6475">${escapeHtml(`${data.period.from} – ${data.period.to}${t.zone(data.site.timezone)}`)}</p>`,
    ...data.surveys.map((survey) => surveySection(t, data, survey, links(survey.id))),
    data.moreSurveys ? `<p>${escapeHtml(t.moreSurveys(data.moreSurveys))}</p>` : '',
    `<h2 style="font-size:17px;margin:16px 0 4px">${escapeHtml(t.followUps)}</h2>`,
    `<p style="margin:0">${escapeHtml(followUpLine(t, data))}</p>`,
    groupTable(t, t.byAssignee, data.followUps.byAssignee, t.unassigned),
    groupTable(t, t.byCheckpoint, data.followUps.byCheckpoint, '—'),
    dashboardUrl ? `<p style="margin:16px 0 0">${link(dashboardUrl, t.dashboard)}</p>` : '',
  ].join('\n')
  return { subject, text: digestText(data, lang, dashboardUrl, EMAIL_TEXT_RULES), html: emailPage(lang, subject, body), lang }
}
