import { describe, expect, it } from 'vitest'
import { chatText, cut, inert, utf8Bytes, type AlertItem } from './alert-text.ts'
import { CHAT_RULES } from './webhook-formats.ts'

const item = (overrides: Partial<AlertItem> = {}): AlertItem => ({
  kind: 'negative', responseId: 'r1', survey: 'nps', type: 'nps', score: 3, band: 'detractor', comment: null, checkpoint: '', segment: '',
  visitor: 'v1', user: null, subject: null, createdAt: 0, eventAt: 0, followUp: null, ...overrides,
})

describe('alert text', () => {
  it('makes mention and link syntax inert and keeps the words', () => {
    expect(inert('<at user_id="all">所有人</at> @all [x](https://e.example) <!here>')).toBe('＜at user_id="all"＞所有人＜/at＞ ＠all ［x］(https://e.example) ＜!here＞')
    expect(inert('a\u202Eevil\u200B b\n\nc')).toBe('aevil b c')
    expect(inert('👨‍👩‍👧')).toBe('👨‍👩‍👧')
  })

  it('cuts by cost at grapheme boundaries and marks the cut', () => {
    const bytes = { cost: utf8Bytes }
    expect(cut('你好世界', 12, bytes)).toBe('你好世界')
    expect(cut('你好世界', 11, bytes)).toBe('你好…')
    expect(cut('ab👍🏽cdef', 9, bytes)).toBe('ab…')
    expect(cut('ab👍🏽cdef', 13, bytes)).toBe('ab👍🏽…')
    expect(cut('ab👍🏽cdef', 14, bytes)).toBe('ab👍🏽cdef')
  })

  it('puts the worst first in a merged message and fits every limit', () => {
    const items = [item({ score: 6, responseId: 'a' }), item({ kind: 'high_risk', score: 5, responseId: 'b' }), item({ score: 0, responseId: 'c', comment: '差'.repeat(2000) })]
    for (const [format, rules] of Object.entries(CHAT_RULES)) {
      const text = chatText({ siteName: 'Shop', items, dashboardUrl: 'https://h.example/dashboard', now: 120_000 }, rules)
      expect(text.startsWith('[Hearken · Shop] 3 alerts in the last 2 minutes: 1 high-risk customer, 2 unhappy answers, worst first:'), format).toBe(true)
      const lines = text.split('\n')
      expect(lines[1]).toMatch(/High-risk customer: NPS 5/)
      expect(lines[2]).toMatch(/Unhappy answer: NPS 0/)
      let total = 0
      for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) total += rules.cost(segment)
      expect(total, format).toBeLessThanOrEqual(rules.limit)
    }
  })
})
