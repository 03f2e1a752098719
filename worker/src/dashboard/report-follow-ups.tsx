/** @jsxImportSource hono/jsx */
import type { DurationSummary, FollowUpFigures, FollowUpGroup, FollowUpMetrics, SlaShare } from '../follow-up-metrics.ts'
import { formatNumber } from './format.ts'
import { messagesFor, type Lang } from './i18n.ts'
import { reportMessagesFor, type ReportMessages } from './report-messages.ts'

/**
 * The follow-up loop measured (follow-up-metrics.ts): the period's figures, then a table per
 * assignee and per checkpoint, worst share within the SLA first. On the dashboard and in the
 * printable report; `idPrefix` keeps their ids apart from the rest of the page.
 */

const hours = (r: ReportMessages, duration: DurationSummary) => (duration.medianHours === null ? '—' : r.medianHours(formatNumber(duration.medianHours), duration.n))
const sla = (r: ReportMessages, share: SlaShare) => (share.rate === null ? r.nothingDue : r.slaShare(formatNumber(share.rate), share.inTime, share.due))

function Figures({ r, figures, idPrefix }: { r: ReportMessages; figures: FollowUpFigures; idPrefix: string }) {
  const items: [string, string][] = [
    [r.opened, String(figures.opened)],
    [r.resolved, String(figures.resolved)],
    [r.overdue, String(figures.overdue)],
    [r.withinSla, sla(r, figures.sla)],
    [r.firstAction, hours(r, figures.firstAction)],
    [r.timeToResolve, hours(r, figures.resolve)],
  ]
  return (
    <dl class="figures-list" id={`${idPrefix}-figures`}>
      {items.map(([term, value]) => (
        <div>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  )
}

function GroupTable({ r, id, title, head, groups, empty }: { r: ReportMessages; id: string; title: string; head: string; groups: FollowUpGroup[]; empty: string }) {
  if (groups.length === 0) return null
  return (
    <div class="card" role="group" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      <div class="table-wrap" tabindex={0} role="region" aria-labelledby={id}>
        <table class="stacked">
          <thead>
            <tr>
              <th scope="col">{head}</th>
              <th scope="col" class="num">{r.opened}</th>
              <th scope="col" class="num">{r.resolved}</th>
              <th scope="col" class="num">{r.overdue}</th>
              <th scope="col" class="num">{r.withinSla}</th>
              <th scope="col" class="num">{r.firstAction}</th>
              <th scope="col" class="num">{r.timeToResolve}</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((group) => (
              <tr>
                <th scope="row">{group.key || empty}</th>
                <td class="num" data-label={r.opened}>{group.opened}</td>
                <td class="num" data-label={r.resolved}>{group.resolved}</td>
                <td class="num" data-label={r.overdue}>{group.overdue}</td>
                <td class="num" data-label={r.withinSla}>{sla(r, group.sla)}</td>
                <td class="num" data-label={r.firstAction}>{hours(r, group.firstAction)}</td>
                <td class="num" data-label={r.timeToResolve}>{hours(r, group.resolve)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}

export function FollowUpSection({ lang, metrics, idPrefix }: { lang: Lang; metrics: FollowUpMetrics; idPrefix: string }) {
  const r = reportMessagesFor(lang)
  const titleId = `${idPrefix}-title`
  const nothing = metrics.opened === 0 && metrics.resolved === 0 && metrics.overdue === 0 && metrics.sla.due === 0 && metrics.firstAction.n === 0
  return (
    <section aria-labelledby={titleId} class="follow-up-performance">
      <h2 id={titleId}>{r.followUpsTitle}</h2>
      {nothing ? (
        <p class="muted">{r.noFollowUps}</p>
      ) : (
        <>
          <Figures r={r} figures={metrics} idPrefix={idPrefix} />
          {metrics.sla.interval && <p class="muted">{`${r.withinSla}: ${r.slaInterval(formatNumber(metrics.sla.interval[0]), formatNumber(metrics.sla.interval[1]))}`}</p>}
          <div class="grid">
            <GroupTable r={r} id={`${idPrefix}-assignees`} title={r.byAssignee} head={r.who} groups={metrics.byAssignee} empty={r.unassigned} />
            <GroupTable r={r} id={`${idPrefix}-checkpoints`} title={r.byCheckpoint} head={messagesFor(lang).checkpoint} groups={metrics.byCheckpoint} empty="—" />
          </div>
        </>
      )}
      <p class="muted note">{r.followUpsNote}</p>
    </section>
  )
}
