/** @jsxImportSource hono/jsx */
import { SCORE_RANGES } from '../../../sdk/protocol.ts'
import { headline, MIN_ANSWERS_PER_PERIOD } from '../scores.ts'
import type { KeyDrivers, StatsResult } from '../stats-result.ts'
import type { Survey } from '../surveys.ts'
import { DistributionChart, pointOf, TrendChart } from './charts.tsx'
import { formatNumber, formatScore } from './format.ts'
import { ChangeCard } from './change-card.tsx'
import { GroupTable } from './group-table.tsx'
import { messagesFor, type Lang, type Messages } from './i18n.ts'
import { sampleGuidance, TARGET_MARGIN } from './sample-size.ts'

/** What is left out of the scores and why, with the switch to count it. */
function ExclusionNote({ t, stats, toggleHref }: { t: Messages; stats: StatsResult; toggleHref: string }) {
  if (stats.flagged === 0) return <p class="note muted">{t.noneFlagged}</p>
  return (
    <p class="note" id="flagged-note">
      {stats.includesFlagged ? t.includedFlagged(stats.flagged) : t.excludedFlagged(stats.flagged)}{' '}
      <a href={toggleHref}>{stats.includesFlagged ? t.excludeFlagged : t.includeFlagged}</a>
    </p>
  )
}

/** The headline score with its interval, its parts and its goal. */
function ScoreCard({ t, stats }: { t: Messages; stats: StatsResult }) {
  const point = pointOf({ key: 'all', nps: stats.nps, csat: stats.csat, ces: stats.ces })
  const unit = stats.type === 'nps' ? '' : '%'
  const share = stats.csat ?? stats.ces
  return (
    <div class="card" role="group" aria-labelledby="score-label">
      <h3 id="score-label">{t.scoreOf(stats.type)}</h3>
      <p class="figure">{point.score === null ? '—' : `${formatNumber(point.score)}${unit}`}</p>
      {point.low !== null &&
        (stats.type === 'nps' ? (
          <p class="muted">{t.npsInterval(formatNumber(point.low), formatNumber(point.high!))}</p>
        ) : (
          <p class="muted">{t.interval(formatNumber(point.low), formatNumber(point.high!))}</p>
        ))}
      {stats.nps?.shares && (
        <p class="muted">{t.shares(formatNumber(stats.nps.shares.promoters), formatNumber(stats.nps.shares.passives), formatNumber(stats.nps.shares.detractors))}</p>
      )}
      {share?.mean != null && <p class="muted">{t.mean(formatNumber(share.mean), SCORE_RANGES[stats.type][1])}</p>}
      <p class="muted">
        {t.answers}: {point.n}
      </p>
      <p>
        {stats.goal ? (
          <>
            {t.goal}: {formatNumber(stats.goal.target)}
            {unit}{' '}
            {stats.goal.met !== null && <span class={stats.goal.met ? 'good' : 'bad'}>({stats.goal.met ? t.goalMet : t.goalMissed})</span>}
          </>
        ) : (
          <span class="muted">{t.noGoal}</span>
        )}
      </p>
    </div>
  )
}

function RateCard({ t, stats }: { t: Messages; stats: StatsResult }) {
  const { shown, answered, rate } = stats.responseRate
  return (
    <div class="card" role="group" aria-labelledby="rate-label">
      <h3 id="rate-label">{t.responseRate}</h3>
      <p class="figure">{rate === null ? '—' : `${formatNumber(rate)}%`}</p>
      <p class="muted">{shown ? t.responseRateOf(answered, shown) : t.noImpressions}</p>
    </div>
  )
}

/** A dimension's label in the dashboard's language, English when the survey has none in it. */
export function dimensionLabel(survey: Survey, id: string, lang: Lang): string {
  const label = survey.dimensions?.find((candidate) => candidate.id === id)?.label
  return (lang === 'zh-CN' ? label?.['zh-CN'] : undefined) ?? label?.en ?? id
}

