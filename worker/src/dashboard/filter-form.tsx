/** @jsxImportSource hono/jsx */
import { FIRST_DAY, LAST_DAY } from '../dates.ts'
import { knownTags } from '../response-tags.ts'
import type { Site } from '../sites.ts'
import type { Survey } from '../surveys.ts'
import { dashboardUrl, type FilterField } from './filters.ts'
import { messagesFor, type Lang } from './i18n.ts'

const BANDS = { nps: ['detractor', 'passive', 'promoter'], csat: ['low', 'high'], ces: ['low', 'high'] } as const
const FOLLOW_UPS = ['open', 'in_progress', 'resolved', 'overdue'] as const

function Select(props: { id: FilterField; label: string; options: { value: string; label: string }[]; value: string | undefined; allLabel?: string }) {
  return (
    <div>
      <label for={`filter-${props.id}`}>{props.label}</label>
      <select id={`filter-${props.id}`} name={props.id}>
        {props.allLabel !== undefined && <option value="">{props.allLabel}</option>}
        {props.options.map((option) => (
          <option value={option.value} selected={option.value === props.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  )
}

const withCurrent = (choices: string[], current: string | undefined): string[] => [...new Set([...choices, ...(current ? [current] : [])])]
const plain = (values: string[]) => values.map((value) => ({ value, label: value }))

/** The GET form choosing the period and filters; every choice is also in the page's address. */
export function FilterForm(props: {
  lang: Lang
  site: Site
  surveys: Survey[]
  survey: Survey
  values: Partial<Record<FilterField, string>>
  period: { from: string; to: string }
  checkpoints: string[]
  segments: string[]
}) {
  const t = messagesFor(props.lang)
  const { values } = props
  return (
    <section aria-labelledby="filters-title">
      <h2 id="filters-title">{t.filters}</h2>
      <form class="filters" method="get" action="/dashboard">
        <input type="hidden" name="lang" value={props.lang} />
        <Select id="survey" label={t.survey} options={props.surveys.map((survey) => ({ value: survey.id, label: `${survey.id} (${t.scoreOf(survey.type)})` }))} value={props.survey.id} />
        <Select id="checkpoint" label={t.checkpoint} options={plain(withCurrent(props.checkpoints, values.checkpoint))} value={values.checkpoint} allLabel={t.all} />
        <Select id="segment" label={t.segment} options={plain(withCurrent(props.segments, values.segment))} value={values.segment} allLabel={t.all} />
        <div>
          <label for="filter-from">{t.from}</label>
          <input id="filter-from" name="from" type="date" min={FIRST_DAY} max={LAST_DAY} value={props.period.from} />
        </div>
        <div>
          <label for="filter-to">{t.to}</label>
          <input id="filter-to" name="to" type="date" min={FIRST_DAY} max={LAST_DAY} value={props.period.to} />
        </div>
        <div>
          <label for="filter-compareFrom">{t.compareFrom}</label>
          <input id="filter-compareFrom" name="compareFrom" type="date" min={FIRST_DAY} max={LAST_DAY} value={values.compareFrom ?? ''} aria-describedby="compare-hint" />
        </div>
        <div>
          <label for="filter-compareTo">{t.compareTo}</label>
          <input id="filter-compareTo" name="compareTo" type="date" min={FIRST_DAY} max={LAST_DAY} value={values.compareTo ?? ''} aria-describedby="compare-hint" />
          <p id="compare-hint" class="muted">{t.compareHint}</p>
        </div>
        <Select id="band" label={t.band} options={BANDS[props.survey.type].map((band) => ({ value: band, label: t.bands[band] ?? band }))} value={values.band} allLabel={t.all} />
        <Select id="tag" label={t.tag} options={withCurrent(knownTags(props.site.settings.tagRules), values.tag).map((tag) => ({ value: tag, label: t.tagLabel(tag) }))} value={values.tag} allLabel={t.all} />
        <Select id="followUp" label={t.followUp} options={FOLLOW_UPS.map((status) => ({ value: status, label: t.statuses[status] ?? status }))} value={values.followUp} allLabel={t.all} />
        <div class="check">
          <input id="filter-flagged" name="flagged" type="checkbox" value="include" checked={values.flagged === 'include'} />
          <label for="filter-flagged">{t.includeFlaggedLabel}</label>
        </div>
        <div class="actions">
          <button type="submit">{t.apply}</button>
          <a class="button secondary" href={dashboardUrl('/dashboard', { lang: props.lang })}>
            {t.reset}
          </a>
        </div>
      </form>
    </section>
  )
}
