/** @jsxImportSource hono/jsx */
import type { FollowUpMetrics } from '../follow-up-metrics.ts'
import type { StatsResult } from '../stats-result.ts'
import type { StoredResponse } from '../responses.ts'
import type { Site } from '../sites.ts'
import type { Survey } from '../surveys.ts'
import { siteAdditions } from '../tags.ts'
import { alertMessagesFor } from './alert-messages.ts'
import { CommentsSection } from './comments.tsx'
import { FilterForm } from './filter-form.tsx'
import { COMMENT_ONLY_FIELDS, dashboardUrl, type DashboardView } from './filters.ts'
import { messagesFor, type Lang } from './i18n.ts'
import { Layout } from './layout.tsx'
import { FollowUpSection } from './report-follow-ups.tsx'
import { reportMessagesFor } from './report-messages.ts'
import { StatsSection } from './stats-section.tsx'
import { formatTagRules } from './tag-rules-text.ts'
import { TagRulesEditor } from './tag-rules-editor.tsx'
import { ThemesSection } from './themes-section.tsx'

/** What the overview shows once the filters are read and the data loaded. */
export interface Overview {
  view: DashboardView
  stats: StatsResult
  distribution: { score: number; n: number }[]
  responses: StoredResponse[]
  next: string | null
  cursor: string | undefined
  /** The follow-up loop measured over the same survey and period. */
  followUps: FollowUpMetrics
}

/** Notes of what the last form saved, by the `saved` value the redirect carries. */
const SAVED_NOTES = { 'follow-up': 'followUpSaved', 'tag-rules': 'tagRulesSaved' } as const

export function DashboardPage(props: { lang: Lang; site: Site; surveys: Survey[]; overview?: Overview; problem?: string; saved?: string }) {
  const { lang, site, overview } = props
  const t = messagesFor(lang)
  const query = overview ? { ...overview.view.values, ...(overview.cursor ? { cursor: overview.cursor } : {}) } : {}
  const back = dashboardUrl('/dashboard', { ...query, lang })
  const savedKey = props.saved && props.saved in SAVED_NOTES ? SAVED_NOTES[props.saved as keyof typeof SAVED_NOTES] : undefined
  return (
    <Layout lang={lang} title={`${site.name} · ${t.title}`} query={query} siteName={site.name}>
      {savedKey && (
        <p class="message" role="status">
          {t[savedKey]}
        </p>
      )}
      {props.problem && (
        <div class="message error" role="alert">
          <p>
            {t.badFilter}: {props.problem}
          </p>
          <a href={dashboardUrl('/dashboard', { lang })}>{t.reset}</a>
        </div>
      )}
      {props.surveys.length === 0 && <p class="message">{t.noSurveys}</p>}
      {overview && (
        <>
          <FilterForm
            lang={lang}
            site={site}
            surveys={props.surveys}
            survey={overview.view.survey}
            values={overview.view.values}
            period={overview.view.stats}
            checkpoints={[...new Set([...overview.view.survey.checkpoints, ...overview.stats.byCheckpoint.map((group) => group.key)])]}
            segments={[...new Set([...site.settings.segments.map((segment) => segment.id), ...overview.stats.bySegment.map((group) => group.key)])].filter(Boolean)}
          />
          <StatsSection
            lang={lang}
            stats={overview.stats}
            survey={overview.view.survey}
            distribution={overview.distribution}
            toggleFlaggedHref={`${dashboardUrl('/dashboard', { ...overview.view.values, flagged: overview.stats.includesFlagged ? undefined : 'include', lang })}#stats-title`}
            commentOnlyFilters={COMMENT_ONLY_FIELDS.filter((field) => overview.view.values[field] !== undefined).map((field) => t[field])}
          />
          <ThemesSection
            lang={lang}
            themes={overview.stats.themes}
            timezone={site.timezone}
            tagHref={(tag) => `${dashboardUrl('/dashboard', { ...overview.view.values, tag, lang })}#comments-title`}
          />
          <p>
            <a href={dashboardUrl('/dashboard/report', { ...overview.view.values, survey: overview.view.survey.id, from: overview.view.stats.from, to: overview.view.stats.to, lang })}>
              {reportMessagesFor(lang).printableReport}
            </a>
          </p>
          <FollowUpSection lang={lang} metrics={overview.followUps} idPrefix="follow-ups" />
          <CommentsSection
            lang={lang}
            timezone={site.timezone}
            responses={overview.responses}
            back={back}
            csvHref={dashboardUrl('/dashboard/export.csv', { ...overview.view.values, survey: overview.view.survey.id, from: overview.view.stats.from, to: overview.view.stats.to })}
            olderHref={overview.next ? `${dashboardUrl('/dashboard', { ...overview.view.values, lang, cursor: overview.next })}#comments-title` : null}
            newestHref={overview.cursor ? `${dashboardUrl('/dashboard', { ...overview.view.values, lang })}#comments-title` : null}
          />
        </>
      )}
      {/* What the site adds to the built-in words: rules of the substring era read as their additions. */}
      <TagRulesEditor lang={lang} text={formatTagRules(siteAdditions(site.settings.tagRules))} back={back} />
      <p>
        <a href={dashboardUrl('/dashboard/alerts', { lang })}>{alertMessagesFor(lang).alertsTitle}</a>
      </p>
    </Layout>
  )
}

/** A form that could not be saved: what went wrong, and the way back. */
export function ProblemPage({ lang, site, problem, back, tagRulesText }: { lang: Lang; site?: Site; problem: string; back: string; tagRulesText?: string }) {
  const t = messagesFor(lang)
  return (
    <Layout lang={lang} title={t.title} siteName={site?.name}>
      <div class="message error" role="alert">
        <p>{problem}</p>
        <a href={back}>{t.title}</a>
      </div>
      {tagRulesText !== undefined && <TagRulesEditor lang={lang} text={tagRulesText} back={back} open />}
    </Layout>
  )
}
