/** A figure as the dashboard prints it: at most one decimal, a true minus sign. */
export function formatNumber(value: number): string {
  const rounded = Math.round(value * 10) / 10
  return String(rounded).replace('-', '−')
}

/** A change in points with its sign: +8, −3.5, 0. */
export function formatChange(value: number): string {
  return value > 0 ? `+${formatNumber(value)}` : formatNumber(value)
}
