import type { Locale, LocalizedText, PublicSurvey } from '../../sdk/protocol.ts'

/** A text in one language and English, its fallback: all a card in that language can show. */
const inLanguage = (text: LocalizedText, locale: Locale): LocalizedText => (text[locale] === undefined ? { en: text.en } : { en: text.en, [locale]: text[locale] })

/**
 * A survey as a card in `locale` shows it: its question, follow-up prompts and rating labels in
 * that language and English, and only that language's overrides of the card's texts (the card
 * falls back to the worker's texts, not to English overrides). A site with many languages does
 * not send every visitor all of them.
 */
export function surveyInLanguage(survey: PublicSurvey, locale: Locale): PublicSurvey {
  const { question, followUp, dimensions, texts, ...rest } = survey
  const overrides = texts?.[locale]
  return {
    ...rest,
    question: inLanguage(question, locale),
    ...(followUp && { followUp: Object.fromEntries(Object.entries(followUp).map(([key, text]) => [key, inLanguage(text, locale)])) }),
    ...(dimensions && { dimensions: dimensions.map((dimension) => ({ ...dimension, label: inLanguage(dimension.label, locale) })) }),
    ...(overrides && { texts: { [locale]: overrides } }),
  }
}
