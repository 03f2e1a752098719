import type { Locale } from './protocol.ts'

/** Maps a BCP 47 tag (`zh-Hant-HK`, `en-GB`, …) to a language the widget ships. */
export function toLocale(tag: string | undefined): Locale {
  const lower = (tag ?? '').toLowerCase()
  if (lower.startsWith('ja')) return 'ja'
  if (!lower.startsWith('zh')) return 'en'
  return /hant|-tw|-hk|-mo/.test(lower) ? 'zh-TW' : 'zh-CN'
}

