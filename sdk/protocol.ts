/**
 * The wire format apps and the worker share: surveys and site config as served, responses and
 * impressions as posted, and errors. Written once here; the worker's validators are checked
 * against these types. Other contracts have their own files: the SDK and the widget
 * (widget-contract.ts), a survey link's page and its script (link-page-data.ts), and what the
 * operator API returns (worker/src/stats-result.ts).
 * @packageDocumentation
 */

/** The kinds of question a survey asks: NPS 0–10, CSAT 1–5, CES 1–7. */
export type SurveyType = 'nps' | 'csat' | 'ces'

/** The score range of each survey type, inclusive. */
export const SCORE_RANGES: { readonly [T in SurveyType]: readonly [min: number, max: number] } = {
  nps: [0, 10],
  csat: [1, 5],
  ces: [1, 7],
}

/**
 * The languages the worker has texts for (its table is checked against this list, so the two
 * cannot drift). A page may ask for any BCP 47 tag; the worker answers in the nearest of these.
 */
export type Locale = 'en' | 'zh-CN' | 'zh-TW' | 'ja' | 'ko' | 'es' | 'fr' | 'de' | 'ar'

/** A text in several languages; `en` is always present and is the fallback. */
export type LocalizedText = { en: string } & Partial<Record<Locale, string>>

/** The card's own texts (everything but the survey's question, prompts and labels), in one language. */
export interface WidgetTexts {
  /** Under 0 on the NPS scale, e.g. "Not at all likely". */
  npsLow: string
  /** Under 10 on the NPS scale, e.g. "Extremely likely". */
  npsHigh: string
  /** Under 1 on the CSAT scale (and each 1–5 rating). */
  csatLow: string
  /** Under 5 on the CSAT scale (and each 1–5 rating). */
  csatHigh: string
  /** Under 1 on the CES scale. */
  cesLow: string
  /** Under 7 on the CES scale. */
  cesHigh: string
  /** Placeholder of the follow-up box. */
  optional: string
  /** The button that sends a step. */
  send: string
  /** The accessible name of ×. */
  close: string
  /** Announced when Send comes before a score. */
  pickScore: string
  /** The last step. */
  thanks: string
  /** Before the chosen score on the step after it, e.g. "Your score". */
  yourScore: string
  /** The button that goes back to change the score. */
  change: string
  /** The follow-up for a middle score (CSAT 3, CES 4) when the survey sets no `followUp.neutral`. */
  neutralFollowUp: string
}

/** A language as the worker serves it: which one, its writing direction, and the card's texts in it. */
export interface Language {
  /** The language the texts are in, also the card's `lang`. */
  locale: Locale
  /** Its writing direction: the card is mirrored for `rtl`. */
  dir: 'ltr' | 'rtl'
  /** The card's texts in it. */
  texts: WidgetTexts
}

/** Values a checkpoint or identify call may carry. */
export type PropValue = string | number | boolean

/**
 * Where a score falls. NPS: detractor 0–6, passive 7–8, promoter 9–10.
 * CSAT: low 1–3, high 4–5. CES: low 1–4, high 5–7.
 */
export type ScoreBand = 'detractor' | 'passive' | 'promoter' | 'low' | 'high'

/**
 * Which follow-up prompt a score gets: its band, except that the middle of a CSAT or CES scale
 * (CSAT 3, CES 4) is `neutral`, which is neither asked "what went wrong" nor "what did you like".
 */
export type FollowUpKey = ScoreBand | 'neutral'

/** The band a score falls in for a survey type. */
export function scoreBand(type: SurveyType, score: number): ScoreBand {
  if (type === 'nps') return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor'
  return score >= (type === 'csat' ? 4 : 5) ? 'high' : 'low'
}

/** A test on one trait or checkpoint prop; `in` takes a list, the others one value. */
export type Condition =
  | { prop: string; op: 'eq' | 'neq'; value: PropValue }
  | { prop: string; op: 'in'; value: PropValue[] }
  | { prop: string; op: 'lt' | 'lte' | 'gt' | 'gte'; value: number }
  | { prop: string; op: 'exists' }

/**
 * A named segment and the conditions (all must hold) that put a visitor in it,
 * e.g. `{ id: 'new', when: [{ prop: 'accountAgeDays', op: 'lte', value: 30 }] }`.
 * A visitor is in the first segment that matches, in site order, else in `other`.
 */
export interface SegmentRule {
  id: string
  when: Condition[]
}

/** Who a survey may be shown to; every part given must hold. */
export interface Targeting {
  /** Show only to these segments. */
  segments?: string[]
  /** Conditions on traits and checkpoint props, all of which must hold. */
  conditions?: Condition[]
  /** Show only on pages whose path matches this pattern (`*` matches any run of characters). */
  urlPattern?: string
}

/** One extra 1–5 rating asked after the score, e.g. delivery speed. */
export interface Dimension {
  id: string
  label: LocalizedText
}

/** Where the card sits on the page. `inline` renders into the host's `container`. */
export type Placement = 'bottom-right' | 'bottom-left' | 'center' | 'inline'

/** Look of the card, as CSS values; everything optional. */
export interface Theme {
  brand?: string
  text?: string
  background?: string
  radius?: string
  font?: string
}

