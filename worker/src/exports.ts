import { decodeCursor, listResponses, type Cursor, type ListContext, type ResponseFilter } from './responses.ts'

/** The CSV export of a site's answers: `GET …/responses?format=csv` and the dashboard's download. */

/**
 * What may stand before a formula and still let a spreadsheet run it: whitespace (NBSP, the
 * ideographic space, line breaks included) and invisible characters (zero-width, joiners, bidi
 * controls, BOM), which Excel and Sheets skip or trim.
 */
const LEADING_INVISIBLE = /^[\s\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069]*/
/** Characters that start a formula; full-width and small forms (＝ ＋ － ＠ ﹦ ﹢ ﹣ ﹫) count, as NFKC reads them. */
const FORMULA_START = /^[=+\-@]/

/** True when a spreadsheet could read the cell as a formula. */
function runsAsFormula(text: string): boolean {
  if (/^[\t\r]/.test(text)) return true
  const first = text.slice(LEADING_INVISIBLE.exec(text)![0].length).codePointAt(0)
  return first !== undefined && FORMULA_START.test(String.fromCodePoint(first).normalize('NFKC'))
}

/**
 * One CSV cell. Quotes what needs quoting, and defuses spreadsheet formulas: a text cell whose
 * first visible character starts a formula (= + - @, in any width, after any whitespace or
 * invisible characters), or that starts with a tab or return, gets a leading apostrophe, so
 * Excel and Sheets show it as text instead of running it.
 */
function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return ''
  let text = String(value)
  if (typeof value === 'string' && runsAsFormula(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * The name of a CSV download: `hearken-` and the given ids, which must be validated ids (a site
 * key, a survey id, a date); anything else in them is dropped, so nothing a request says can
 * reach `Content-Disposition` beyond letters, digits, `_`, `.` and `-`.
 */
export function csvFilename(ids: readonly string[]): string {
  return `hearken-${ids.map((id) => id.replace(/[^A-Za-z0-9_.-]/g, '')).join('-')}.csv`
}

const csvRow = (cells: (string | number | null | undefined)[]): string => `${cells.map(csvCell).join(',')}\r\n`

const CSV_HEADER = ['created_at', 'day', 'id', 'survey', 'score', 'band', 'comment', 'tags', 'dimensions', 'checkpoint', 'segment', 'visitor', 'user', 'subject', 'locale', 'flags', 'follow_up', 'assignee', 'due_at']

/**
 * All matching responses as CSV, read a page at a time while the client reads, so a
 * large range streams in constant memory. The first page is read before the answer starts,
 * so a filter the listing refuses (an unknown tag) is a 400, not a download that breaks.
 */
export async function responsesCsv(db: D1Database, siteId: string, context: ListContext, filter: ResponseFilter): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder()
  let cursor: Cursor | undefined
  let started = false
  const first = await listResponses(db, siteId, context, filter, 500)
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true
        // A byte-order mark so Excel opens UTF-8 (Chinese comments) correctly.
        controller.enqueue(encoder.encode(`\uFEFF${csvRow(CSV_HEADER)}`))
      }
      const page = cursor ? await listResponses(db, siteId, context, filter, 500, cursor) : first
      const lines = page.responses.map((response) =>
        csvRow([
          response.createdAt,
          // The day the answer counts on in the stats: in the site's timezone, unlike created_at (UTC).
          response.day,
          response.id,
          response.survey,
          response.score,
          response.band,
          response.comment,
          response.tags.join(' '),
          response.dimensions ? Object.entries(response.dimensions).map(([id, rating]) => `${id}=${rating}`).join('; ') : null,
          response.checkpoint,
          response.segment,
          response.visitor,
          response.user,
          response.subject,
          response.locale,
          response.flags.join(' '),
          response.followUp?.status,
          response.followUp?.assignee,
          response.followUp?.dueAt,
        ]),
      )
      if (lines.length) controller.enqueue(encoder.encode(lines.join('')))
      if (!page.next) return controller.close()
      cursor = decodeCursor(page.next)
    },
  })
}
