import { createEmitter, type HearkenEventName, type HearkenHandler } from './events.ts'
import { toLocale } from './locale.ts'
import type { Locale, PropValue, PublicSurvey, SiteConfig, WidgetModule } from './protocol.ts'
import { postResponse } from './transport.ts'
import { uuid } from './uuid.ts'

/** Properties a checkpoint carries, e.g. `{ orderId: 'A-1001', amount: 129 }`. */
export type CheckpointProps = Record<string, PropValue>

/**
 * Declares an app's checkpoints and their props once, so the compiler checks every call:
 * `createHearken<{ order_completed: { orderId: string; amount: number } }>(…)`.
 */
export type CheckpointMap = Record<string, CheckpointProps>

/** Options for {@link createHearken}. */
export interface HearkenOptions {
  /** The site's public key, `pk_…`. */
  site: string
  /** The worker's origin, e.g. `https://feedback.example.com`. */
  endpoint: string
  /** Language for the survey card; defaults to the browser's. */
  locale?: string
}

/** A Hearken instance: the verbs a page calls. */
export interface Hearken<C extends CheckpointMap = CheckpointMap> {
  /** Tells Hearken a moment of truth happened; shows the matching survey, if any. */
  checkpoint<K extends keyof C & string>(name: K, props?: C[K]): Promise<void>
  /** Listens to an event. */
  on<E extends HearkenEventName>(event: E, handler: HearkenHandler<E>): void
  /** Stops listening to an event. */
  off<E extends HearkenEventName>(event: E, handler: HearkenHandler<E>): void
}

/** Creates a Hearken instance for one site. Never throws into the host page. */
export function createHearken<C extends CheckpointMap = CheckpointMap>(options: HearkenOptions): Hearken<C> {
  const endpoint = options.endpoint.replace(/\/+$/, '')
  const locale: Locale = toLocale(options.locale ?? navigator.language)
  const events = createEmitter()
  let config: Promise<SiteConfig> | undefined
  let showing = false

  const loadConfig = (): Promise<SiteConfig> =>
    (config ??= fetch(`${endpoint}/v1/sites/${encodeURIComponent(options.site)}/config`).then((reply) => {
      if (!reply.ok) throw new Error(`config: HTTP ${reply.status}`)
      return reply.json() as Promise<SiteConfig>
    })).catch((error: unknown) => {
      config = undefined
      throw error
    })

  const show = async (survey: PublicSurvey, checkpoint: string): Promise<void> => {
    showing = true
    const widget = (await import(/* @vite-ignore */ `${endpoint}/widget.js`)) as WidgetModule
    const host = document.createElement('div')
    host.setAttribute('data-hearken', survey.id)
    document.body.append(host)
    let answer: { id: string; score: number } | undefined
    const send = (id: string, score: number, comment?: string): void => {
      postResponse(endpoint, { id, site: options.site, survey: survey.id, score, checkpoint, comment, locale }).then(
        () => events.emit('delivered', { id }),
        (error: Error) => events.emit('error', { message: error.message, id }),
      )
    }
    const close = (): void => {
      unmount()
      host.remove()
      showing = false
    }
    events.emit('show', { survey, checkpoint })
    const unmount = widget.mount(host.attachShadow({ mode: 'open' }), {
      survey,
      locale,
      onAnswer: (score) => {
        answer = { id: uuid(), score }
        send(answer.id, score)
      },
      onComplete: ({ score, comment }) => {
        const id = answer?.id ?? uuid()
        events.emit('submit', { survey, id, score })
        if (comment) send(id, score, comment)
      },
      onClose: close,
      onDismiss: () => {
        events.emit('dismiss', { survey })
        close()
      },
    })
  }

  return {
    async checkpoint(name) {
      try {
        if (showing) return events.emit('skip', { checkpoint: name, reason: 'busy' })
        const survey = (await loadConfig()).surveys.find((candidate) => candidate.checkpoints.includes(name))
        if (!survey) return events.emit('skip', { checkpoint: name, reason: 'no-survey' })
        await show(survey, name)
      } catch (error) {
        showing = false
        events.emit('error', { message: error instanceof Error ? error.message : String(error) })
      }
    },
    on: events.on,
    off: events.off,
  }
}
