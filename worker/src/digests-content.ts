import type { DigestData } from './digests-data.ts'
import { digestEmail, type SurveyLinks } from './digests-email.ts'
import type { DigestLang } from './digests-messages.ts'
import { digestText } from './digests-text.ts'
import { periodBounds } from './report-period.ts'
import type { MessageContent } from './webhook-formats.ts'

/**
 * A claimed digest as a message in every format: the Standard Webhooks event
 * `hearken.digest.{daily|weekly|monthly}` (timestamp: when the period ended), the chat text and
 * the email. Read from its row at each attempt, so every retry says the same.
 */

/** Dashboard links for the digest's period, in its language (the dashboard speaks en and 简体中文). */
function linksFor(data: DigestData, lang: DigestLang, publicUrl: string | undefined) {
  const base = (publicUrl ?? '').replace(/\/+$/, '')
  const query = (survey?: string) => new URLSearchParams({ ...(survey ? { survey } : {}), from: data.period.from, to: data.period.to, lang: lang === 'en' ? 'en' : 'zh-CN' }).toString()
  return {
    dashboard: base ? `${base}/dashboard?${query()}` : '',
    survey: (survey: string): SurveyLinks | null => (base ? { dashboard: `${base}/dashboard?${query(survey)}`, report: `${base}/dashboard/report?${query(survey)}` } : null),
  }
}

export function renderDigest(data: DigestData, lang: DigestLang, publicUrl: string | undefined): MessageContent {
  const links = linksFor(data, lang, publicUrl)
  return {
    event: {
      type: `hearken.digest.${data.frequency}`,
      timestamp: new Date(periodBounds(data.site.timezone, data.period).end).toISOString(),
      data: {
        ...data,
        lang,
        surveys: data.surveys.map((survey) => ({ ...survey, ...(links.survey(survey.id) ? { links: links.survey(survey.id) } : {}) })),
        ...(links.dashboard ? { dashboardUrl: links.dashboard } : {}),
      },
    },
    text: (rules) => digestText(data, lang, links.dashboard, rules),
    email: () => digestEmail(data, lang, links.dashboard, links.survey),
  }
}

/** The content of the digest a message carries, or null when its row is gone (its webhook or site was deleted). */
export async function digestContent(db: D1Database, messageId: string, publicUrl: string | undefined): Promise<MessageContent | null> {
  const row = await db.prepare('SELECT data, lang FROM digests WHERE message_id = ?').bind(messageId).first<{ data: string; lang: DigestLang }>()
  return row ? renderDigest(JSON.parse(row.data) as DigestData, row.lang, publicUrl) : null
}
