import { createDelivery } from '../sdk/delivery.ts'
import { createEmitter } from '../sdk/events.ts'
import type { LinkPageData } from '../sdk/link-page-data.ts'
import type { ResponseInput } from '../sdk/protocol.ts'
import { browserStore } from '../sdk/store.ts'
import type { WidgetModule } from '../sdk/widget-contract.ts'

/** The widget chunk's content-hashed file name, set by the build (vite.config.ts). */
declare const __HEARKEN_WIDGET__: string

/**
 * The script of a survey link's page (`/s/{token}`, served as `/link.js`): shows the widget
 * inline and answers through the SDK's own outbox (IndexedDB, retried with backoff, beacons
 * when the page is hidden), so an answer given on a train survives the tunnel. Every post for a
 * link reuses the link's fixed ids, so a retry or a second answer can only update its one answer.
 */
const data = JSON.parse(document.getElementById('hearken-link')!.textContent!) as LinkPageData
const delivery = createDelivery({ endpoint: location.origin, store: browserStore(), events: createEmitter() })
void delivery.resume()

const answer = (score: number, extra: Partial<ResponseInput> = {}): ResponseInput => ({
  id: data.responseId,
  site: data.site,
  survey: data.survey.id,
  score,
  link: data.token,
  locale: data.language.locale,
  ...extra,
})
const respond = (body: ResponseInput): void => void delivery.send({ kind: 'responses', body })

const shownAt = Date.now()
/** Every post carries the time from the page showing to the person's choice: the worker records no link answer without it. */
const chosen = (): Partial<ResponseInput> => ({ elapsedMs: Date.now() - shownAt, answeredAt: Date.now() })
void delivery.send({ kind: 'impressions', body: { id: data.impressionId, site: data.site, survey: data.survey.id, kind: 'shown', link: data.token, at: shownAt } })
// A score chosen in the email is recorded at the person's first gesture on the page, never by
// the load alone: mail scanners open links and run their scripts, but do not press or type.
if (data.initialScore !== undefined) {
  const initialScore = data.initialScore
  const gesture = (event: Event): void => {
    if (!event.isTrusted) return
    for (const type of ['pointerdown', 'keydown']) removeEventListener(type, gesture, true)
    respond(answer(initialScore, chosen()))
  }
  for (const type of ['pointerdown', 'keydown']) addEventListener(type, gesture, true)
}

const host = document.getElementById('hearken-survey')!
const widget = (await import(/* @vite-ignore */ new URL(__HEARKEN_WIDGET__, import.meta.url).href)) as WidgetModule
const unmount = widget.mount(host.attachShadow({ mode: 'open' }), {
  survey: data.survey,
  language: data.language,
  ...(data.initialScore === undefined ? {} : { initialScore: data.initialScore }),
  onAnswer: (score) => respond(answer(score, chosen())),
  onComplete: ({ score, comment, dimensions }) => respond(answer(score, { comment, dimensions, ...chosen() })),
  onDismiss: () => closeCard(),
  onClose: () => closeCard(),
})

/** The page is the survey: closing the card leaves a note saying the link still works, in the card's place. */
function closeCard(): void {
  unmount()
  const note = document.createElement('p')
  note.className = 'closed'
  note.setAttribute('role', 'status')
  note.textContent = data.closedNote
  host.replaceWith(note)
}
