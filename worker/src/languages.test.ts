import { describe, expect, it } from 'vitest'
import { LOCALES, language, languages, localeFromAcceptLanguage, nearestLocale } from './languages.ts'

describe('the language tables', () => {
  it('speak at least English, both Chinese, Japanese, Korean, Spanish, French, German and Arabic', () => {
    expect(LOCALES).toEqual(expect.arrayContaining(['en', 'zh-CN', 'zh-TW', 'ja', 'ko', 'es', 'fr', 'de', 'ar']))
  })

  it('give every language every text, none left empty or in English by mistake', () => {
    const keys = (value: object) => Object.keys(value).sort()
    for (const locale of LOCALES) {
      const table = languages[locale]
      expect(keys(table.widget)).toEqual(keys(languages.en.widget))
      expect(keys(table.link)).toEqual(keys(languages.en.link))
      const texts = [...Object.values(table.widget), ...Object.values(table.link).flat()]
      expect(texts.every((text) => text.trim().length > 0)).toBe(true)
      if (locale !== 'en') expect(table.widget.thanks).not.toBe(languages.en.widget.thanks)
    }
  })

  it('write Arabic right to left and the others left to right', () => {
    expect(LOCALES.filter((locale) => language(locale).dir === 'rtl')).toEqual(['ar'])
  })
})

describe('the nearest language', () => {
  it.each([
    ['en-GB', 'en'],
    ['fr-CA', 'fr'],
    ['de-AT', 'de'],
    ['es-419', 'es'],
    ['ja-JP', 'ja'],
    ['ko-KR', 'ko'],
    ['ar-EG', 'ar'],
    ['zh', 'zh-CN'],
    ['zh-CN', 'zh-CN'],
    ['zh-SG', 'zh-CN'],
    ['zh-Hans-HK', 'zh-CN'],
    ['zh-TW', 'zh-TW'],
    ['zh-HK', 'zh-TW'],
    ['zh-MO', 'zh-TW'],
    ['zh-Hant', 'zh-TW'],
    ['zh_TW', 'zh-TW'],
    ['pt-BR', 'en'],
    ['', 'en'],
    ['not a tag!', 'en'],
    [undefined, 'en'],
  ] as const)('%s → %s', (tag, locale) => {
    expect(nearestLocale(tag)).toBe(locale)
  })

  it.each([
    ['fr-CH, fr;q=0.9, en;q=0.8', 'fr'],
    ['pt-BR,pt;q=0.9,es;q=0.8,en;q=0.7', 'es'],
    ['en-US,en;q=0.9,ja;q=0.8', 'en'],
    ['ja;q=0.5, ko;q=0.9', 'ko'],
    ['de;q=0, it', 'en'],
    ['*', 'en'],
    [undefined, 'en'],
  ] as const)('Accept-Language %s → %s', (header, locale) => {
    expect(localeFromAcceptLanguage(header)).toBe(locale)
  })
})
