import type { Condition, Locale, LocalizedText, PublicSurvey, SegmentRule, SurveyType, WidgetTexts } from '../../sdk/protocol.ts'
import { languages, LOCALES } from './languages.ts'
import { surveyInLanguage } from './survey-language.ts'
import {
  array,
  idPattern,
  integer,
  keyName,
  number,
  object,
  oneOf,
  optional,
  parseObject,
  partial,
  record,
  reject,
  text,
  wellFormed,
  type Check,
  type Schema,
} from './validate.ts'

/** A target an operator sets for a survey: NPS ≥ 40, CSAT ≥ 85 (%), CES ≥ 80 (% easy). */
export interface Goal {
  target: number
}

/** A survey as the worker keeps it: the public part plus what only operators see. */
export interface Survey extends PublicSurvey {
  goal?: Goal
  /** Weights of the dimensions in the composite satisfaction index; missing ones weigh 1. */
  dimensionWeights?: Record<string, number>
  /** Answers one visitor may give within the cooldown (or 30 days) before more are flagged `repeat`. */
  maxAnswersPerVisitor?: number
  /** Answers chosen sooner than this after the card showed are flagged `fast` (default 1,000 ms). */
  minAnswerMs?: number
  /** Answers at or below this score open a follow-up (default NPS 6, CSAT 2, CES 3). */
  followUpAt?: number
  /** Hours the team has to follow up (default 48). */
  followUpHours?: number
}

/** What a page may show of a survey (the config, a link page): no goals, weights or cleaning thresholds, and its texts in `locale` and English only. */
export function publicSurvey(survey: Survey, locale: Locale): PublicSurvey {
  const { goal: _goal, dimensionWeights: _weights, maxAnswersPerVisitor: _max, minAnswerMs: _min, followUpAt: _at, followUpHours: _hours, ...rest } = survey
  return surveyInLanguage(rest, locale)
}

/** A text in English and any of the worker's other languages. */
const localized = (max: number): Check<LocalizedText> =>
  object({ en: text(max), ...Object.fromEntries(LOCALES.filter((locale) => locale !== 'en').map((locale) => [locale, optional(text(max))])) } as Schema<LocalizedText>)

/** A survey's overrides of the card's texts: per language the worker has, any of the card's text keys. */
const textOverrides: Check<Partial<Record<Locale, Partial<WidgetTexts>>>> = partial(
  Object.fromEntries(
    LOCALES.map((locale) => [locale, partial(Object.fromEntries(Object.keys(languages.en.widget).map((key) => [key, text(300)])) as Schema<WidgetTexts>)]),
  ) as Schema<Record<Locale, Partial<WidgetTexts>>>,
)

const propValue: Check<string | number | boolean> = (value, field) =>
  typeof value === 'string'
    ? wellFormed(value, field)
    : typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))
      ? value
      : reject(field, 'must be a string, a number or a boolean')

const condition: Check<Condition> = (value, field) => {
  const { op } = parseObject({ op: oneOf('eq', 'neq', 'in', 'lt', 'lte', 'gt', 'gte', 'exists') }, value, field)
  const prop = text(64)
  if (op === 'exists') return parseObject({ prop, op: oneOf('exists') }, value, field)
  if (op === 'in') return parseObject({ prop, op: oneOf('in'), value: array(50, propValue) }, value, field)
  if (op === 'eq' || op === 'neq') return parseObject({ prop, op: oneOf('eq', 'neq'), value: propValue }, value, field)
  return parseObject({ prop, op: oneOf('lt', 'lte', 'gt', 'gte'), value: number(-1e15, 1e15) }, value, field)
}

export const segmentRule: Check<SegmentRule> = object({ id: text(64, idPattern), when: array(20, condition) })

