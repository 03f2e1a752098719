/** @jsxImportSource hono/jsx */
import type { Context } from 'hono'
import type { AppEnv } from '../env.ts'
import { dayIn, timeIn } from '../dates.ts'
import { RequestError } from '../errors.ts'
import { buildReport, parseReportQuery, type GoalGap, type Report } from '../report.ts'
import { headline } from '../scores.ts'
import type { Site } from '../sites.ts'
import { listSurveys, type Survey } from '../surveys.ts'
import { DistributionChart, pointOf, TrendChart } from './charts.tsx'
import { dashboardUrl, FILTER_FIELDS, filterValues } from './filters.ts'
import { formatNumber, formatScore } from './format.ts'
import { LANGS, messagesFor, type Lang, type Messages } from './i18n.ts'
import { ChangeCard } from './change-card.tsx'
import { GroupTable, type GroupRow } from './group-table.tsx'
import { FollowUpSection } from './report-follow-ups.tsx'
import { reportMessagesFor, type ReportMessages } from './report-messages.ts'
import { adviceText, dimensionLabel } from './stats-section.tsx'
import { ThemesSection } from './themes-section.tsx'

/**
 * `/dashboard/report?survey=&from=&to=`: one survey over one period as a manager prints it or
 * saves it as PDF: laid out for A4 (report-css.ts), charts in SVG, goals and gaps, key drivers
 * and themes (themes-section.tsx, the dashboard's) where the survey has them, the follow-up loop, and how sure every figure is. The
 * same data as `GET /v1/sites/{site}/report`; no script, the dashboard's escaping and CSP.
 */

type Signed = Context<AppEnv & { Variables: { lang: Lang; site: Site } }>

const LANG_LABELS: Record<Lang, string> = { en: 'English', 'zh-CN': '简体中文' }

const unit = (report: Report) => (report.survey.type === 'nps' ? '' : '%')

function ScoreFigure({ t, report }: { t: Messages; report: Report }) {
  const { stats } = report
  const point = pointOf({ key: 'all', nps: stats.nps, csat: stats.csat, ces: stats.ces })
  return (
    <div class="card" role="group" aria-labelledby="score-label">
      <h3 id="score-label">{t.scoreOf(stats.type)}</h3>
      <p class="figure" id="report-score">
        {point.score === null ? '—' : `${formatNumber(point.score)}${unit(report)}`}
      </p>
      {point.low !== null && (
        <p class="muted" id="report-interval">
          {stats.type === 'nps' ? t.npsInterval(formatNumber(point.low), formatNumber(point.high!)) : t.interval(formatNumber(point.low), formatNumber(point.high!))}
        </p>
      )}
      {stats.nps?.shares && <p class="muted">{t.shares(formatNumber(stats.nps.shares.promoters), formatNumber(stats.nps.shares.passives), formatNumber(stats.nps.shares.detractors))}</p>}
      <p class="muted" id="report-n">
        {t.answers}: {point.n}
      </p>
    </div>
  )
}

function GoalFigure({ t, r, report }: { t: Messages; r: ReportMessages; report: Report }) {
  const { goal } = report
  return (
    <div class="card" role="group" aria-labelledby="goal-label">
      <h3 id="goal-label">{t.goal}</h3>
      {goal ? (
        <>
          <p class="figure">{`${formatNumber(goal.target)}${unit(report)}`}</p>
          {goal.gap !== null && (
            <p id="report-goal-gap" class={goal.gap >= 0 ? 'good' : 'bad'}>
              {r.goalLine(formatNumber(goal.target), goal.gap >= 0 ? r.gapAbove(formatNumber(goal.gap)) : r.gapBelow(formatNumber(-goal.gap)))}
            </p>
          )}
        </>
      ) : (
        <p class="muted">{r.noGoalSet}</p>
      )}
    </div>
  )
}

function RateFigure({ t, report }: { t: Messages; report: Report }) {
  const { shown, answered, rate } = report.stats.responseRate
  return (
    <div class="card" role="group" aria-labelledby="rate-label">
      <h3 id="rate-label">{t.responseRate}</h3>
      <p class="figure" id="report-rate">
        {rate === null ? '—' : `${formatNumber(rate)}%`}
      </p>
      <p class="muted">{shown ? t.responseRateOf(answered, shown) : t.noImpressions}</p>
    </div>
  )
}

