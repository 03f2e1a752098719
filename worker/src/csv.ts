/**
 * One CSV cell. Quotes what needs quoting, and defuses spreadsheet formulas: a cell a
 * visitor typed that starts with = + - @ (or a tab or return) gets a leading apostrophe,
 * so Excel and Sheets show it as text instead of running it.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return ''
  let text = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export const csvRow = (cells: (string | number | null | undefined)[]): string => `${cells.map(csvCell).join(',')}\r\n`
