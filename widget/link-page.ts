import type { LinkPageData } from '../sdk/link-page-data.ts'
import type { ImpressionInput, ResponseInput } from '../sdk/protocol.ts'
import type { WidgetModule } from '../sdk/widget-contract.ts'

/**
 * The script of a survey link's page (`/s/{token}`, served as `/link.js`): shows the widget
 * inline and posts through the same ingest routes as the SDK. Every post for a link reuses the
 * link's fixed ids, so a retry or a second answer can only update the one answer the link has.
 */
const data = JSON.parse(document.getElementById('hearken-link')!.textContent!) as LinkPageData

async function send(path: string, body: ResponseInput | ImpressionInput): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      // JSON as text/plain: a simple request, no preflight.
      const reply = await fetch(path, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: JSON.stringify(body), keepalive: true })
      if (reply.ok || (reply.status >= 400 && reply.status < 500 && reply.status !== 408 && reply.status !== 429)) return
    } catch {
      // offline or the worker is restarting: try again below
    }
    await new Promise((done) => setTimeout(done, 500 * 2 ** attempt))
  }
}

const answer = (score: number, extra: Partial<ResponseInput> = {}): ResponseInput => ({
  id: data.responseId,
  site: data.site,
  survey: data.survey.id,
  score,
  link: data.token,
  locale: data.locale,
  ...extra,
})

const shownAt = Date.now()
/** Every post carries the time from the page showing to the person's choice: the worker records nothing without it. */
const chosen = (): Partial<ResponseInput> => ({ elapsedMs: Date.now() - shownAt, answeredAt: Date.now() })
void send('/v1/impressions', { id: data.impressionId, site: data.site, survey: data.survey.id, kind: 'shown', link: data.token, at: shownAt })
// A score chosen in the email is recorded at the person's first gesture on the page, never by
// the load alone: mail scanners open links and run their scripts, but do not press or type.
if (data.initialScore !== undefined) {
  const initialScore = data.initialScore
  const gesture = (event: Event): void => {
    if (!event.isTrusted) return
    for (const type of ['pointerdown', 'keydown']) removeEventListener(type, gesture, true)
    void send('/v1/responses', answer(initialScore, chosen()))
  }
  for (const type of ['pointerdown', 'keydown']) addEventListener(type, gesture, true)
}

const widget = (await import(/* @vite-ignore */ `${location.origin}/widget.js`)) as WidgetModule
widget.mount(document.getElementById('hearken-survey')!.attachShadow({ mode: 'open' }), {
  survey: data.survey,
  locale: data.locale,
  ...(data.initialScore === undefined ? {} : { initialScore: data.initialScore }),
  onAnswer: (score) => void send('/v1/responses', answer(score, chosen())),
  onComplete: ({ score, comment, dimensions }) => void send('/v1/responses', answer(score, { comment, dimensions, ...chosen() })),
  // The page is the survey: closing the card leaves the page as it is.
  onDismiss: () => {},
  onClose: () => {},
})
