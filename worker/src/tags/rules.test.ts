import { describe, expect, it } from 'vitest'
import { RequestError } from '../errors.ts'
import { tagRules } from '../sites.ts'
import { legacyDefaultTagRules, siteAdditions, tagRuleLimits, type TagRule } from './rules.ts'

const rejection = (value: unknown): { status: number; message: string } => {
  try {
    tagRules(value, 'settings.tagRules')
  } catch (error) {
    if (error instanceof RequestError) return { status: error.status, message: error.message }
    throw error
  }
  throw new Error('accepted')
}

const words = (count: number, prefix = 'w') => Array.from({ length: count }, (_, i) => `${prefix}${i}`)

describe('a site’s rules are checked', () => {
  it('keeps what is valid, as given, in any script', () => {
    const rules = [
      { tag: 'coffee', keywords: ['espresso', '咖啡', '濃縮咖啡', 'flat white'] },
      { tag: 'problem', keywords: ['cold', '凉了'], whenNegated: 'count' },
      { tag: 'refund-missing', keywords: ['refund'], whenNegated: 'only' },
      { tag: 'praise', keywords: ['cosy'], whenNegated: 'flip' },
    ]
    expect(tagRules(rules, 'settings.tagRules')).toEqual(rules)
    expect(tagRules([{ tag: 'coffee', keywords: ['latte'], extra: 1 }], 'settings.tagRules')).toEqual([{ tag: 'coffee', keywords: ['latte'] }])
  })

  it.each<[name: string, rules: unknown, message: string]>([
    ['a long word', [{ tag: 'x', keywords: ['a'.repeat(41)] }], 'settings.tagRules[0].keywords[0] must be 1 to 40 characters'],
    ['punctuation', [{ tag: 'x', keywords: ['late, slow'] }], 'settings.tagRules[0].keywords[0] must be a word or a short phrase, without punctuation or a contrast word (but, 但是, 不過)'],
    ['a contrast word', [{ tag: 'x', keywords: ['good but slow'] }], 'settings.tagRules[0].keywords[0] must be a word or a short phrase'],
    ['no word at all', [{ tag: 'x', keywords: ['!!!'] }], 'settings.tagRules[0].keywords[0] must be a word or a short phrase'],
    ['too many characters', [{ tag: 'x', keywords: ['物流速度快递员态度很好'] }], 'settings.tagRules[0].keywords[0] may hold at most 10 words or Chinese characters'],
    ['too many words', [{ tag: 'x', keywords: ['a b c d e f g h i j k'] }], 'may hold at most 10 words or Chinese characters'],
    ['no words', [{ tag: 'x', keywords: [] }], 'settings.tagRules[0].keywords must hold at least one word'],
    ['a rule too many', Array.from({ length: 51 }, (_, i) => ({ tag: `t${i}`, keywords: ['w'] })), 'settings.tagRules may hold at most 50 items'],
    ['a word too many in a rule', [{ tag: 'x', keywords: words(101) }], 'settings.tagRules[0].keywords may hold at most 100 items'],
    ['too many words in all', Array.from({ length: 11 }, (_, i) => ({ tag: `t${i}`, keywords: words(100, `r${i}w`) })), 'settings.tagRules may hold at most 1000 keywords in all (these hold 1100)'],
    ['a topic that flips', [{ tag: 'coffee', keywords: ['espresso'], whenNegated: 'flip' }], 'settings.tagRules[0].whenNegated flip is for kinds'],
    ['an unknown negation', [{ tag: 'problem', keywords: ['cold'], whenNegated: 'invert' }], 'settings.tagRules[0].whenNegated must be one of flip, count, skip, only'],
    ['a tag with spaces', [{ tag: 'two words', keywords: ['x'] }], 'settings.tagRules[0].tag is not well-formed'],
  ])('rejects %s with a 400 that says so', (_name, rules, message) => {
    const { status, message: said } = rejection(rules)
    expect(status).toBe(400)
    expect(said).toContain(message)
  })

  it('accepts rules right at every limit', () => {
    // 50 rules, 1,000 words: nine of 100, one of 60 with the longest words allowed, forty of one.
    const rules = [
      ...Array.from({ length: 9 }, (_, i) => ({ tag: `full${i}`, keywords: words(100, `f${i}w`) })),
      { tag: 'longest', keywords: [...words(58, 'l'), 'a'.repeat(40), '一二三四五六七八九十'] },
      ...Array.from({ length: 40 }, (_, i) => ({ tag: `one${i}`, keywords: ['w'] })),
    ]
    expect(rules).toHaveLength(tagRuleLimits.rules)
    expect(tagRules(rules, 'settings.tagRules')).toEqual(rules)
    expect(rejection([...rules.slice(0, 49), { tag: 'one39', keywords: ['w', 'v'] }]).message).toContain('(these hold 1001)')
  })
})

describe('stored rules are read as additions to the built-in words', () => {
  it('reads the old default rules as adding nothing', () => {
    expect(siteAdditions(legacyDefaultTagRules)).toEqual([])
  })

  it('keeps the words a site added to an old default rule, and its own rules', () => {
    const stored: TagRule[] = [
      ...legacyDefaultTagRules.map((rule) => (rule.tag === 'delivery' ? { ...rule, keywords: [...rule.keywords, '顺丰', 'DHL'] } : rule)),
      { tag: 'pricing', keywords: ['expensive', '贵'] },
    ]
    expect(siteAdditions(stored)).toEqual([
      { tag: 'delivery', keywords: ['顺丰', 'DHL'] },
      { tag: 'pricing', keywords: ['expensive', '贵'] },
    ])
  })

  it('reads rules stored under older, looser limits up to today’s', () => {
    const stored: TagRule[] = [
      { tag: 'a', keywords: [...words(100, 'a'), 'x'.repeat(60)] },
      ...Array.from({ length: 60 }, (_, i) => ({ tag: `t${i}`, keywords: words(100, `t${i}w`) })),
    ]
    const read = siteAdditions(stored)
    expect(read.length).toBeLessThanOrEqual(tagRuleLimits.rules)
    expect(read.reduce((total, rule) => total + rule.keywords.length, 0)).toBe(tagRuleLimits.keywords)
    expect(read[0]!.keywords).not.toContain('x'.repeat(60))
  })
})
