/** @jsxImportSource hono/jsx */
import { webhookDigests } from '../digests-settings.ts'
import type { Site } from '../sites.ts'
import type { DeliveredMessage, WebhookDeliveryStatus } from '../webhook-deliveries.ts'
import { redactedUrl, type Webhook } from '../webhooks.ts'
import { alertMessagesFor, type AlertMessages } from './alert-messages.ts'
import { dashboardUrl } from './filters.ts'
import type { Lang } from './i18n.ts'
import { Layout } from './layout.tsx'

const minute = (iso: string) => iso.slice(0, 16).replace('T', ' ')

/** What the last form did, shown once at the top. */
export interface AlertsNotice {
  text: string
  problem: boolean
}

function MessageLine({ a, message }: { a: AlertMessages; message: DeliveredMessage }) {
  return (
    <>
      <span>{minute(message.lastAttemptAt ?? message.createdAt)} UTC</span> · <span>{message.digest ? a.digestMessage : a.alertCount(message.alerts, message.test)}</span> ·{' '}
      <span class={`chip ${message.status}`}>{a.statuses[message.status] ?? message.status}</span> · <span>{a.attempts(message.attempts)}</span>
      {message.lastStatus !== null && <span> · HTTP {message.lastStatus}</span>}
      {message.nextAttemptAt && (
        <span>
          {' '}
          · {a.nextAttempt} {minute(message.nextAttemptAt)} UTC
        </span>
      )}
      {message.note && <span class="muted"> · {message.note}</span>}
    </>
  )
}

function PostButton({ action, label, secondary }: { action: string; label: string; secondary?: boolean }) {
  return (
    <form method="post" action={action} class="inline">
      <button type="submit" class={secondary ? 'secondary' : undefined}>
        {label}
      </button>
    </form>
  )
}

function WebhookCard({ lang, webhook, status, digests }: { lang: Lang; webhook: Webhook; status: WebhookDeliveryStatus; digests: string[] }) {
  const a = alertMessagesFor(lang)
  const base = `/dashboard/alerts/${encodeURIComponent(webhook.id)}`
  const action = (path: string) => dashboardUrl(`${base}${path}`, { lang })
  return (
    <section id={`webhook-${webhook.id}`} aria-labelledby={`webhook-${webhook.id}-title`} class="webhook">
      <h3 id={`webhook-${webhook.id}-title`}>
        {webhook.id} <span class={`chip ${status.paused ? 'overdue' : 'resolved'}`}>{status.paused ? a.paused : a.active}</span>
      </h3>
      <p class="meta">
        <span>
          {a.format}: {webhook.format}
        </span>
        <span>
          <code>{redactedUrl(webhook)}</code>
        </span>
        <span>
          {a.events}: {webhook.events ? webhook.events.map((kind) => a.kinds[kind] ?? kind).join(', ') : a.allEvents}
        </span>
        <span>
          {a.digests}: {digests.length ? digests.map((frequency) => a.frequencies[frequency] ?? frequency).join(', ') : a.noDigests}
        </span>
      </p>
      {status.paused && (
        <p class="message error" role="alert">
          {a.pausedBecause(status.paused.reason, minute(status.paused.at))}
        </p>
      )}
      {status.waiting > 0 && <p>{a.waiting(status.waiting)}</p>}
      <p>
        {a.lastDelivered}: {status.lastDelivered ? <MessageLine a={a} message={status.lastDelivered} /> : a.never}
      </p>
      <h4>{a.problems}</h4>
      {status.problems.length === 0 ? (
        <p>{a.noProblems}</p>
      ) : (
        <ol class="notes">
          {status.problems.map((message) => (
            <li>
              <MessageLine a={a} message={message} />
              {message.lastError && <p class="comment">{message.lastError}</p>}
              <PostButton action={action(`/messages/${encodeURIComponent(message.id)}/retry`)} label={a.retry} secondary />
            </li>
          ))}
        </ol>
      )}
      <p class="actions">
        <PostButton action={action('/test')} label={a.sendTest} />
        {status.paused && <PostButton action={action('/resume')} label={a.resume} secondary />}
      </p>
    </section>
  )
}

/** `/dashboard/alerts`: every webhook of the site, how its alerts are going, and what to do about it. */
export function WebhooksPage(props: { lang: Lang; site: Site; webhooks: { webhook: Webhook; status: WebhookDeliveryStatus }[]; notice?: AlertsNotice }) {
  const a = alertMessagesFor(props.lang)
  return (
    <Layout lang={props.lang} title={`${props.site.name} · ${a.alertsTitle}`} siteName={props.site.name}>
      <p>
        <a href={dashboardUrl('/dashboard', { lang: props.lang })}>{a.backToDashboard}</a>
      </p>
      <h2>{a.alertsTitle}</h2>
      <p>{a.alertsIntro}</p>
      {props.notice && (
        <p class={props.notice.problem ? 'message error' : 'message'} role={props.notice.problem ? 'alert' : 'status'}>
          {props.notice.text}
        </p>
      )}
      {props.webhooks.length === 0 ? <p>{a.noWebhooks}</p> : props.webhooks.map(({ webhook, status }) => <WebhookCard lang={props.lang} webhook={webhook} status={status} digests={webhookDigests(webhook, props.site.settings.digests).frequencies} />)}
    </Layout>
  )
}
