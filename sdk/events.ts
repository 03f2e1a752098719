import type { PublicSurvey } from './protocol.ts'

/**
 * Why a checkpoint showed no survey: no survey names it, the visitor's sample excludes them,
 * the survey's own cooldown or the site's cap (or another card on screen) holds it back,
 * the visitor opted out (or sends Global Privacy Control), or targeting leaves them out.
 */
export type SkipReason = 'no-survey' | 'sampled-out' | 'cooldown' | 'fatigue' | 'opted-out' | 'targeting'

/** Payload of each event, by name. */
export interface HearkenEvents {
  /** A card is about to show; a handler returning `false` stops it. */
  show: { survey: PublicSurvey; segment: string; checkpoint?: string }
  /** The visitor chose a score; it is in the outbox and counts even if they leave now. */
  answer: { survey: PublicSurvey; id: string; score: number }
  /** The visitor finished the card; the same response, now with comment and ratings, is on its way. */
  submit: { survey: PublicSurvey; id: string; score: number; comment?: string; dimensions?: Record<string, number> }
  /** The visitor closed the card without choosing a score. */
  dismiss: { survey: PublicSurvey }
  /** A checkpoint (or `show`) fired but no card showed. */
  skip: { reason: SkipReason; checkpoint?: string; survey?: string }
  /** The worker stored (or already had) a response or impression. */
  delivered: { id: string; kind: 'responses' | 'impressions' }
  /** Something went wrong; the host page is never thrown at. `id` names a dropped response or impression. */
  error: { message: string; id?: string }
}

/** Names of the events an instance emits. */
export type HearkenEventName = keyof HearkenEvents

/** What a handler may return: only a `show` handler's `false` means something (veto). */
export type HandlerResult<E extends HearkenEventName> = E extends 'show' ? boolean | void : void

/** A handler for one event; it may be async. */
export type HearkenHandler<E extends HearkenEventName> = (
  payload: HearkenEvents[E],
) => HandlerResult<E> | Promise<HandlerResult<E>>

type HandlerSets = { [E in HearkenEventName]?: Set<HearkenHandler<E>> }

/** A typed event emitter whose handlers may be async; a throwing handler never breaks the others. */
export function createEmitter() {
  let handlers: HandlerSets = {}
  return {
    on<E extends HearkenEventName>(event: E, handler: HearkenHandler<E>): void {
      ;(handlers[event] ??= new Set() as HandlerSets[E] & object).add(handler)
    },
    off<E extends HearkenEventName>(event: E, handler: HearkenHandler<E>): void {
      handlers[event]?.delete(handler)
    },
    /** Runs every handler and resolves `false` when one of them returned (or resolved to) `false`. */
    async emit<E extends HearkenEventName>(event: E, payload: HearkenEvents[E]): Promise<boolean> {
      const results = await Promise.all(
        [...(handlers[event] ?? [])].map(async (handler) => {
          try {
            return await handler(payload)
          } catch (error) {
            console.error(error)
          }
        }),
      )
      return !results.some((result) => result === false)
    },
    clear(): void {
      handlers = {}
    },
  }
}

/** The emitter {@link createEmitter} makes. */
export type Emitter = ReturnType<typeof createEmitter>
