import { configSource, configUrl } from './config.ts'
import { decide, type Seen } from './decide.ts'
import { createDelivery } from './delivery.ts'
import { createEmitter, type HearkenEventName, type HearkenHandler, type SkipReason } from './events.ts'
import { mayAsk } from './fatigue.ts'
import { mountCard } from './mount.ts'
import type { ImpressionInput, PropValue, PublicSurvey, ResponseInput, SiteConfig } from './protocol.ts'
import type { WidgetModule } from './widget-contract.ts'
import { segmentOf } from './rules.ts'
import { browserStore, sleep, type Store } from './store.ts'
import { uuid } from './uuid.ts'
import { widgetUrl } from './widget-chunk.ts'

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
  /**
   * Language of the card, as a BCP 47 tag (`ja`, `zh-Hant-HK`, `pt-BR`, …); defaults to the
   * browser's. The worker answers in the nearest language it has (see `Locale`), else English.
   */
  locale?: string
  /** Where state and the outbox live; defaults to IndexedDB, falling back to memory where it is refused. */
  store?: Store
  /**
   * Loads the card; by default the SDK imports the content-hashed file the site config names,
   * once it checked that the card speaks this SDK's contract version. Bundle the widget yourself
   * where a CSP forbids importing it.
   */
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
  const store = options.store ?? browserStore()
  const events = createEmitter()
  const delivery = createDelivery({ endpoint, store, events })
  const config = configSource(configUrl(endpoint, site, options.locale ?? navigator.language), store)
  let widget: Promise<WidgetModule> | undefined
  /** The card on screen, or on its way there: one at a time. `close` takes it away. */
  let card: { close: () => void } | undefined
  let destroyed = false
  /**
   * Set when this tab learns the visitor opted out: the moment `optOut()` is called (before it
   * is stored), or when a card on its way finds another tab's opt-out in the store. It is never
   * undone (`reset()` keeps the opt-out), and no card on its way may appear after it.
   */
  let optingOut = false

  /** Every failure reaches the page as an `error` event, never as a throw. */
  const report = (error: unknown): void => void events.emit('error', { message: String(error) })
  const guard =
    <A extends unknown[]>(verb: (...args: A) => Promise<unknown>) =>
    async (...args: A): Promise<void> => {
      if (destroyed) return
      try {
        await verb(...args)
      } catch (error) {
        report(error)
      }
    }

  const recall = (): Promise<Visitor> => store.update<Visitor>(VISITOR_KEY, (state) => state ?? blank())
  const remember = (change: (state: Visitor) => Partial<Visitor>): Promise<Visitor> =>
    store.update<Visitor>(VISITOR_KEY, (state = blank()) => ({ ...state, ...change(state) }))
  const optedOut = (state: Visitor, siteConfig: SiteConfig): boolean =>
    optingOut || state.optedOut || (siteConfig.respectGpc && (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true)
  const skip = (reason: SkipReason, about: { checkpoint: string } | { survey: string }): void =>
    void events.emit('skip', { reason, ...about })
  const loadWidget = (siteConfig: SiteConfig): Promise<WidgetModule> => {
    widget ??= (options.widget ?? (() => import(/* @vite-ignore */ widgetUrl(endpoint, siteConfig.widget)) as Promise<WidgetModule>))().catch((error: unknown) => {
      widget = undefined
      throw error
    })
    widget.catch(() => {}) // awaited where a card is shown, unless the show is called off first
    return widget
  }

  /**
   * Shows a survey, re-checking after every wait (the delay, the worker's fatigue answer, `show`
   * handlers, loading the card) that this instance is alive, that the visitor has not opted out,
   * here or in another tab, and that the place is still this card's; the place is claimed at
   * once, so no other card can start meanwhile. Only then is the card mounted and its impression
   * recorded.
   */
  const present = async (survey: PublicSurvey, segment: string, siteConfig: SiteConfig, state: Visitor, checkpoint?: string, subject?: PropValue): Promise<void> => {
    const claim = { close: () => {} }
    card = claim
    const about = checkpoint ? { checkpoint } : { survey: survey.id }
    /**
     * Waits for one step, then reads the opt-out another tab may have stored meanwhile (tabs share
     * the store), so that {@link calledOff}, checked right after with nothing awaited between,
     * knows it.
     */
    const settled = async <T>(step: T | Promise<T>): Promise<T> => {
      const result = await step
      if ((await store.get<Visitor>(VISITOR_KEY))?.optedOut) optingOut = true
      return result
    }
    /** Whether the card may no longer appear: this instance was destroyed, another card took the place, or the visitor opted out. */
    const calledOff = (): boolean => {
      if (destroyed || card !== claim) return true
      if (optingOut) skip('opted-out', about)
      return optingOut
    }
    let mounted = false
    try {
      const loading = loadWidget(siteConfig)
      // Only a checkpoint is subject to fatigue (`show` is past it), and only a user has other devices.
      const fatigue = checkpoint && state.user ? mayAsk(endpoint, { site, user: state.user, survey: survey.id }) : undefined
      await settled(survey.delayMs && sleep(survey.delayMs))
      if (calledOff()) return
      const verdict = await settled(fatigue)
      if (calledOff()) return
      if (verdict && !verdict.ask) return skip(verdict.reason, about)
      // No store read here: the card's loading, awaited next and after these handlers, reads it.
      const go = await events.emit('show', { survey, segment, ...(checkpoint && { checkpoint }) })
      if (!go || calledOff()) return
      const module = await settled(loading)
      if (calledOff()) return

      const { language } = siteConfig
      const who = { site, survey: survey.id, checkpoint, segment, visitor: state.visitor, user: state.user }
      const impression = (kind: ImpressionInput['kind']) => delivery.send({ kind: 'impressions', body: { id: uuid(), kind, ...who } })
      const shownAt = Date.now()
      let answer: ResponseInput | undefined
      const respond = (fields: Pick<ResponseInput, 'score' | 'comment' | 'dimensions'>): ResponseInput => {
        // Dated when chosen, so an answer that waits in the outbox lands on its day.
        answer = { ...(answer ?? { id: uuid(), ...who, subject, locale: language.locale, elapsedMs: Date.now() - shownAt, answeredAt: Date.now() }), ...fields }
        void delivery.send({ kind: 'responses', body: answer })
        return answer
      }
      const remove = mountCard(module, {
        survey,
        language,
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
          claim.close()
        },
        onClose: () => claim.close(),
      })
      mounted = true
      claim.close = () => {
        claim.close = () => {}
        if (card === claim) card = undefined
        remove()
      }
      void impression('shown')
      await remember((known) => ({ seen: { ...known.seen, [survey.id]: Date.now() } }))
    } finally {
      // Called off (or failed) before it showed: the place is free again.
      if (!mounted && card === claim) card = undefined
    }
  }

  delivery.resume().catch(report)

  return {
    checkpoint: guard(async (name: string, props?: CheckpointProps) => {
      const [siteConfig, state] = await Promise.all([config(), recall()])
      if (destroyed) return
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
      if (card) return skip('fatigue', { checkpoint: name })
      // What the answer is about: the first checkpoint prop the site names that is present (an
      // order or ticket number; 0 and false are values too, an empty string is none); the worker keeps 128 characters.
      const subject = siteConfig.subjectProps?.map((prop) => props?.[prop]).find((value) => (value ?? '') !== '')
      await present(verdict.survey, verdict.segment, siteConfig, state, name, subject)
    }),
    identify: guard((userId: string, traits: CheckpointProps = {}) =>
      remember((known) => ({ user: userId, traits: { ...(known.user === userId ? known.traits : {}), ...traits } })),
    ),
    show: guard(async (surveyId: string) => {
      const [siteConfig, state] = await Promise.all([config(), recall()])
      if (destroyed) return
      const survey = siteConfig.surveys.find((candidate) => candidate.id === surveyId)
      const reason = optedOut(state, siteConfig) ? 'opted-out' : !survey ? 'no-survey' : card ? 'fatigue' : undefined
      if (reason || !survey) return skip(reason ?? 'no-survey', { survey: surveyId })
      await present(survey, segmentOf(siteConfig.segments, state.traits), siteConfig, state)
    }),
    on: events.on,
    off: events.off,
    optOut: guard(async () => {
      optingOut = true
      card?.close()
      await remember(() => ({ optedOut: true }))
    }),
    flush: guard(() => delivery.flush()),
    reset: guard(() => store.update<Visitor>(VISITOR_KEY, (state) => ({ ...blank(), optedOut: state?.optedOut }))),
    destroy() {
      destroyed = true
      card?.close()
      delivery.stop()
      events.clear()
    },
  }
}
