import { describe, expect, it } from 'vitest'
import { toLocale } from './locale.ts'

describe('toLocale', () => {
  it.each([
    ['en-GB', 'en'],
    ['fr', 'en'],
    [undefined, 'en'],
    ['zh', 'zh-CN'],
    ['zh-CN', 'zh-CN'],
    ['zh-Hans-SG', 'zh-CN'],
    ['zh-TW', 'zh-TW'],
    ['zh-HK', 'zh-TW'],
    ['zh-Hant', 'zh-TW'],
    ['ja-JP', 'ja'],
  ] as const)('%s → %s', (tag, locale) => {
    expect(toLocale(tag)).toBe(locale)
  })
})
