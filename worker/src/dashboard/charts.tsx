/** @jsxImportSource hono/jsx */
import { scoreBand, type SurveyType } from '../../../sdk/protocol.ts'
import type { GroupSummary } from '../stats-result.ts'
import { formatNumber } from './format.ts'
import { messagesFor, type Lang } from './i18n.ts'

const WIDTH = 640
const HEIGHT = 220
const PAD = { left: 40, right: 10, top: 12, bottom: 30 }
const BAND_COLOURS = { detractor: '#dc2626', low: '#dc2626', passive: '#d97706', promoter: '#16a34a', high: '#16a34a' } as const

/** A bucket's score and the ends of its 95% interval; nulls where the bucket has no answers. */
export function pointOf(group: GroupSummary): { key: string; score: number | null; low: number | null; high: number | null; n: number } {
  if (group.nps) {
    const { score, margin, n } = group.nps
    if (score === null || margin === null) return { key: group.key, score: null, low: null, high: null, n }
    return { key: group.key, score, low: Math.max(-100, score - margin), high: Math.min(100, score + margin), n }
  }
  const share = group.csat ?? group.ces
  if (!share || share.score === null || !share.interval) return { key: group.key, score: null, low: null, high: null, n: share?.n ?? 0 }
  return { key: group.key, score: share.score, low: share.interval[0], high: share.interval[1], n: share.n }
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
  const ticks = type === 'nps' ? [-100, -50, 0, 50, 100] : [0, 25, 50, 75, 100]
  const plotWidth = WIDTH - PAD.left - PAD.right
  const plotHeight = HEIGHT - PAD.top - PAD.bottom
  const x = (index: number) => PAD.left + (series.length <= 1 ? plotWidth / 2 : (index / (series.length - 1)) * plotWidth)
  const y = (value: number) => PAD.top + ((max - value) / (max - min)) * plotHeight
  const points = series.map((group, index) => ({ ...pointOf(group), x: x(index) }))
  const labelled = series.length <= 1 ? [0] : [0, Math.floor((series.length - 1) / 2), series.length - 1]
  const xy = (px: number, value: number) => `${px.toFixed(1)},${y(value).toFixed(1)}`
  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="trend-title" focusable="false">
      <title id="trend-title">{t.trendLabel(t.scoreOf(type))}</title>
      {ticks.map((tick) => (
        <g>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} stroke="#e5e7eb" stroke-width="1" />
          <text x={PAD.left - 6} y={y(tick) + 4} text-anchor="end" font-size="11" fill="#5b6475">
            {formatNumber(tick)}
          </text>
        </g>
      ))}
      {goal !== null && <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(goal)} y2={y(goal)} stroke="#7c3aed" stroke-width="1.5" stroke-dasharray="6 4" />}
      {runsOf(points).map((run) =>
        run.length === 1 ? (
          // A lone bucket has no neighbours to make a band with: its interval becomes an error bar.
          <line x1={run[0]!.x.toFixed(1)} x2={run[0]!.x.toFixed(1)} y1={y(run[0]!.low!).toFixed(1)} y2={y(run[0]!.high!).toFixed(1)} stroke="#93c5fd" stroke-width="6" />
        ) : (
        <g>
          <polygon
            fill="#93c5fd"
            fill-opacity="0.45"
            points={[...run.map((point) => xy(point.x, point.high!)), ...run.toReversed().map((point) => xy(point.x, point.low!))].join(' ')}
          />
          <polyline fill="none" stroke="#1d4ed8" stroke-width="2" points={run.map((point) => xy(point.x, point.score!)).join(' ')} />
        </g>
        ),
      )}
      {points
        .filter((point) => point.score !== null)
        .map((point) => (
          <circle cx={point.x.toFixed(1)} cy={y(point.score!).toFixed(1)} r="3" fill="#1d4ed8">
            <title>{`${point.key}: ${formatNumber(point.score!)} (n = ${point.n})`}</title>
          </circle>
        ))}
      {labelled.map((index) =>
        series[index] ? (
          <text x={x(index).toFixed(1)} y={HEIGHT - 8} text-anchor={index === 0 && series.length > 1 ? 'start' : index === series.length - 1 && series.length > 1 ? 'end' : 'middle'} font-size="11" fill="#5b6475">
            {series[index]!.key}
          </text>
        ) : null,
      )}
    </svg>
  )
}

/** One bar per score, coloured by its band, with the count above it. */
export function DistributionChart({ lang, type, counts }: { lang: Lang; type: SurveyType; counts: { score: number; n: number }[] }) {
  const t = messagesFor(lang)
  const highest = Math.max(1, ...counts.map(({ n }) => n))
  const plotWidth = WIDTH - PAD.left - PAD.right
  const plotHeight = HEIGHT - PAD.top - PAD.bottom
  const slot = plotWidth / Math.max(1, counts.length)
  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="distribution-title" focusable="false">
      <title id="distribution-title">{t.distributionLabel}</title>
      <line x1={PAD.left} x2={WIDTH - PAD.right} y1={PAD.top + plotHeight} y2={PAD.top + plotHeight} stroke="#9aa3b2" stroke-width="1" />
      {counts.map(({ score, n }, index) => {
        const height = (n / highest) * (plotHeight - 14)
        const left = PAD.left + index * slot + slot * 0.15
        const top = PAD.top + plotHeight - height
        return (
          <g>
            <rect x={left.toFixed(1)} y={top.toFixed(1)} width={(slot * 0.7).toFixed(1)} height={height.toFixed(1)} fill={BAND_COLOURS[scoreBand(type, score)]}>
              <title>{`${score}: ${n}`}</title>
            </rect>
            <text x={(left + slot * 0.35).toFixed(1)} y={(top - 4).toFixed(1)} text-anchor="middle" font-size="11" fill="#1f2430">
              {n}
            </text>
            <text x={(left + slot * 0.35).toFixed(1)} y={HEIGHT - 8} text-anchor="middle" font-size="12" fill="#5b6475">
              {score}
            </text>
          </g>
        )
      })}
    </svg>
  )
}