/** The public part of a survey, as served by `GET /v1/sites/{site}/config`. */
export interface PublicSurvey {
  /** Stable id, e.g. `post-purchase-nps`. */
  id: string
  type: SurveyType
  /** Checkpoint names that may trigger this survey. */
  checkpoints: string[]
  /** The question, per language. */
  question: LocalizedText
  /** Follow-up prompt asked after the score, per band (e.g. "What could we do better?" for detractors), and `neutral` for CSAT 3 and CES 4. */
  followUp?: Partial<Record<FollowUpKey, LocalizedText>>
  /** Ratings asked after the follow-up, 1–5 each. */
  dimensions?: Dimension[]
  targeting?: Targeting
  /** Share of visitors asked, per segment id (0…1); `default` for the rest. Missing means everyone. */
  sampling?: Record<string, number>
  /** Days before the same visitor is asked this survey again. */
  cooldownDays?: number
  /** Wait this long after the checkpoint before showing, in ms. */
  delayMs?: number
  placement?: Placement
  /** CSS selector of the host element, for `placement: 'inline'`. */
  container?: string
  theme?: Theme
  /** Overrides of the card's own texts, per language and text key. */
  texts?: Partial<Record<Locale, Partial<WidgetTexts>>>
}

/**
 * The card a worker serves: its content-hashed file, which a browser may keep for a year
 * without ever meeting another release's card under that name, and the version of the
 * SDK–widget contract it speaks.
 */
export interface WidgetChunk {
  /** Relative to the worker's origin, e.g. `chunks/widget.1a2b3c4d.js`. */
  url: string
  /** The contract version: an SDK that speaks another one does not load the card. */
  contract: number
}

/** `GET /v1/sites/{site}/config?lang={tag}` body. */
export interface SiteConfig {
  site: string
  /**
   * The nearest language the worker has to the `lang` asked for, with the card's texts in it;
   * the surveys' texts come in this language and English (the fallback) only.
   */
  language: Language
  /** The card to load for these surveys. */
  widget: WidgetChunk
  /** Segments in the order they are tried. */
  segments: SegmentRule[]
  /** At most one survey per this many days per visitor, across all surveys (0: no cap). */
  capDays: number
  /** When true, a browser sending Global Privacy Control is never surveyed. */
  respectGpc: boolean
  /**
   * Checkpoint props that name what an answer is about (an order or ticket number), tried in
   * order: the SDK sends the first one present as the answer's `subject`.
   */
  subjectProps?: string[]
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
  /** The segment the SDK put the visitor in. */
  segment?: string
  /** The follow-up answer, at most 2,000 characters. */
  comment?: string
  /** Dimension ratings, 1–5, by dimension id. */
  dimensions?: Record<string, number>
  /** Opaque visitor id made by the SDK. */
  visitor?: string
  /** The app's user id, from `identify`. */
  user?: string
  locale?: string
  /** Milliseconds from the card showing to the score being chosen. An answer without it (or without `visitor`) is flagged `incomplete`. */
  elapsedMs?: number
  /**
   * When the score was chosen, in ms since the epoch (the device's clock), so an answer that
   * waited in the outbox lands on its day. The worker takes it within the past 7 days and never
   * later than its own clock; otherwise the answer is dated when it arrives.
   */
  answeredAt?: number
  /** What the answer is about (an order or ticket number), from the checkpoint prop the site names in `subjectProps`, as the page gave it; the worker keeps its first 128 characters, as text. */
  subject?: PropValue
  /** The survey link (`/s/{token}`) this answer came through; such an answer may change its score. */
  link?: string
}

/** `POST /v1/responses` body: one response or a batch of at most 50. */
export type ResponsesRequest = ResponseInput | { responses: ResponseInput[] }

/** What the worker did with one posted response. */
export interface ResponseResult {
  id: string
  status: 'stored' | 'duplicate' | 'updated'
}

/** A survey shown or dismissed, posted to `POST /v1/impressions`, for response rates. */
export interface ImpressionInput {
  /** Made on the client (UUID); idempotent like responses. */
  id: string
  site: string
  survey: string
  kind: 'shown' | 'dismissed'
  checkpoint?: string
  segment?: string
  /** Opaque visitor id made by the SDK. An impression without one is flagged `incomplete`, like an answer. */
  visitor?: string
  /** The app's user id, from `identify`: a `shown` impression counts towards that user's fatigue on every device. */
  user?: string
  /** When the card was shown or dismissed, in ms since the epoch; taken within the same bounds as `ResponseInput.answeredAt`. */
  at?: number
  /** The survey link this impression came through. */
  link?: string
}

/** `POST /v1/impressions` body: one impression or a batch of at most 50. */
export type ImpressionsRequest = ImpressionInput | { impressions: ImpressionInput[] }

/**
 * `POST /v1/fatigue` body: may this identified user be asked this survey now? The worker
 * counts what it saw of the user on every device and through survey links.
 */
export interface FatigueRequest {
  site: string
  user: string
  survey: string
}

/** `POST /v1/fatigue` answer: `ask`, or why not (the site's cap, or the survey's own cooldown). */
export type FatigueResult = { ask: true } | { ask: false; reason: 'fatigue' | 'cooldown' }

/** The body of every 4xx. */
export interface ErrorBody {
  error: {
    code: string
    message: string
    /** The request field at fault, when there is one. */
    field?: string
  }
}
