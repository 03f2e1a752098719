/** @jsxImportSource hono/jsx */
import { FIRST_DAY } from '../dates.ts'
import type { StatsResult } from '../stats-result.ts'
import { formatChange, formatP } from './format.ts'
import type { Messages } from './i18n.ts'

/**
 * The change since the period compared with, and whether it is real: the dashboard and the report
 * both show it. `ids` names the figure and the verdict for a page that points at them (the report).
 */
export function ChangeCard({ t, comparison, ids }: { t: Messages; comparison: StatsResult['comparison']; ids?: { change: string; verdict: string } }) {
  const verdict = comparison?.verdict
  return (
    <div class="card" role="group" aria-labelledby="change-label">
      <h3 id="change-label">{t.change}</h3>
      {comparison && comparison.change !== null && verdict ? (
        <>
          <p class="figure" id={ids?.change}>
            {formatChange(comparison.change)}
          </p>
          <p class={verdict === 'significant' ? 'verdict good' : 'verdict'} id={ids?.verdict}>
            {verdict === 'directional' ? t.verdicts.directional(comparison.minAnswers) : t.verdicts[verdict]}
            {comparison.pValue !== null && <span class="muted"> ({t.pValue(formatP(comparison.pValue))})</span>}
          </p>
        </>
      ) : (
        <p>{comparison ? t.noComparison : t.noEarlierPeriod(FIRST_DAY)}</p>
      )}
      {comparison && <p class="muted">{comparison.kind === 'previous' ? t.previousPeriod(comparison.from, comparison.to) : t.chosenPeriod(comparison.from, comparison.to)}</p>}
    </div>
  )
}
