/** @jsxImportSource hono/jsx */
import { timeIn } from '../dates.ts'
import type { StoredResponse } from '../responses.ts'
import { alertMessagesFor } from './alert-messages.ts'
import { messagesFor, type Lang, type Messages } from './i18n.ts'

const STATUSES = ['open', 'in_progress', 'resolved'] as const

/** Only unhappy answers (or ones an operator already took up) get follow-up controls. */
const needsFollowUp = (response: StoredResponse): boolean => response.followUp !== null || response.band === 'detractor' || response.band === 'low'

/** Status, assignee and a note for one answer, posted as a plain form. */
/** An ISO instant as the site's clock shows it. */
const localTime = (timezone: string, iso: string): string => timeIn(timezone, Date.parse(iso))

function FollowUpForm({ t, lang, response, back, timezone }: { t: Messages; lang: Lang; response: StoredResponse; back: string; timezone: string }) {
  const id = response.id
  const followUp = response.followUp
  return (
    <form class="follow-up" method="post" action={`/dashboard/responses/${id}/follow-up?lang=${lang}`} aria-label={`${t.followUp}: ${response.score} · ${localTime(timezone, response.createdAt)}`}>
      <input type="hidden" name="back" value={back} />
      <div>
        <label for={`status-${id}`}>{t.status}</label>
        <select id={`status-${id}`} name="status">
          {STATUSES.map((status) => (
            <option value={status} selected={(followUp?.status ?? 'open') === status}>
              {t.statuses[status]}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for={`assignee-${id}`}>{t.assignee}</label>
        <input id={`assignee-${id}`} name="assignee" maxlength={120} value={followUp?.assignee ?? ''} placeholder={t.unassigned} />
      </div>
      <div>
        <label for={`note-${id}`}>{t.addNote}</label>
        <textarea id={`note-${id}`} name="note" maxlength={2000} rows={2}></textarea>
      </div>
      <div>
        <button type="submit">{t.save}</button>
      </div>
    </form>
  )
}

function Answer({ t, lang, response, back, timezone }: { t: Messages; lang: Lang; response: StoredResponse; back: string; timezone: string }) {
  const followUp = response.followUp
  return (
    <li id={`answer-${response.id}`}>
      <ul class="chips" aria-label={t.band}>
        <li class={`chip ${response.band}`}>
          {response.score} · {t.bands[response.band] ?? response.band}
        </li>
        {followUp && <li class={`chip ${followUp.overdue ? 'overdue' : followUp.status}`}>{`${t.followUp}: ${followUp.overdue ? t.overdue : t.statuses[followUp.status]}`}</li>}
      </ul>
      <p class="comment">{response.comment ?? <span class="muted">{t.noComment}</span>}</p>
      {response.tags.length > 0 && (
        <ul class="chips" aria-label={t.tags}>
          {response.tags.map((tag) => (
            <li class="chip">{t.tagLabel(tag)}</li>
          ))}
        </ul>
      )}
      <p class="meta">
        <span>{localTime(timezone, response.createdAt)}</span>
        {response.user && (
          <span class="who">
            {alertMessagesFor(lang).user}: {response.user}
          </span>
        )}
        {response.subject && (
          <span class="who">
            {alertMessagesFor(lang).subject}: {response.subject}
          </span>
        )}
        <span>
          {t.checkpoint}: {response.checkpoint}
        </span>
        {response.segment && (
          <span>
            {t.segment}: {response.segment}
          </span>
        )}
        {response.flags.length > 0 && (
          <span>
            {t.flags}: {t.listJoin(response.flags.map((flag) => t.flagNames[flag] ?? flag))}
          </span>
        )}
        {followUp && (
          <span>
            {t.due}: {localTime(timezone, followUp.dueAt)}
          </span>
        )}
        {followUp && (
          <span>
            {t.assignee}: {followUp.assignee ?? t.unassigned}
          </span>
        )}
      </p>
      {followUp && followUp.notes.length > 0 && (
        <ol class="notes" aria-label={t.notes}>
          {followUp.notes.map((note) => (
            <li>
              <span class="muted">{localTime(timezone, note.at)}</span> {note.text}
            </li>
          ))}
        </ol>
      )}
      {needsFollowUp(response) && <FollowUpForm t={t} lang={lang} response={response} back={back} timezone={timezone} />}
    </li>
  )
}

/** The answers matching the filters, newest first, with a link to the next page and the CSV. */
export function CommentsSection(props: { lang: Lang; timezone: string; responses: StoredResponse[]; back: string; olderHref: string | null; newestHref: string | null; csvHref: string }) {
  const t = messagesFor(props.lang)
  return (
    <section aria-labelledby="comments-title">
      <h2 id="comments-title">{t.comments}</h2>
      <p class="muted">{t.timesIn(props.timezone)}</p>
      <p>
        <a class="button secondary" href={props.csvHref} download>
          {t.exportCsv}
        </a>
      </p>
      {props.responses.length === 0 ? (
        <p>{t.noComments}</p>
      ) : (
        <ol class="feed">
          {props.responses.map((response) => (
            <Answer t={t} lang={props.lang} response={response} back={props.back} timezone={props.timezone} />
          ))}
        </ol>
      )}
      <p class="actions">
        {props.newestHref && <a href={props.newestHref}>{t.newestAnswers}</a>}
        {props.olderHref && <a href={props.olderHref}>{t.olderAnswers}</a>}
      </p>
    </section>
  )
}
