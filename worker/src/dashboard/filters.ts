import { RequestError } from '../errors.ts'
import { parseResponseFilter, type ResponseFilter } from '../responses.ts'
import { parseStatsQuery, type StatsQuery } from '../stats.ts'
import type { Survey } from '../surveys.ts'
import type { Lang } from './i18n.ts'

/** The query fields the dashboard's filter form sends; everything else is dropped from links. */
export const FILTER_FIELDS = ['survey', 'checkpoint', 'segment', 'from', 'to', 'compareFrom', 'compareTo', 'flagged', 'band', 'tag', 'followUp'] as const

/** The filters that narrow the comments but not the scores (which come from rollups that know no band, tag or follow-up). */
export const COMMENT_ONLY_FIELDS = ['band', 'tag', 'followUp'] as const satisfies readonly FilterField[]

export type FilterField = (typeof FILTER_FIELDS)[number]

/** What the dashboard shows: the chosen survey, the stats query, and the comments' filter. */
export interface DashboardView {
  survey: Survey
  /** The form's values as given (empty ones left out), for links and for filling the form again. */
  values: Partial<Record<FilterField, string>>
  stats: StatsQuery
  comments: ResponseFilter
}

/** The filter values of a query string, empty ones left out (an empty select means "all"). */
export function filterValues(params: URLSearchParams): Partial<Record<FilterField, string>> {
  const values: Partial<Record<FilterField, string>> = {}
  for (const field of FILTER_FIELDS) {
    const value = params.get(field)
    if (value) values[field] = value
  }
  return values
}

/**
 * Reads the filters with the stats API's own parsers, so a period or filter means the same
 * here as in `GET …/stats` and `GET …/responses`. The comments cover the same resolved period.
 */
export function readView(params: URLSearchParams, surveys: Survey[], today: string): DashboardView {
  const values = filterValues(params)
  const survey = values.survey === undefined ? surveys[0] : surveys.find((candidate) => candidate.id === values.survey)
  if (!survey) {
    throw values.survey === undefined
      ? new RequestError(400, 'no_surveys', 'this site has no surveys yet', 'survey')
      : new RequestError(400, 'unknown_survey', `no survey ${values.survey} on this site`, 'survey')
  }
  const given = new URLSearchParams(Object.entries(values))
  // Compare with the previous period unless the operator chose one (before / after a change).
  const stats = parseStatsQuery(given, today, { previousByDefault: true })
  const comments = parseResponseFilter(given)
  return { survey, values, stats, comments: { ...comments, survey: survey.id, from: stats.from, to: stats.to } }
}

/** A dashboard link: the path with the given query values, empty ones left out. */
export function dashboardUrl(path: string, values: Record<string, string | undefined>): string {
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries(values)) if (value) query.set(key, value)
  const search = query.toString()
  return search ? `${path}?${search}` : path
}

const BASE = 'https://dashboard.invalid'

/**
 * Where to go after a form: the dashboard page the form came from (its `back` field), never
 * another site or path, with a note of what was saved and the answer to scroll back to.
 */
export function backTo(back: string | undefined, lang: Lang, saved: string, fragment = ''): string {
  let url = new URL(back?.startsWith('/dashboard') ? back : '/dashboard', BASE)
  if (url.origin !== BASE || url.pathname !== '/dashboard') url = new URL('/dashboard', BASE)
  if (!url.searchParams.has('lang')) url.searchParams.set('lang', lang)
  url.searchParams.set('saved', saved)
  return `${url.pathname}?${url.searchParams.toString()}${fragment}`
}
