import type { Language, LocalizedText, Locale, PublicSurvey, WidgetTexts } from '../sdk/protocol.ts'

/** A survey's own text (question, prompt, label) in the visitor's language, else English. */
export function localize(text: LocalizedText, locale: Locale): string {
  return text[locale] ?? text.en
}

/**
 * The card's texts: the worker's for the visitor's language, under the survey's own overrides
 * for that language. The widget ships no language of its own, so any number can be added.
 */
export function cardTexts(survey: PublicSurvey, language: Language): WidgetTexts {
  return { ...language.texts, ...survey.texts?.[language.locale] }
}
