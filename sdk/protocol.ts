/**
 * The wire contract between the browser (sdk, widget) and the worker.
 * Written once here; the worker's validators are checked against these types.
 * @packageDocumentation
 */

/** The kinds of question a survey asks. NPS is 0–10, CSAT is 1–5. */
export type SurveyType = 'nps' | 'csat'

/** Languages the widget ships. */
export type Locale = 'en' | 'zh-CN' | 'zh-TW'

/** A text in several languages; `en` is always present and is the fallback. */
export type LocalizedText = { en: string } & Partial<Record<Locale, string>>

/** Values a checkpoint or identify call may carry. */
export type PropValue = string | number | boolean

/** The public part of a survey, as served by `GET /v1/sites/{site}/config`. */
export interface PublicSurvey {
  /** Stable id, e.g. `post-purchase-nps`. */
  id: string
  type: SurveyType
  /** Checkpoint names that may trigger this survey. */
  checkpoints: string[]
  /** The question, per language. */
  question: LocalizedText
}

/** `GET /v1/sites/{site}/config` body. */
export interface SiteConfig {
  site: string
  surveys: PublicSurvey[]
}

/** One answer, as posted to `POST /v1/responses`. */
export interface ResponseInput {
  /** Made on the client (UUID); a retry with the same id is harmless. */
  id: string
  /** The site's public key, `pk_…`. */
  site: string
  survey: string
  score: number
  checkpoint?: string
  comment?: string
  /** Opaque visitor id made by the SDK. */
  visitor?: string
  locale?: string
}

/** `POST /v1/responses` body: one response or a batch. */
export type ResponsesRequest = ResponseInput | { responses: ResponseInput[] }

/** What the worker did with one posted response. */
export interface ResponseResult {
  id: string
  status: 'stored' | 'duplicate'
}

/** The body of every 4xx. */
export interface ErrorBody {
  error: {
    code: string
    message: string
    /** The request field at fault, when there is one. */
    field?: string
  }
}

/** Net Promoter Score summary with its 95% margin of error (in points). */
export interface NpsSummary {
  /** −100…100, or null when there are no answers. */
  score: number | null
  promoters: number
  passives: number
  detractors: number
  n: number
  margin: number | null
}

/** CSAT summary: % of answers 4–5, mean score and a 95% Wilson interval (in %). */
export interface CsatSummary {
  /** 0…100, or null when there are no answers. */
  score: number | null
  satisfied: number
  mean: number | null
  n: number
  interval: [number, number] | null
}

/** `GET /v1/sites/{site}/stats` body. */
export interface StatsResult {
  survey: string
  type: SurveyType
  nps?: NpsSummary
  csat?: CsatSummary
}

/** What the sdk hands the widget when it mounts a survey. */
export interface WidgetProps {
  survey: PublicSurvey
  locale: Locale
  /** Called when the visitor sends an answer. */
  onSubmit: (answer: { score: number; comment?: string }) => void
  /** Called when the visitor closes the card without answering. */
  onDismiss: () => void
}

/**
 * The browser's ShadowRoot. This file is also compiled for the worker, which has no DOM;
 * there the type is `never`, and nothing in the worker touches it.
 */
export type WidgetRoot = typeof globalThis extends { ShadowRoot: { prototype: infer Root } } ? Root : never

/** The widget module's shape: `mount` renders into `root` and returns an unmount function. */
export interface WidgetModule {
  mount: (root: WidgetRoot, props: WidgetProps) => () => void
}