function SampleStatement({ t, r, report }: { t: Messages; r: ReportMessages; report: Report }) {
  const { sampleSize: sample, stats } = report
  const { score, interval } = headline(stats)
  const figure = (value: number) => formatScore(value, stats.type)
  return (
    <section aria-labelledby="sample-title">
      <h2 id="sample-title">{r.sampleTitle}</h2>
      <p id="report-sample">
        {sample.margin === null || score === null || interval === null
          ? r.sampleNone
          : `${r.sampleStatement(sample.n, figure(score), figure(interval[0]), figure(interval[1]))} ${sample.margin <= sample.targetMargin ? r.sampleEnough(sample.targetMargin) : r.sampleMore(sample.needed.toLocaleString('en'), sample.targetMargin)}`}{' '}
        {r.sampleChange(sample.minAnswersPerPeriod)}
      </p>
      <p class="muted">{stats.flagged === 0 ? t.noneFlagged : stats.includesFlagged ? t.includedFlagged(stats.flagged) : t.excludedFlagged(stats.flagged)}</p>
      {stats.timezone.changes.map((change) => (
        <p class="muted">{t.timezoneChanged(change.day, change.from, change.to)}</p>
      ))}
    </section>
  )
}

/** A goal gap as a breakdown row. */
const gapRow = (group: GoalGap): GroupRow => ({ key: group.key, score: group.score, low: group.interval?.[0] ?? null, high: group.interval?.[1] ?? null, n: group.n, gap: group.gap })