function IndexCard({ t, lang, stats, survey }: { t: Messages; lang: Lang; stats: StatsResult; survey: Survey }) {
  return (
    <div class="card" role="group" aria-labelledby="index-label">
      <h3 id="index-label">{t.compositeIndex}</h3>
      <p class="figure">{stats.compositeIndex === null ? '—' : formatNumber(stats.compositeIndex)}</p>
      <p class="muted">{stats.compositeIndex === null ? t.noRatings : t.compositeHelp}</p>
      {stats.dimensions.length > 0 && (
        <ul class="muted">
          {stats.dimensions.map((dimension) => (
            <li>
              {dimensionLabel(survey, dimension.id, lang)}:{' '}
              {dimension.mean === null ? '—' : `${formatNumber(dimension.mean)} / 5`} (n = {dimension.n})
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

/** Importance × performance in the dashboard's language, from the API's advice. */
export function adviceText(t: Messages, lang: Lang, survey: Survey, drivers: KeyDrivers): string {
  const { advice } = drivers
  const name = (id: string | null) => (id === null ? null : dimensionLabel(survey, id, lang))
  const meanOf = (id: string | null) => {
    const mean = drivers.drivers.find((driver) => driver.id === id)?.mean
    return mean == null ? null : formatNumber(mean)
  }
  if (advice.kind === 'fix_first') return t.driverAdvice.fix_first(name(advice.dimension)!)
  if (advice.kind === 'most_important') return t.driverAdvice.most_important(name(advice.dimension)!, meanOf(advice.dimension)!, name(advice.lowest), meanOf(advice.lowest))
  if (advice.kind === 'tied') return t.driverAdvice.tied(t.andJoin(advice.tied.map((id) => name(id)!)), name(advice.lowest)!, meanOf(advice.lowest)!)
  if (advice.kind === 'no_clear_driver') return t.driverAdvice.no_clear_driver
  return t.driverAdvice.not_enough_answers(drivers.minAnswers)
}

const formatR = (value: number) => value.toFixed(2).replace('-', '−')

/** r, and under it its 95% interval: two short lines fit a 320 px screen where one long one would not. */
function CorrelationCell({ correlation }: { correlation: { r: number; interval: [number, number] } }) {
  return (
    <>
      {formatR(correlation.r)}
      <br />
      <span class="muted">
        {formatR(correlation.interval[0])} – {formatR(correlation.interval[1])}
      </span>
    </>
  )
}

function KeyDriversCard({ t, lang, stats, survey }: { t: Messages; lang: Lang; stats: StatsResult; survey: Survey }) {
  const drivers = stats.keyDrivers
  return (
    <div class="card" role="group" aria-labelledby="drivers-label">
      <h3 id="drivers-label">{t.keyDrivers}</h3>
      <p id="drivers-advice">
        <strong>{adviceText(t, lang, survey, drivers)}</strong>
      </p>
      <div class="table-wrap" tabindex={0} role="region" aria-labelledby="drivers-label">
        <table>
          <thead>
            <tr>
              <th scope="col">{t.driverRating}</th>
              <th scope="col" class="num">{t.driverLink}</th>
              <th scope="col" class="num">{t.driverRated}</th>
              <th scope="col" class="num">n</th>
            </tr>
          </thead>
          <tbody>
            {drivers.drivers.map((driver) => (
              <tr>
                <th scope="row">{dimensionLabel(survey, driver.id, lang)}</th>
                <td class="num">{driver.withScore ? <CorrelationCell correlation={driver.withScore} /> : driver.n < drivers.minAnswers ? <span class="few">{t.driverFewAnswers(drivers.minAnswers)}</span> : '—'}</td>
                <td class="num">{driver.mean === null ? '—' : `${formatNumber(driver.mean)} / 5`}</td>
                <td class="num">{driver.n}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="muted">{t.driverHelp}</p>
    </div>
  )
}

function SampleCard({ t, stats }: { t: Messages; stats: StatsResult }) {
  const guidance = sampleGuidance(stats)
  const { score, interval } = headline(stats)
  const figure = (value: number) => formatScore(value, stats.type)
  return (
    <div class="card" role="group" aria-labelledby="sample-label">
      <h3 id="sample-label">{t.sampleSize}</h3>
      <p id="sample-now">
        {score === null || interval === null ? t.sampleNone : t.sampleNow(guidance.n, figure(score), figure(interval[0]), figure(interval[1]))}
        ;{' '}
        {guidance.margin !== null && guidance.margin <= TARGET_MARGIN ? t.sampleReached(TARGET_MARGIN) : t.sampleNeeded(guidance.needed.toLocaleString('en'), TARGET_MARGIN)}
      </p>
      <p class="muted">{t.sampleForChange(MIN_ANSWERS_PER_PERIOD)}</p>
    </div>
  )
}

/** Everything the stats API says about the period, as cards, charts and tables, with what they leave out. */
export function StatsSection(props: {
  lang: Lang
  stats: StatsResult
  survey: Survey
  distribution: { score: number; n: number }[]
  /** The same page with flagged answers counted, or left out again. */
  toggleFlaggedHref: string
  /** The labels of the active filters that narrow the comments but not the scores. */
  commentOnlyFilters: string[]
}) {
  const { lang, stats, survey, distribution } = props
  const t = messagesFor(lang)
  return (
    <section aria-labelledby="stats-title">
      <h2 id="stats-title">
        {t.score}: {survey.id} · {stats.from} – {stats.to}
      </h2>
      <ExclusionNote t={t} stats={stats} toggleHref={props.toggleFlaggedHref} />
      {props.commentOnlyFilters.length > 0 && <p class="note">{t.scoresIgnore(t.listJoin(props.commentOnlyFilters))}</p>}
      {stats.timezone.changes.map((change) => (
        <p class="note">{t.timezoneChanged(change.day, change.from, change.to)}</p>
      ))}
      <div class="grid four">
        <ScoreCard t={t} stats={stats} />
        <ChangeCard t={t} comparison={stats.comparison} />
        <RateCard t={t} stats={stats} />
        <IndexCard t={t} lang={lang} stats={stats} survey={survey} />
      </div>
      <div class="grid">
        <SampleCard t={t} stats={stats} />
        {stats.keyDrivers.drivers.length > 0 && <KeyDriversCard t={t} lang={lang} stats={stats} survey={survey} />}
      </div>
      <div class="grid">
        <div class="card" role="group" aria-labelledby="trend-label">
          <h3 id="trend-label">{t.trend}</h3>
          <TrendChart lang={lang} type={stats.type} series={stats.series} goal={stats.goal?.target ?? null} />
          <details>
            <summary>{t.tableOfChart}</summary>
            <div class="table-wrap" tabindex={0} role="region" aria-labelledby="trend-label">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t.period}</th>
                    <th scope="col" class="num">{t.score}</th>
                    <th scope="col" class="num">95%</th>
                    <th scope="col" class="num">n</th>
                  </tr>
                </thead>
                <tbody>
                  {stats.series.map((group) => {
                    const point = pointOf(group)
                    return (
                      <tr>
                        <th scope="row">{group.key}</th>
                        <td class="num">{point.score === null ? '—' : formatNumber(point.score)}</td>
                        <td class="num">{point.low === null ? '—' : `${formatNumber(point.low)} – ${formatNumber(point.high!)}`}</td>
                        <td class="num">{point.n}</td>
                      </tr>
                    )
                  })}
                </tbody>
              </table>
            </div>
          </details>
        </div>
        <div class="card" role="group" aria-labelledby="distribution-label">
          <h3 id="distribution-label">{t.distribution}</h3>
          <DistributionChart lang={lang} type={stats.type} counts={distribution} />
          <details>
            <summary>{t.tableOfChart}</summary>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.scoreWord}</th>
                  <th scope="col" class="num">{t.count}</th>
                </tr>
              </thead>
              <tbody>
                {distribution.map(({ score, n }) => (
                  <tr>
                    <th scope="row">{score}</th>
                    <td class="num">{n}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </div>
        <GroupTable t={t} id="by-checkpoint" title={t.byCheckpoint} rows={stats.byCheckpoint.map(pointOf)} empty="—" minAnswers={MIN_ANSWERS_PER_PERIOD} />
        <GroupTable t={t} id="by-segment" title={t.bySegment} rows={stats.bySegment.map(pointOf)} empty={t.noSegment} minAnswers={MIN_ANSWERS_PER_PERIOD} />
      </div>
    </section>
  )
}
