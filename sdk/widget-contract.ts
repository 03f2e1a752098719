import type { Language, PublicSurvey } from './protocol.ts'

/** The contract between the SDK and the survey card it loads (widget/index.tsx): browser-only, never compiled for the worker. */

/**
 * The version of this contract. Raise it with any change a card of the previous version would
 * misread (or a previous SDK would): the build writes it beside the widget's hashed name
 * (vite.config.ts), the worker names both in the site config, and an SDK that speaks another
 * version shows no card rather than a broken one.
 */
export const WIDGET_CONTRACT = 1

/** What the sdk hands the widget when it mounts a survey. */
export interface WidgetProps {
  survey: PublicSurvey
  /** The visitor's language, its direction and the card's texts in it (the survey's `texts` override them). */
  language: Language
  /**
   * A score already chosen and recorded by the host (a one-click link in an email): the card
   * opens with it chosen, at the follow-up step, and does not call `onAnswer` for it.
   */
  initialScore?: number
  /** The visitor chose a score: it counts from now on, even if they leave. */
  onAnswer: (score: number) => void
  /** The visitor finished the follow-up and ratings (either may be empty). */
  onComplete: (answer: { score: number; comment?: string; dimensions?: Record<string, number> }) => void
  /** The visitor closed the card before choosing a score. */
  onDismiss: () => void
  /** The card is gone (closed after answering, or after the thanks); the host element can go. */
  onClose: () => void
}

/** The widget module's shape: `mount` renders into `root` and returns an unmount function. */
export interface WidgetModule {
  mount: (root: ShadowRoot, props: WidgetProps) => () => void
}
