import type { Locale, LocalizedText, PublicSurvey } from '../../sdk/protocol.ts'
import { en, type Messages } from './en.ts'
import { zhCN } from './zh-CN.ts'
import { zhTW } from './zh-TW.ts'

/**
 * Every language the widget ships; adding one is one file and one line here. Each costs every
 * visitor bytes (Japanese would be about 280 gzip), so a language not listed falls back to
 * English, and a survey can carry that language's texts in `survey.texts`.
 */
export const messages: Partial<Record<Locale, Messages>> = { en, 'zh-CN': zhCN, 'zh-TW': zhTW }

export type { Messages }

/** A survey's own text in `locale`, falling back to English. */
export function localize(text: LocalizedText, locale: Locale): string {
  return text[locale] ?? text.en
}

/**
 * The widget's texts in `locale`, with the survey's overrides for that language on top.
 * English underneath, so a key a newer language file lacks still reads as something.
 */
export function textsFor(survey: PublicSurvey, locale: Locale): Messages {
  return { ...en, ...messages[locale], ...survey.texts?.[locale] }
}
