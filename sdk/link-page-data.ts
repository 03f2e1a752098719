import type { Language, PublicSurvey } from './protocol.ts'

/** The contract between a survey link's page, rendered by the worker (worker/src/links.ts), and its script (widget/link-page.ts). */

/** What a survey link's page (`/s/{token}`) hands its script, as JSON in the page. */
export interface LinkPageData {
  site: string
  siteName: string
  /** The link's token, sent with the answer so the worker can check it. */
  token: string
  survey: PublicSurvey
  language: Language
  /** Shown in the card's place when the visitor closes it: the link still works. */
  closedNote: string
  /** The one response id this link's answers share. */
  responseId: string
  impressionId: string
  /** A score chosen in the email (`?score=N`), recorded by the page, never by the GET. */
  initialScore?: number
}

