import type { PublicSurvey } from './protocol.ts'

/** Why a checkpoint did not show a survey. */
export type SkipReason = 'no-survey' | 'busy'

/** Payload of each event, by name. */
export interface HearkenEvents {
  /** A survey card is about to show. */
  show: { survey: PublicSurvey; checkpoint?: string }
  /** The visitor sent an answer; it is on its way to the worker. */
  submit: { survey: PublicSurvey; id: string; score: number }
  /** The visitor closed the card without answering. */
  dismiss: { survey: PublicSurvey }
  /** A checkpoint fired but no survey was shown. */
  skip: { checkpoint: string; reason: SkipReason }
  /** The worker stored (or already had) an answer. */
  delivered: { id: string }
  /** Something went wrong; the host page is never thrown at. */
  error: { message: string; id?: string }
}

/** Names of the events an instance emits. */
export type HearkenEventName = keyof HearkenEvents

/** A handler for one event. */
export type HearkenHandler<E extends HearkenEventName> = (payload: HearkenEvents[E]) => void

type HandlerSets = { [E in HearkenEventName]?: Set<HearkenHandler<E>> }

/** A tiny typed event emitter; a throwing handler never breaks the others. */
export function createEmitter() {
  const handlers: HandlerSets = {}
  return {
    on<E extends HearkenEventName>(event: E, handler: HearkenHandler<E>): void {
      ;(handlers[event] ??= new Set() as HandlerSets[E] & object).add(handler)
    },
    off<E extends HearkenEventName>(event: E, handler: HearkenHandler<E>): void {
      handlers[event]?.delete(handler)
    },
    emit<E extends HearkenEventName>(event: E, payload: HearkenEvents[E]): void {
      handlers[event]?.forEach((handler) => {
        try {
          handler(payload)
        } catch (error) {
          console.error('[hearken] a handler for', event, 'threw', error)
        }
      })
    },
  }
}
