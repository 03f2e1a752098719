/** @jsxImportSource hono/jsx */
import { scoreBand, type SurveyType } from '../../../sdk/protocol.ts'
import type { GroupSummary } from '../stats-result.ts'
import { formatNumber } from './format.ts'
import { messagesFor, type Lang } from './i18n.ts'

/**
 * Charts as SVG shapes with their words in HTML around them. The SVG stretches to its box
 * (preserveAspectRatio none, strokes kept at their width), and the tick labels are ordinary
 * text at the page's font size, so nothing shrinks to unreadable on a 320 px screen.
 */
const WIDTH = 600
const HEIGHT = 200
const BAND_COLOURS = { detractor: '#dc2626', low: '#dc2626', passive: '#d97706', promoter: '#16a34a', high: '#16a34a' } as const

/** A bucket's score and the ends of its 95% interval; nulls where the bucket has no answers. */
export function pointOf(group: GroupSummary): { key: string; score: number | null; low: number | null; high: number | null; n: number } {
  const main = group.nps ?? group.csat ?? group.ces
  if (!main || main.score === null || !main.interval) return { key: group.key, score: null, low: null, high: null, n: main?.n ?? 0 }
  return { key: group.key, score: main.score, low: main.interval[0], high: main.interval[1], n: main.n }
}

/** Runs of consecutive buckets that have a score: a line and its band break where data stops. */
function runsOf<T extends { score: number | null }>(points: T[]): T[][] {
  const runs: T[][] = []
  let current: T[] = []
  for (const point of points) {
    if (point.score === null) {
      if (current.length) runs.push(current)
      current = []
    } else current.push(point)
  }
  if (current.length) runs.push(current)
  return runs
}

/** The score per time bucket as a line in its shaded 95% band, with the goal dashed. */
export function TrendChart({ lang, type, series, goal }: { lang: Lang; type: SurveyType; series: GroupSummary[]; goal: number | null }) {
  const t = messagesFor(lang)
  const [min, max] = type === 'nps' ? [-100, 100] : [0, 100]
  const ticks = type === 'nps' ? [100, 50, 0, -50, -100] : [100, 75, 50, 25, 0]
  const x = (index: number) => (series.length <= 1 ? WIDTH / 2 : (index / (series.length - 1)) * WIDTH)
  const y = (value: number) => ((max - value) / (max - min)) * HEIGHT
  const points = series.map((group, index) => ({ ...pointOf(group), x: x(index) }))
  const xy = (px: number, value: number) => `${px.toFixed(1)},${y(value).toFixed(1)}`
  const labels = series.length <= 1 ? series.map((group) => group.key) : [series[0]!.key, series.at(-1)!.key]
  return (
    <div class="chart">
      <div class="chart-plot">
        <ol class="y-ticks" aria-hidden="true">
          {ticks.map((tick) => (
            <li>{formatNumber(tick)}</li>
          ))}
        </ol>
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" overflow="visible" role="img" aria-labelledby="trend-title" focusable="false">
          <title id="trend-title">{t.trendLabel(t.scoreOf(type))}</title>
          {ticks.map((tick) => (
            <line x1="0" x2={WIDTH} y1={y(tick)} y2={y(tick)} stroke="#e5e7eb" stroke-width="1" vector-effect="non-scaling-stroke" />
          ))}
          {goal !== null && <line x1="0" x2={WIDTH} y1={y(goal)} y2={y(goal)} stroke="#7c3aed" stroke-width="1.5" stroke-dasharray="6 4" vector-effect="non-scaling-stroke" />}
          {runsOf(points).map((run) =>
            run.length === 1 ? (
              // A lone bucket has no neighbours to make a band with: its interval becomes an error bar.
              <line x1={run[0]!.x.toFixed(1)} x2={run[0]!.x.toFixed(1)} y1={y(run[0]!.low!).toFixed(1)} y2={y(run[0]!.high!).toFixed(1)} stroke="#93c5fd" stroke-width="6" vector-effect="non-scaling-stroke" />
            ) : (
              <g>
                <polygon
                  fill="#93c5fd"
                  fill-opacity="0.45"
                  points={[...run.map((point) => xy(point.x, point.high!)), ...run.toReversed().map((point) => xy(point.x, point.low!))].join(' ')}
                />
                <polyline fill="none" stroke="#1d4ed8" stroke-width="2" vector-effect="non-scaling-stroke" points={run.map((point) => xy(point.x, point.score!)).join(' ')} />
              </g>
            ),
          )}
          {points
            .filter((point) => point.score !== null)
            .map((point) => (
              // A zero-length line with round caps is a dot that stays round when the chart stretches.
              <line x1={point.x.toFixed(1)} x2={point.x.toFixed(1)} y1={y(point.score!).toFixed(1)} y2={y(point.score!).toFixed(1)} stroke="#1d4ed8" stroke-width="7" stroke-linecap="round" vector-effect="non-scaling-stroke">
                <title>{`${point.key}: ${formatNumber(point.score!)} (n = ${point.n})`}</title>
              </line>
            ))}
        </svg>
        <ol class={`x-ticks${labels.length === 1 ? ' single' : ''}`} aria-hidden="true">
          {labels.map((key) => (
            <li>{key}</li>
          ))}
        </ol>
      </div>
    </div>
  )
}

/** One bar per score, coloured by its band; the scores, and the counts where there is room, under the bars. */
export function DistributionChart({ lang, type, counts }: { lang: Lang; type: SurveyType; counts: { score: number; n: number }[] }) {
  const t = messagesFor(lang)
  const highest = Math.max(1, ...counts.map(({ n }) => n))
  const slot = WIDTH / Math.max(1, counts.length)
  return (
    <div class="chart">
      <svg class="bars" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-labelledby="distribution-title" focusable="false">
        <title id="distribution-title">{t.distributionLabel}</title>
        <line x1="0" x2={WIDTH} y1={HEIGHT} y2={HEIGHT} stroke="#9aa3b2" stroke-width="1" vector-effect="non-scaling-stroke" />
        {counts.map(({ score, n }, index) => {
          const height = (n / highest) * HEIGHT
          return (
            <rect x={(index * slot + slot * 0.15).toFixed(1)} y={(HEIGHT - height).toFixed(1)} width={(slot * 0.7).toFixed(1)} height={height.toFixed(1)} fill={BAND_COLOURS[scoreBand(type, score)]}>
              <title>{`${score}: ${n}`}</title>
            </rect>
          )
        })}
      </svg>
      <ol class="x-ticks even" aria-hidden="true">
        {counts.map(({ score }) => (
          <li>{score}</li>
        ))}
      </ol>
      <ol class="x-ticks even counts" aria-hidden="true">
        {counts.map(({ n }) => (
          <li>{n}</li>
        ))}
      </ol>
    </div>
  )
}
