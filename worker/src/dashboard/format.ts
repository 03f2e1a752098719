import type { SurveyType } from '../../../sdk/protocol.ts'

/** A figure as the dashboard prints it: at most one decimal, a true minus sign. */
export function formatNumber(value: number): string {
  const rounded = Math.round(value * 10) / 10
  return String(rounded).replace('-', '−')
}

/** A change in points with its sign: +8, −3.5, 0. */
export function formatChange(value: number): string {
  return value > 0 ? `+${formatNumber(value)}` : formatNumber(value)
}

/** A p-value as the pages print it: "< 0.0001" below that. */
export function formatP(p: number): string {
  return p < 0.0001 ? '< 0.0001' : String(p)
}

/** A score as the pages print it: NPS in points, CSAT and CES as a share (%). */
export function formatScore(value: number, type: SurveyType): string {
  return `${formatNumber(value)}${type === 'nps' ? '' : '%'}`
}
