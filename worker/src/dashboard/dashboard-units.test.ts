import { describe, expect, it } from 'vitest'
import type { StatsResult } from '../stats-result.ts'
import { headline, npsSummary, shareSummary } from '../scores.ts'
import type { Survey } from '../surveys.ts'
import { chooseLang, messagesFor } from './i18n.ts'
import { adviceText } from './stats-section.tsx'
import { sampleGuidance } from './sample-size.ts'
import type { TagRule } from '../tags.ts'
import { formatTagRules, parseTagRulesText } from './tag-rules-text.ts'

const withNps = (promoters: number, passives: number, detractors: number) =>
  ({ nps: npsSummary(new Map([[10, promoters], [8, passives], [3, detractors]])) }) as StatsResult

describe('sample-size guidance', () => {
  it('gives the margin now and the answers an interval 10 points wide would take, by the adjusted-Wald NPS formula solved for n', () => {
    // 17 promoters, 12 passives, 13 detractors: n′ = 45, p′ = 17.75/45, d′ = 13.75/45, so v = p′ + d′ − (p′ − d′)² ≈ 0.6921,
    // the margin is 1.96·√(0.6921/45) ≈ 24.3 points and ±5 needs 1.96²·0.6921/0.05² − 3 ≈ 1061 answers.
    const guidance = sampleGuidance(withNps(17, 12, 13))
    expect(guidance.n).toBe(42)
    expect(guidance.margin).toBe(24.3)
    expect(guidance.needed).toBe(1100)
    // What an operator reads is the score and the interval's own ends: NPS′ = 4/45 ≈ 8.9, so 8.9 ∓ 24.3, not 9.5 ± 24.3.
    expect(headline(withNps(17, 12, 13))).toMatchObject({ score: 9.5, interval: [-15.4, 33.2] })
  })

  it('never says 0 more are needed: three promoters still need hundreds', () => {
    // v = 0.5 at n′ = 6: 1.96²·0.5/0.05² − 3 ≈ 766.
    expect(sampleGuidance(withNps(3, 0, 0))).toEqual({ n: 3, margin: 56.6, needed: 770 })
    expect(headline(withNps(3, 0, 0))).toMatchObject({ score: 100, interval: [-6.6, 100] })
    // One satisfied answer: s′ = 3/5, 1.96²·0.24/0.05² ≈ 369.
    expect(sampleGuidance({ csat: shareSummary(new Map([[5, 1]]), 4) } as StatsResult).needed).toBe(370)
  })

  it('uses the worst case when there are no answers yet, and the Wilson half-width for a share', () => {
    expect(sampleGuidance(withNps(0, 0, 0))).toEqual({ n: 0, margin: null, needed: 1600 })
    expect(headline(withNps(0, 0, 0))).toMatchObject({ score: null, interval: null })
    const csat = sampleGuidance({ csat: shareSummary(new Map([[5, 80], [2, 20]]), 4) } as StatsResult)
    expect(csat.n).toBe(100)
    expect(csat.margin).toBeGreaterThan(7)
    expect(csat.margin).toBeLessThan(9)
    // s′ = 82/104: 1.96²·s′(1 − s′)/0.05² ≈ 257.
    expect(csat.needed).toBe(260)
  })

  it('asks for at least the answers a period needs before a change is tested', () => {
    // 600 passives: v ≈ 0.0025, so ±5 needs about 1; a significance call still needs 30.
    expect(sampleGuidance(withNps(0, 600, 0)).needed).toBe(30)
  })
})

describe('key-driver advice in the dashboard’s words', () => {
  it('says a tie is a tie, in English and Chinese, naming the lowest-rated of the tied', () => {
    const survey = { id: 's', type: 'nps', dimensions: [{ id: 'delivery', label: { en: 'Delivery speed', 'zh-CN': '配送速度' } }, { id: 'product', label: { en: 'Product quality', 'zh-CN': '产品质量' } }] } as unknown as Survey
    const correlation = { r: 0.45, interval: [0.3, 0.58] as [number, number] }
    const drivers = {
      minAnswers: 30,
      drivers: [
        { id: 'delivery', n: 150, mean: 2.01, withScore: correlation, withOutcome: correlation },
        { id: 'product', n: 150, mean: 3.97, withScore: correlation, withOutcome: correlation },
      ],
      advice: { kind: 'tied' as const, dimension: null, lowest: 'delivery', tied: ['delivery', 'product'], statement: '' },
    }
    expect(adviceText(messagesFor('en'), 'en', survey, drivers)).toBe(
      'Delivery speed and Product quality are tied: none goes with the score clearly more than the others (their intervals overlap). Of them, Delivery speed scores lowest (2 / 5).',
    )
    expect(adviceText(messagesFor('zh-CN'), 'zh-CN', survey, drivers)).toBe('配送速度和产品质量不相上下：没有哪一项与得分的相关明显更强（区间重叠）。其中配送速度评分最低（2 / 5）。')
  })
})

describe('language choice', () => {
  it('prefers ?lang=, then Accept-Language by weight, then English', () => {
    expect(chooseLang('zh-CN', 'en')).toBe('zh-CN')
    expect(chooseLang('fr', 'zh-TW,zh;q=0.9')).toBe('zh-CN')
    expect(chooseLang(undefined, 'fr;q=1, en;q=0.5, zh;q=0.8')).toBe('zh-CN')
    expect(chooseLang(undefined, 'de')).toBe('en')
    expect(chooseLang(undefined, undefined)).toBe('en')
  })
})

describe('tag rules text', () => {
  it('round-trips rules, and accepts Chinese punctuation', () => {
    const rules = [{ tag: 'price', keywords: ['expensive', '贵'] }]
    expect(parseTagRulesText(formatTagRules(rules))).toEqual({ rules })
    expect(parseTagRulesText('price：贵，便宜、折扣')).toEqual({ rules: [{ tag: 'price', keywords: ['贵', '便宜', '折扣'] }] })
    expect(parseTagRulesText('ok: a\nno colon here')).toEqual({ badLine: 2 })
    expect(parseTagRulesText('empty:')).toEqual({ badLine: 1 })
  })

  it('keeps what a negation does when the editor saves the rules', () => {
    const rules: TagRule[] = [
      { tag: 'problem', keywords: ['cold', '凉了'], whenNegated: 'flip' },
      { tag: 'gift-wrap', keywords: ['gift wrap'], whenNegated: 'skip' },
      { tag: 'refund-missing', keywords: ['refund', '退款'], whenNegated: 'only' },
      { tag: 'coffee', keywords: ['espresso'], whenNegated: 'count' },
      { tag: 'delivery', keywords: ['顺丰'] },
    ]
    const text = formatTagRules(rules)
    expect(text.split('\n')[2]).toBe('refund-missing (only): refund, 退款')
    expect(parseTagRulesText(text)).toEqual({ rules })
    expect(parseTagRulesText('退款（only）：退款，refund')).toEqual({ rules: [{ tag: '退款', keywords: ['退款', 'refund'], whenNegated: 'only' }] })
    expect(parseTagRulesText('coffee: latte\nrefund (sometimes): refund')).toEqual({ badLine: 2 })
  })
})
