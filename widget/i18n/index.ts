import type { Locale, LocalizedText } from '../../sdk/protocol.ts'
import { en, type Messages } from './en.ts'
import { ja } from './ja.ts'
import { zhCN } from './zh-CN.ts'
import { zhTW } from './zh-TW.ts'

/** Every language the widget ships; adding one is one file and one line here. */
export const messages: Record<Locale, Messages> = { en, 'zh-CN': zhCN, 'zh-TW': zhTW, ja }

export type { Messages }

/** A survey's own text in `locale`, falling back to English. */
export function localize(text: LocalizedText, locale: Locale): string {
  return text[locale] ?? text.en
}