function DriversSection({ t, lang, survey, report }: { t: Messages; lang: Lang; survey: Survey; report: Report }) {
  const drivers = report.stats.keyDrivers
  const r2 = (value: number) => value.toFixed(2).replace('-', '−')
  return (
    <section aria-labelledby="drivers-title">
      <h2 id="drivers-title">{t.keyDrivers}</h2>
      <p>
        <strong>{adviceText(t, lang, survey, drivers)}</strong>
      </p>
      <div class="table-wrap" tabindex={0} role="region" aria-labelledby="drivers-title">
        <table>
          <thead>
            <tr>
              <th scope="col">{t.driverRating}</th>
              <th scope="col" class="num">{t.driverLink}</th>
              <th scope="col" class="num">95%</th>
              <th scope="col" class="num">{t.driverRated}</th>
              <th scope="col" class="num">n</th>
            </tr>
          </thead>
          <tbody>
            {drivers.drivers.map((driver) => (
              <tr>
                <th scope="row">{dimensionLabel(survey, driver.id, lang)}</th>
                <td class="num">{driver.withScore ? r2(driver.withScore.r) : driver.n < drivers.minAnswers ? t.driverFewAnswers(drivers.minAnswers) : '—'}</td>
                <td class="num">{driver.withScore ? `${r2(driver.withScore.interval[0])} – ${r2(driver.withScore.interval[1])}` : '—'}</td>
                <td class="num">{driver.mean === null ? '—' : `${formatNumber(driver.mean)} / 5`}</td>
                <td class="num">{driver.n}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="muted">{t.driverHelp}</p>
    </section>
  )
}

export function ReportPage({ lang, site, surveys, survey, report, query }: { lang: Lang; site: Site; surveys: Survey[]; survey: Survey; report: Report; query: Record<string, string | undefined> }) {
  const t = messagesFor(lang)
  const r = reportMessagesFor(lang)
  const { stats } = report
  const title = `${r.reportOf(survey.id)} · ${site.name}`
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>{`${title} · ${stats.from} – ${stats.to}`}</title>
        <link rel="stylesheet" href="/dashboard/dashboard.css" />
        <link rel="stylesheet" href="/dashboard/report.css" />
      </head>
      <body class="report">
        <a class="skip no-print" href="#content">
          {t.skipToContent}
        </a>
        <nav class="report-nav no-print" aria-label={r.report}>
          <a href={dashboardUrl('/dashboard', { ...query, lang })}>{r.back}</a>
          <ul class="langs" aria-label={t.switchLanguage}>
            {LANGS.map((other) => (
              <li>
                <a href={dashboardUrl('/dashboard/report', { ...query, lang: other })} lang={other} hreflang={other} aria-current={other === lang ? 'true' : undefined}>
                  {LANG_LABELS[other]}
                </a>
              </li>
            ))}
          </ul>
          {surveys.length > 1 && (
            <ul class="langs" aria-label={r.otherSurveys}>
              {surveys
                .filter((other) => other.id !== survey.id)
                .map((other) => (
                  <li>
                    <a href={dashboardUrl('/dashboard/report', { ...query, survey: other.id, lang })}>{other.id}</a>
                  </li>
                ))}
            </ul>
          )}
        </nav>
        <main id="content" tabindex={-1}>
          <header class="report-head">
            <h1>{title}</h1>
            <p class="period">{r.periodIn(stats.from, stats.to, stats.timezone.zone)}</p>
            <p class="muted">{r.generated(`${timeIn(site.timezone, Date.parse(report.generatedAt))} (${site.timezone})`)}</p>
            <p class="muted no-print">{r.printHint}</p>
          </header>
          <section aria-labelledby="figures-title">
            <h2 id="figures-title">{r.keyFigures}</h2>
            <div class="figures">
              <ScoreFigure t={t} report={report} />
              <GoalFigure t={t} r={r} report={report} />
              <ChangeCard t={t} comparison={report.stats.comparison} ids={{ change: 'report-change', verdict: 'report-verdict' }} />
              <RateFigure t={t} report={report} />
            </div>
          </section>
          <SampleStatement t={t} r={r} report={report} />
          <section aria-labelledby="charts-title">
            <h2 id="charts-title">{t.trend}</h2>
            <div class="grid charts">
              <div class="card" role="group" aria-labelledby="trend-label">
                <h3 id="trend-label">{t.trendLabel(t.scoreOf(stats.type))}</h3>
                <TrendChart lang={lang} type={stats.type} series={stats.series} goal={report.goal?.target ?? null} />
              </div>
              <div class="card" role="group" aria-labelledby="distribution-label">
                <h3 id="distribution-label">{t.distribution}</h3>
                <DistributionChart lang={lang} type={stats.type} counts={report.distribution} />
              </div>
            </div>
          </section>
          <section aria-labelledby="gaps-title">
            <h2 id="gaps-title">{r.goalsTitle}</h2>
            {!report.goal && <p class="muted">{r.noGoalSet}</p>}
            <div class="grid">
              <GroupTable t={t} id="gaps-checkpoint" title={t.byCheckpoint} rows={report.gaps.byCheckpoint.map(gapRow)} empty="—" minAnswers={report.sampleSize.minAnswersPerPeriod} gapTitle={report.goal ? r.gap : undefined} />
              <GroupTable t={t} id="gaps-segment" title={t.bySegment} rows={report.gaps.bySegment.map(gapRow)} empty={t.noSegment} minAnswers={report.sampleSize.minAnswersPerPeriod} gapTitle={report.goal ? r.gap : undefined} />
            </div>
          </section>
          {stats.keyDrivers.drivers.length > 0 && <DriversSection t={t} lang={lang} survey={survey} report={report} />}
          {stats.themes.themes.length > 0 && (
            <ThemesSection
              lang={lang}
              themes={stats.themes}
              timezone={site.timezone}
              tagHref={(tag) => `${dashboardUrl('/dashboard', { ...query, tag, lang })}#comments-title`}
            />
          )}
          <FollowUpSection lang={lang} metrics={report.followUps} idPrefix="report-follow-ups" />
        </main>
      </body>
    </html>
  )
}

/** The page: the signed-in site's survey (the first one when none is named) over the period asked for. */
export async function reportPage(c: Signed): Promise<Response> {
  const { lang, site } = c.var
  const params = new URL(c.req.url).searchParams
  const surveys = await listSurveys(c.env.DB, site.id)
  const wanted = params.get('survey')
  const survey = wanted === null || wanted === '' ? surveys[0] : surveys.find((candidate) => candidate.id === wanted)
  if (!survey) throw wanted ? new RequestError(400, 'unknown_survey', `no survey ${wanted} on this site`, 'survey') : new RequestError(400, 'no_surveys', 'this site has no surveys yet', 'survey')
  const now = Date.now()
  const query = parseReportQuery(params, dayIn(site.timezone, now))
  const report = await buildReport(c.env.DB, site, survey, query, now)
  const values = filterValues(params)
  const kept = Object.fromEntries(FILTER_FIELDS.map((field) => [field, values[field]]))
  const page = ReportPage({ lang, site, surveys, survey, report, query: { ...kept, survey: survey.id, from: query.from, to: query.to } })
  return c.html(`<!doctype html>${await page}`)
}
