import { configSource } from './config.ts'
import { createCourier } from './courier.ts'
import { decide, type Seen } from './decide.ts'
import { createEmitter, type HearkenEventName, type HearkenHandler, type SkipReason } from './events.ts'
import { toLocale } from './locale.ts'
import { mountCard } from './mount.ts'
import type { ImpressionInput, PropValue, PublicSurvey, ResponseInput, SiteConfig } from './protocol.ts'
import type { WidgetModule } from './widget-contract.ts'
import { segmentOf } from './rules.ts'
import { browserStore, type Store } from './store.ts'
import { uuid } from './uuid.ts'

/** Properties a checkpoint carries, or traits `identify` records, e.g. `{ orderId: 'A-1001', amount: 129 }`. */
export type CheckpointProps = Record<string, PropValue>

/**
 * An app's checkpoints and the props each carries, declared once as a type alias and passed to
 * {@link createHearken}, so the compiler checks every call:
 * `createHearken<{ order_completed: { orderId: string; amount: number } }>(…)`.
 */
export type CheckpointMap = Record<string, CheckpointProps>

/** The props argument of one checkpoint: optional when every prop is optional, required otherwise. */
export type CheckpointArgs<C extends CheckpointMap, K extends keyof C> = {} extends C[K] ? [props?: C[K]] : [props: C[K]]

/** Options for {@link createHearken}. */
export interface HearkenOptions {
  /** The site's public key, `pk_…`. */
  site: string
  /** The worker's origin, e.g. `https://feedback.example.com`. */
  endpoint: string
  /** Language of the card (`en`, `zh-CN`, `zh-TW`, `ja`, or any BCP 47 tag mapped to one); defaults to the browser's. */
  locale?: string
  /** Where state and the outbox live; defaults to IndexedDB, falling back to memory where it is refused. */
  store?: Store
  /** Loads the card; defaults to importing `${endpoint}/widget.js`. Bundle the widget yourself where a CSP forbids that. */
  widget?: () => Promise<WidgetModule>
}

/** A Hearken instance: the verbs a page calls. Every promise resolves; failures arrive as `error` events. */
export interface Hearken<C extends CheckpointMap = CheckpointMap> {
  /** A moment of truth happened: shows the survey it triggers for this visitor, if any, else emits `skip`. */
  checkpoint<K extends keyof C & string>(name: K, ...props: CheckpointArgs<C, K>): Promise<void>
  /** Names the app's user; the traits (merged with earlier ones) are kept across pages for targeting. */
  identify(userId: string, traits?: CheckpointProps): Promise<void>
  /** Shows a survey by id, past targeting, sampling and fatigue; opt-out still holds, and one card at a time. */
  show(surveyId: string): Promise<void>
  /** Listens to an event; a `show` handler returning `false` stops the card. */
  on<E extends HearkenEventName>(event: E, handler: HearkenHandler<E>): void
  /** Stops listening. */
  off<E extends HearkenEventName>(event: E, handler: HearkenHandler<E>): void
  /** Never survey this browser again (remembered); closes a card on screen. */
  optOut(): Promise<void>
  /** Sends everything waiting in the outbox now; resolves when each item was tried once. */
  flush(): Promise<void>
  /** Forgets the user, their traits and survey history, and starts a new visitor id (e.g. on log-out). Opt-out and the outbox stay. */
  reset(): Promise<void>
  /** Removes the card, listeners and timers; undelivered answers stay in the outbox for the next page. */
  destroy(): void
}

/** What the SDK remembers about this browser. */
interface Visitor {
  visitor: string
  user?: string
  traits: CheckpointProps
  seen: Seen
  optedOut?: boolean
}

const VISITOR_KEY = 'visitor'
const blank = (): Visitor => ({ visitor: uuid(), traits: {}, seen: {} })

/**
 * Creates a Hearken instance for one site. Declare the app's checkpoints in `C` to have
 * every `checkpoint` call checked. Never throws into the host page.
 */
