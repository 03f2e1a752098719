/** @jsxImportSource hono/jsx */
import { formatChange, formatNumber } from './format.ts'
import type { Messages } from './i18n.ts'

/** One row of a breakdown: a group's score, its 95% interval's ends, its answers, and (the report's) gap to the goal. */
export interface GroupRow {
  key: string
  score: number | null
  low: number | null
  high: number | null
  n: number
  gap?: number | null
}

/**
 * A breakdown by checkpoint or segment as a table, in the order given (worst first, as the API
 * sorts them), groups with fewer than `minAnswers` marked. The dashboard and the report both show it;
 * `gapTitle` adds the report's column of gaps to the goal.
 */
export function GroupTable(props: { t: Messages; id: string; title: string; rows: GroupRow[]; empty: string; minAnswers: number; gapTitle?: string }) {
  const { t, id, title, rows, empty, minAnswers, gapTitle } = props
  return (
    <div class="card" role="group" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {rows.length === 0 ? (
        <p class="muted">{t.noData}</p>
      ) : (
        // Focusable so a keyboard can scroll a table wider than a narrow screen.
        <div class="table-wrap" tabindex={0} role="region" aria-labelledby={id}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.group}</th>
                <th scope="col" class="num">{t.score}</th>
                <th scope="col" class="num">95%</th>
                <th scope="col" class="num">n</th>
                {gapTitle && <th scope="col" class="num">{gapTitle}</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr>
                  <th scope="row">
                    {row.key || empty}
                    {row.n < minAnswers && <span class="few"> · {t.fewAnswers}</span>}
                  </th>
                  <td class="num">{row.score === null ? '—' : formatNumber(row.score)}</td>
                  <td class="num">{row.low === null || row.high === null ? '—' : `${formatNumber(row.low)} – ${formatNumber(row.high)}`}</td>
                  <td class="num">{row.n}</td>
                  {gapTitle && <td class={`num ${row.gap != null && row.gap < 0 ? 'bad' : 'good'}`}>{row.gap == null ? '—' : formatChange(row.gap)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
