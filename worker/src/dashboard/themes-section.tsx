/** @jsxImportSource hono/jsx */
import { timeIn } from '../dates.ts'
import type { ThemesResult } from '../stats-result.ts'
import { pointOf } from './charts.tsx'
import { formatChange, formatNumber, formatP } from './format.ts'
import { messagesFor, type Lang } from './i18n.ts'
import { themesMessagesFor, type ThemesMessages } from './themes-messages.ts'

/** A tag as the dashboard names it: its label in the dashboard's language, with the tag the filter and the API use. */
const tagName = (m: ThemesMessages, tag: string): string => (m.tagLabels[tag] ? `${m.tagLabels[tag]} · ${tag}` : tag)

/** Where re-tagging stands, when the tags are not all those of today's rules. */
function TaggingNote({ m, themes, timezone }: { m: ThemesMessages; themes: ThemesResult; timezone: string }) {
  const { tagging } = themes
  if (tagging.state === 'current') return null
  if (tagging.state === 'waiting' || tagging.through === null) return <p class="note" role="status">{m.waiting}</p>
  const total = tagging.total === null ? '…' : tagging.total.toLocaleString('en')
  return (
    <p class="note" role="status">
      {m.retagging(tagging.done.toLocaleString('en'), total, timeIn(timezone, Date.parse(tagging.through)))}
    </p>
  )
}

/** Themes and hot issues of the period, worst first, each tag linking to its comments. */
export function ThemesSection(props: { lang: Lang; themes: ThemesResult; timezone: string; tagHref: (tag: string) => string }) {
  const { lang, themes } = props
  const t = messagesFor(lang)
  const m = themesMessagesFor(lang)
  return (
    <section aria-labelledby="themes-title">
      <h2 id="themes-title">{m.themes}</h2>
      <p class="muted">{m.themesPeriod(themes.from, themes.to, themes.previous.from, themes.previous.to)}</p>
      <TaggingNote m={m} themes={themes} timezone={props.timezone} />
      <div class="grid">
        <div class="card" role="group" aria-labelledby="hot-issues-label">
          <h3 id="hot-issues-label">{m.hotIssues}</h3>
          <p class="muted">{m.hotIssuesHelp}</p>
          {themes.hotIssues.length === 0 ? (
            <p>{m.noHotIssues}</p>
          ) : (
            <ol id="hot-issues">
              {themes.hotIssues.map((issue) => (
                <li>
                  <a href={props.tagHref(issue.tag)}>
                    {m.hotIssue(tagName(m, issue.tag), formatNumber(issue.share), issue.previousShare === null ? null : formatNumber(issue.previousShare), formatChange(issue.rise))}
                  </a>{' '}
                  <span class={issue.verdict === 'significant' ? 'verdict bad' : 'muted'}>
                    ({issue.verdict === 'directional' ? m.rising.directional(issue.minAnswers) : m.rising[issue.verdict]}
                    {issue.pValue !== null && `, ${t.pValue(formatP(issue.pValue))}`})
                  </span>
                </li>
              ))}
            </ol>
          )}
        </div>
        <div class="card" role="group" aria-labelledby="themes-label">
          <h3 id="themes-label">{m.themes}</h3>
          {themes.themes.length === 0 ? (
            <p class="muted">{m.noThemes}</p>
          ) : (
            <div class="table-wrap" tabindex={0} role="region" aria-labelledby="themes-label">
              <table id="themes-table">
                <thead>
                  <tr>
                    <th scope="col">{m.tag}</th>
                    <th scope="col" class="num">{m.answers}</th>
                    <th scope="col" class="num">{m.unhappy}</th>
                    <th scope="col" class="num">{m.scoreOf}</th>
                    <th scope="col" class="num">{m.change}</th>
                  </tr>
                </thead>
                <tbody>
                  {themes.themes.map((theme) => {
                    const point = pointOf({ key: theme.tag, nps: theme.nps, csat: theme.csat, ces: theme.ces })
                    return (
                      <tr>
                        <th scope="row">
                          <a href={props.tagHref(theme.tag)}>{tagName(m, theme.tag)}</a>
                          {theme.type === 'kind' && <span class="muted"> · {m.kind}</span>}
                        </th>
                        <td class="num">
                          {theme.n}
                          <br />
                          <span class="muted">{m.before(theme.previous.n)}</span>
                        </td>
                        <td class="num">{theme.unhappyShare === null ? '—' : `${formatNumber(theme.unhappyShare)}%`}</td>
                        <td class="num">
                          {point.score === null ? '—' : formatNumber(point.score)}
                          {point.low !== null && (
                            <>
                              <br />
                              <span class="muted">
                                {formatNumber(point.low)} – {formatNumber(point.high!)}
                              </span>
                            </>
                          )}
                        </td>
                        <td class="num">
                          {theme.change.change === null ? '—' : formatChange(theme.change.change)}
                          {theme.change.verdict === 'significant' && <span class="good"> *</span>}
                        </td>
                      </tr>
                    )
                  })}
                </tbody>
              </table>
            </div>
          )}
          <p class="muted">{m.themesHelp}</p>
        </div>
      </div>
    </section>
  )
}
