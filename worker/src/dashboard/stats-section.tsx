/** @jsxImportSource hono/jsx */
import type { GroupSummary, StatsResult } from '../stats-result.ts'
import type { Survey } from '../surveys.ts'
import { DistributionChart, pointOf, TrendChart } from './charts.tsx'
import { formatChange, formatNumber } from './format.ts'
import { messagesFor, type Lang, type Messages } from './i18n.ts'
import { sampleGuidance, TARGET_MARGIN } from './sample-size.ts'

/** The headline score with its precision and goal. */
function ScoreCard({ t, stats }: { t: Messages; stats: StatsResult }) {
  const point = pointOf({ key: 'all', nps: stats.nps, csat: stats.csat, ces: stats.ces })
  const unit = stats.type === 'nps' ? '' : '%'
  const label = t.scoreOf(stats.type)
  return (
    <div class="card" role="group" aria-labelledby="score-label">
      <h3 id="score-label">{label}</h3>
      <p class="figure">{point.score === null ? '—' : `${formatNumber(point.score)}${unit}`}</p>
      {stats.nps?.margin != null && <p class="muted">{t.margin(formatNumber(stats.nps.margin))}</p>}
      {point.low !== null && stats.type !== 'nps' && <p class="muted">{t.interval(formatNumber(point.low), formatNumber(point.high!))}</p>}
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

function ChangeCard({ t, stats }: { t: Messages; stats: StatsResult }) {
  const comparison = stats.comparison
  return (
    <div class="card" role="group" aria-labelledby="change-label">
      <h3 id="change-label">{t.change}</h3>
      {comparison && comparison.change !== null ? (
        <p class="figure">
          {formatChange(comparison.change)}
          <span class="muted">, {comparison.significant ? t.significant : t.notSignificant}</span>
        </p>
      ) : (
        <p>{t.noComparison}</p>
      )}
      {comparison && <p class="muted">{t.previousPeriod(comparison.from, comparison.to)}</p>}
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
function dimensionLabel(survey: Survey, id: string, lang: Lang): string {
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

function SampleCard({ t, stats }: { t: Messages; stats: StatsResult }) {
  const guidance = sampleGuidance(stats)
  return (
    <div class="card" role="group" aria-labelledby="sample-label">
      <h3 id="sample-label">{t.sampleSize}</h3>
      <p>
        {guidance.margin === null ? t.sampleNone : t.sampleNow(guidance.n, formatNumber(guidance.margin))};{' '}
        {guidance.margin !== null && guidance.margin <= TARGET_MARGIN ? t.sampleReached(TARGET_MARGIN) : t.sampleNeeded(guidance.needed, TARGET_MARGIN)}
      </p>
    </div>
  )
}

/** A breakdown as a table, worst first as the stats API sorts it. */
function Breakdown({ t, id, title, groups, emptyKey }: { t: Messages; id: string; title: string; groups: GroupSummary[]; emptyKey: string }) {
  return (
    <div class="card" role="group" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {groups.length === 0 ? (
        <p class="muted">{t.noData}</p>
      ) : (
        // Focusable so a keyboard can scroll a table wider than a narrow screen.
        <div class="table-wrap" tabindex={0} role="region" aria-labelledby={id}>
          <table aria-labelledby={id}>
            <thead>
              <tr>
                <th scope="col">{t.group}</th>
                <th scope="col" class="num">{t.score}</th>
                <th scope="col" class="num">±</th>
                <th scope="col" class="num">n</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((group) => {
                const point = pointOf(group)
                return (
                  <tr>
                    <th scope="row">{group.key || emptyKey}</th>
                    <td class="num">{point.score === null ? '—' : formatNumber(point.score)}</td>
                    <td class="num">{point.score === null ? '—' : formatNumber((point.high! - point.low!) / 2)}</td>
                    <td class="num">{point.n}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}

/** Everything the stats API says about the period, as cards, charts and tables. */
export function StatsSection({ lang, stats, survey, distribution }: { lang: Lang; stats: StatsResult; survey: Survey; distribution: { score: number; n: number }[] }) {
  const t = messagesFor(lang)
  return (
    <section aria-labelledby="stats-title">
      <h2 id="stats-title">
        {t.score}: {survey.id} · {stats.from} – {stats.to}
      </h2>
      <div class="grid four">
        <ScoreCard t={t} stats={stats} />
        <ChangeCard t={t} stats={stats} />
        <RateCard t={t} stats={stats} />
        <IndexCard t={t} lang={lang} stats={stats} survey={survey} />
      </div>
      <div class="grid">
        <SampleCard t={t} stats={stats} />
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
        <Breakdown t={t} id="by-checkpoint" title={t.byCheckpoint} groups={stats.byCheckpoint} emptyKey="—" />
        <Breakdown t={t} id="by-segment" title={t.bySegment} groups={stats.bySegment} emptyKey={t.noSegment} />
      </div>
    </section>
  )
}