const surveySchema = {
  id: text(64, /^[a-z0-9][a-z0-9_-]*$/),
  type: oneOf<SurveyType>('nps', 'csat', 'ces'),
  checkpoints: array(20, text(64, idPattern)),
  question: localized(300),
  followUp: optional(
    object({
      detractor: optional(localized(300)),
      passive: optional(localized(300)),
      promoter: optional(localized(300)),
      low: optional(localized(300)),
      high: optional(localized(300)),
      neutral: optional(localized(300)),
    }),
  ),
  dimensions: optional(array(10, object({ id: keyName(text(64, idPattern)), label: localized(120) }))),
  targeting: optional(
    object({
      segments: optional(array(20, text(64, idPattern))),
      conditions: optional(array(20, condition)),
      urlPattern: optional(text(300)),
    }),
  ),
  sampling: optional(record(20, idPattern, number(0, 1))),
  cooldownDays: optional(integer(0, 3650)),
  delayMs: optional(integer(0, 600_000)),
  placement: optional(oneOf('bottom-right', 'bottom-left', 'center', 'inline')),
  container: optional(text(200)),
  theme: optional(
    object({
      brand: optional(text(100)),
      text: optional(text(100)),
      background: optional(text(100)),
      radius: optional(text(100)),
      font: optional(text(200)),
    }),
  ),
  texts: optional(textOverrides),
  goal: optional(object({ target: number(-100, 100) })),
  dimensionWeights: optional(record(10, idPattern, number(0, 100))),
  maxAnswersPerVisitor: optional(integer(1, 1000)),
  minAnswerMs: optional(integer(0, 60_000)),
  followUpAt: optional(integer(-1, 10)),
  followUpHours: optional(integer(1, 24 * 90)),
} satisfies Schema<Survey>

/**
 * Checks a survey definition as an operator sends it (`PUT …/surveys/:id`), against the
 * segments its site defines: a survey targeting a segment no rule defines would never show,
 * and a sampling rate for one would never apply.
 */
export function parseSurvey(value: unknown, segments: readonly SegmentRule[]): Survey {
  const survey = parseObject(surveySchema, value)
  if (survey.checkpoints.length === 0) reject('checkpoints', 'must name at least one checkpoint')
  if (survey.placement === 'inline' && !survey.container) reject('container', 'is required for an inline survey')
  const dimensionIds = new Set(survey.dimensions?.map((dimension) => dimension.id))
  for (const id of Object.keys(survey.dimensionWeights ?? {})) {
    if (!dimensionIds.has(id)) reject(`dimensionWeights.${id}`, 'names no dimension of this survey')
  }
  // `other` is every visitor no segment rule matches; `default` in sampling is everyone else.
  const defined = ['other', ...segments.map((segment) => segment.id)]
  const defines = `(it defines: ${[...defined.slice(1), 'other'].join(', ')})`
  const undefinedTargets = (survey.targeting?.segments ?? []).filter((id) => !defined.includes(id))
  if (undefinedTargets.length) {
    reject('targeting.segments', `names segments the site does not define: ${undefinedTargets.join(', ')} ${defines}; add them to the site's settings.segments first`)
  }
  for (const id of Object.keys(survey.sampling ?? {})) {
    if (id !== 'default' && !defined.includes(id)) reject(`sampling.${id}`, `names a segment the site does not define: ${id} ${defines}; add it to the site's settings.segments first`)
  }
  return survey
}

type SurveyRow = { id: string; type: SurveyType; definition: string }

const toSurvey = (row: SurveyRow): Survey => ({ ...(JSON.parse(row.definition) as Omit<Survey, 'id' | 'type'>), id: row.id, type: row.type })

/** A site's surveys, by id. */
export async function listSurveys(db: D1Database, siteId: string): Promise<Survey[]> {
  const { results } = await db.prepare('SELECT id, type, definition FROM surveys WHERE site_id = ? ORDER BY id').bind(siteId).all<SurveyRow>()
  return results.map(toSurvey)
}

export async function findSurvey(db: D1Database, siteId: string, surveyId: string): Promise<Survey | null> {
  const row = await db
    .prepare('SELECT id, type, definition FROM surveys WHERE site_id = ? AND id = ?')
    .bind(siteId, surveyId)
    .first<SurveyRow>()
  return row && toSurvey(row)
}

/** The statement that creates or replaces a survey. */
export function putSurveyStatement(db: D1Database, siteId: string, { id, type, ...definition }: Survey, now = Date.now()): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO surveys (site_id, id, type, definition, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (site_id, id) DO UPDATE SET type = excluded.type, definition = excluded.definition, updated_at = excluded.updated_at`,
    )
    .bind(siteId, id, type, JSON.stringify(definition), now)
}