export function createHearken<C extends CheckpointMap = CheckpointMap>(options: HearkenOptions): Hearken<C> {
  const { site } = options
  const endpoint = options.endpoint.replace(/\/+$/, '')
  const locale = toLocale(options.locale ?? navigator.language)
  const store = options.store ?? browserStore()
  const events = createEmitter()
  const courier = createCourier({ endpoint, store, events })
  const config = configSource(endpoint, site, store)
  const importWidget = options.widget ?? (() => import(/* @vite-ignore */ `${endpoint}/widget.js`) as Promise<WidgetModule>)
  let widget: Promise<WidgetModule> | undefined
  let busy = false
  let closeCard: (() => void) | undefined
  let destroyed = false

  const guard =
    <A extends unknown[]>(verb: (...args: A) => Promise<unknown>) =>
    async (...args: A): Promise<void> => {
      if (destroyed) return
      try {
        await verb(...args)
      } catch (error) {
        void events.emit('error', { message: String(error) })
      }
    }

  const recall = (): Promise<Visitor> => store.update<Visitor>(VISITOR_KEY, (state) => state ?? blank())
  const remember = (change: (state: Visitor) => Partial<Visitor>): Promise<Visitor> =>
    store.update<Visitor>(VISITOR_KEY, (state = blank()) => ({ ...state, ...change(state) }))
  const optedOut = (state: Visitor, siteConfig: SiteConfig): boolean =>
    !!state.optedOut || (siteConfig.respectGpc && (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true)
  const skip = (reason: SkipReason, about: { checkpoint: string } | { survey: string }): void =>
    void events.emit('skip', { reason, ...about })

  const present = async (survey: PublicSurvey, segment: string, state: Visitor, checkpoint?: string, subject?: string): Promise<void> => {
    busy = true
    try {
      const loading = (widget ??= importWidget().catch((error: unknown) => {
        widget = undefined
        throw error
      }))
      loading.catch(() => {}) // awaited below unless the show is called off first
      if (survey.delayMs) await new Promise((done) => setTimeout(done, survey.delayMs))
      if (destroyed || !(await events.emit('show', { survey, segment, ...(checkpoint && { checkpoint }) }))) return
      const module = await loading
      const about = { site, survey: survey.id, checkpoint, segment, visitor: state.visitor }
      const impression = (kind: ImpressionInput['kind']) => courier.send({ kind: 'impressions', body: { id: uuid(), kind, ...about, at: Date.now() } })
      const shownAt = Date.now()
      let answer: ResponseInput | undefined
      const respond = (fields: Pick<ResponseInput, 'score' | 'comment' | 'dimensions'>): ResponseInput => {
        // Dated when chosen, so an answer that waits in the outbox lands on its day.
        answer = { ...(answer ?? { id: uuid(), ...about, user: state.user, subject, locale, elapsedMs: Date.now() - shownAt, answeredAt: Date.now() }), ...fields }
        void courier.send({ kind: 'responses', body: answer })
        return answer
      }
      const remove = mountCard(module, {
        survey,
        locale,
        onAnswer: (score) => {
          const { id } = respond({ score })
          void events.emit('answer', { survey, id, score })
        },
        onComplete: (finished) => {
          const { id } = respond(finished)
          void events.emit('submit', { survey, id, ...finished })
        },
        onDismiss: () => {
          void impression('dismissed')
          void events.emit('dismiss', { survey })
          closeCard?.()
        },
        onClose: () => closeCard?.(),
      })
      closeCard = () => {
        closeCard = undefined
        busy = false
        remove()
      }
      void impression('shown')
      await remember((known) => ({ seen: { ...known.seen, [survey.id]: Date.now() } }))
    } finally {
      if (!closeCard) busy = false
    }
  }

  void courier.flush()

  return {
    checkpoint: guard(async (name: string, props?: CheckpointProps) => {
      const [siteConfig, state] = await Promise.all([config(), recall()])
      const verdict = decide(siteConfig, {
        checkpoint: name,
        facts: { ...state.traits, ...props },
        path: location.pathname,
        visitor: state.visitor,
        seen: state.seen,
        now: Date.now(),
        optedOut: optedOut(state, siteConfig),
      })
      if ('reason' in verdict) return skip(verdict.reason, { checkpoint: name })
      if (busy) return skip('fatigue', { checkpoint: name })
      // What the answer is about: the first checkpoint prop the site names (an order or ticket number).
      const named = siteConfig.subjectProps?.map((prop) => props?.[prop]).find((value) => value !== undefined && value !== '')
      await present(verdict.survey, verdict.segment, state, name, named === undefined ? undefined : String(named).slice(0, 128))
    }),
    identify: guard((userId: string, traits: CheckpointProps = {}) =>
      remember((known) => ({ user: userId, traits: { ...(known.user === userId ? known.traits : {}), ...traits } })),
    ),
    show: guard(async (surveyId: string) => {
      const [siteConfig, state] = await Promise.all([config(), recall()])
      const survey = siteConfig.surveys.find((candidate) => candidate.id === surveyId)
      const reason = optedOut(state, siteConfig) ? 'opted-out' : !survey ? 'no-survey' : busy ? 'fatigue' : undefined
      if (reason || !survey) return skip(reason ?? 'no-survey', { survey: surveyId })
      await present(survey, segmentOf(siteConfig.segments, state.traits), state)
    }),
    on: events.on,
    off: events.off,
    optOut: guard(async () => {
      await remember(() => ({ optedOut: true }))
      closeCard?.()
    }),
    flush: guard(() => courier.flush()),
    reset: guard(() => store.update<Visitor>(VISITOR_KEY, (state) => ({ ...blank(), optedOut: state?.optedOut }))),
    destroy() {
      destroyed = true
      closeCard?.()
      courier.stop()
      events.clear()
    },
  }
}
