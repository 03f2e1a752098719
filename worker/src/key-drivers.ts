import type { SurveyType } from '../../sdk/protocol.ts'
import type { DriverRow } from './rollups.ts'
import { SATISFIED_FROM, Z95 } from './scores.ts'
import type { Correlation, DriverAdvice, KeyDriver, KeyDrivers } from './stats-result.ts'
import type { Survey } from './surveys.ts'

/**
 * Key drivers: which dimension rating moves the score most. Pearson's r of each rating with the
 * score, and with the outcome the headline counts, from the sums a rollup keeps per dimension
 * and score (n, Σx, Σx²), so no raw answer is read. docs/statistics.md has the formulas.
 */

/** Below this many answers with a rating, its correlation is not reported. */
export const MIN_DRIVER_ANSWERS = 30

/** What one answer's score counts for in the headline: ±1/0 for NPS, 1/0 (satisfied) for CSAT and CES. */
export function outcomeOf(type: SurveyType, score: number): number {
  if (type === 'nps') return score >= 9 ? 1 : score >= 7 ? 0 : -1
  return score >= SATISFIED_FROM[type] ? 1 : 0
}

/** Sums over pairs (x, y): what r needs. */
interface PairSums {
  n: number
  x: number
  y: number
  xx: number
  yy: number
  xy: number
}

/** Pearson's r with its 95% interval by Fisher's z (atanh r ± 1.96/√(n − 3)); null when either side does not vary. */
export function correlation(sums: PairSums): Correlation | null {
  const { n } = sums
  if (n < 4) return null
  // Centred sums, so large counts lose no precision to cancellation.
  const sxx = sums.xx - (sums.x * sums.x) / n
  const syy = sums.yy - (sums.y * sums.y) / n
  const sxy = sums.xy - (sums.x * sums.y) / n
  if (sxx <= 1e-9 * Math.max(1, sums.xx) || syy <= 1e-9 * Math.max(1, sums.yy)) return null
  const r = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)))
  const z = Math.atanh(r)
  const half = Z95 / Math.sqrt(n - 3)
  const round = (value: number) => Math.round(value * 1000) / 1000
  return { r: round(r), interval: [round(Math.tanh(z - half)), round(Math.tanh(z + half))] }
}

const label = (survey: Survey, id: string): string => survey.dimensions?.find((dimension) => dimension.id === id)?.label.en ?? id

const names = (survey: Survey, ids: string[]): string => {
  const labels = ids.map((id) => label(survey, id))
  return labels.length <= 2 ? labels.join(' and ') : `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`
}

/**
 * The ratings that go with the score about as strongly as `top`: every other one whose 95%
 * interval reaches `top`'s. One rating is named first only when its interval lies wholly above
 * every other's: a test of two correlations from the same answers (Steiger 1980) needs the
 * correlation between the two ratings, which the rollups do not keep, and intervals that do not
 * overlap are the conservative stand-in (for independent estimates of equal width, p < 0.006).
 */
const tiedWith = (top: KeyDriver, enough: KeyDriver[]): KeyDriver[] =>
  enough.filter((driver) => driver === top || driver.withScore!.interval[1] >= top.withScore!.interval[0])

/** Importance × performance in one sentence; the dashboard says the same from `kind` in its own language. */
function advise(survey: Survey, drivers: KeyDriver[]): DriverAdvice {
  const enough = drivers.filter((driver) => driver.n >= MIN_DRIVER_ANSWERS && driver.withScore !== null && driver.mean !== null)
  if (enough.length === 0) {
    return { kind: 'not_enough_answers', dimension: null, lowest: null, tied: [], statement: `Not enough answers with ratings yet: each rating needs ${MIN_DRIVER_ANSWERS}.` }
  }
  // A rating "matters" only when its whole interval lies above 0; the strongest such comes first in `drivers`.
  const top = enough.find((driver) => driver.withScore!.interval[0] > 0)
  if (!top) return { kind: 'no_clear_driver', dimension: null, lowest: null, tied: [], statement: 'No rating goes clearly with the score yet.' }
  const lowestOf = (group: KeyDriver[]) => group.reduce((low, driver) => (driver.mean! < low.mean! ? driver : low))
  const tied = tiedWith(top, enough)
  if (tied.length > 1) {
    const lowest = lowestOf(tied)
    return {
      kind: 'tied',
      dimension: null,
      lowest: lowest.id,
      tied: tied.map((driver) => driver.id),
      statement: `${names(survey, tied.map((driver) => driver.id))} are tied: none goes with the score clearly more than the others (their intervals overlap). Of them, ${label(survey, lowest.id)} scores lowest (${lowest.mean} / 5).`,
    }
  }
  const lowest = lowestOf(enough)
  if (enough.length > 1 && lowest === top) {
    return { kind: 'fix_first', dimension: top.id, lowest: null, tied: [], statement: `${label(survey, top.id)} matters most and scores lowest: fix it first.` }
  }
  const others = lowest === top ? '' : `; ${label(survey, lowest.id)} scores lowest (${lowest.mean} / 5) but matters less`
  return { kind: 'most_important', dimension: top.id, lowest: lowest === top ? null : lowest.id, tied: [], statement: `${label(survey, top.id)} matters most (${top.mean} / 5)${others}.` }
}

/** Key drivers of a survey from its driver rollup rows (one per dimension and score). */
export function keyDrivers(survey: Survey, rows: readonly DriverRow[]): KeyDrivers {
  const byDimension = new Map<string, { score: PairSums; outcome: PairSums }>()
  for (const row of rows) {
    const n = Number(row.n)
    const total = Number(row.total)
    const squares = Number(row.squares)
    const y = Number(row.score)
    const u = outcomeOf(survey.type, y)
    const sums = byDimension.get(row.dimension) ?? {
      score: { n: 0, x: 0, y: 0, xx: 0, yy: 0, xy: 0 },
      outcome: { n: 0, x: 0, y: 0, xx: 0, yy: 0, xy: 0 },
    }
    for (const [pair, value] of [[sums.score, y], [sums.outcome, u]] as const) {
      pair.n += n
      pair.x += total
      pair.xx += squares
      pair.y += value * n
      pair.yy += value * value * n
      pair.xy += value * total
    }
    byDimension.set(row.dimension, sums)
  }
  const drivers = (survey.dimensions ?? []).map(({ id }): KeyDriver => {
    const sums = byDimension.get(id)
    const n = sums?.score.n ?? 0
    const enough = n >= MIN_DRIVER_ANSWERS
    return {
      id,
      n,
      mean: n ? Math.round((sums!.score.x / n) * 100) / 100 : null,
      withScore: enough ? correlation(sums!.score) : null,
      withOutcome: enough ? correlation(sums!.outcome) : null,
    }
  })
  drivers.sort((a, b) => (b.withScore?.r ?? -Infinity) - (a.withScore?.r ?? -Infinity))
  return { minAnswers: MIN_DRIVER_ANSWERS, drivers, advice: advise(survey, drivers) }
}
