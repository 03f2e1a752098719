import * as OpenCC from 'opencc-js'
import { describe, expect, it } from 'vitest'
import { evalSet } from '../../test/tags-eval/eval-set.ts'
import { classifyComment } from './classify.ts'
import { hantPairs } from './hant-table.ts'
import { builtInGroups, negations, shields, wordList } from './lexicon.ts'
import { wordKeys } from './matcher.ts'
import { tagRuleLimits } from './rules.ts'
import { stem, toClauses } from './text.ts'

const keysOf = (text: string) => toClauses(text).map((clause) => clause.map((unit) => unit.key).join(' '))
/** Where a rule word may start, as the clause's keys with `|` before each such unit. */
const starts = (text: string) => toClauses(text).map((clause) => clause.map((unit) => (unit.start ? `|${unit.key}` : unit.key)).join(''))

describe('English words', () => {
  it.each([
    ['delivered', 'deliver'],
    ['delivering', 'deliver'],
    ['delivers', 'deliver'],
    ['deliveries', 'delivery'],
    ['shipping', 'ship'],
    ['shipped', 'ship'],
    ['boxes', 'box'],
    ['arrive', 'arriv'],
    ['arrived', 'arriv'],
    ['arriving', 'arriv'],
    ['replied', 'reply'],
    ['agreed', 'agreed'],
    ['happier', 'happier'],
    ['lately', 'lately'],
    ['late', 'lat'],
    ['chocolate', 'chocolat'],
    ['badge', 'badg'],
    ['bad', 'bad'],
  ])('%s → %s', (word, stemmed) => expect(stem(word)).toBe(stemmed))

  it('keeps contractions and numbers as words, and folds full-width letters and curly quotes', () => {
    expect(keysOf('Couldn’t be happier, 2 days early')).toEqual(["couldn't be happier", '2 day early'])
    expect(keysOf('ＦＡＳＴ Shipping')).toEqual(['fast ship'])
  })
})

describe('Chinese words (Intl.Segmenter in workerd, with ICU’s dictionary)', () => {
  it('keeps the word a character belongs to', () => {
    // 差 starts no word in 出差 or 差不多, but does in 态度差.
    expect(starts('我出差回来')).toEqual(['|我|出差|回来'])
    expect(starts('差不多吧')).toEqual(['|差不多|吧'])
    expect(starts('服务态度差')).toEqual(['|服务|态度|差'])
    // 不错 is one word whose 不 is also a negation: the longest match (不错, praise) wins.
    expect(starts('质量不错')).toEqual(['|质量|不|错'])
  })

  it('lets a word start after a fused degree word or negation, and end before a particle', () => {
    expect(starts('太贵了')).toEqual(['|太|贵了'])
    expect(starts('物流很快')).toEqual(['|物流|很|快'])
    const fused = toClauses('不耐用')[0]!
    expect(fused.map((unit) => [unit.key, unit.start, unit.end])).toEqual([
      ['不', true, true],
      ['耐', true, false],
      ['用', false, true],
    ])
  })

  it('splits clauses at punctuation and contrast words, in both scripts', () => {
    expect(keysOf('东西很好，就是物流太慢')).toEqual(['东 西 很 好', '物 流 太 慢'])
    expect(keysOf('東西很好，但是物流太慢。')).toEqual(['东 西 很 好', '物 流 太 慢'])
    expect(keysOf('Good price but slow delivery!')).toEqual(['good pric', 'slow delivery'])
    expect(keysOf('Fast delivery whereas support was slow')).toEqual(['fast delivery', 'support was slow'])
  })
})

describe('繁體 folds to 简体', () => {
  const pairs = Array.from(hantPairs)
  const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' })
  const fromHongKong = OpenCC.Converter({ from: 'hk', to: 'cn' })

  it('agrees with OpenCC on every pair of the table, and leaves Simplified text as it is', () => {
    const folded = new Set<string>()
    for (let i = 0; i < pairs.length; i += 2) {
      expect([toSimplified(pairs[i]!), fromHongKong(pairs[i]!)]).toContain(pairs[i + 1])
      folded.add(pairs[i]!)
    }
    for (let i = 1; i < pairs.length; i += 2) expect(folded.has(pairs[i]!)).toBe(false)
    expect(pairs.length / 2).toBeGreaterThan(3000)
  })

  it('matches every built-in Chinese word in Hong Kong characters, and lists its Taiwan word as well', () => {
    const toHongKong = OpenCC.Converter({ from: 'cn', to: 'hk' })
    // twp also swaps words: 软件 → 軟體, 屏幕 → 螢幕, 性价比 → 價效比.
    const toTaiwan = OpenCC.Converter({ from: 'cn', to: 'twp' })
    const missing: string[] = []
    let chinese = 0
    for (const tag of new Set(builtInGroups.map((group) => group.tag))) {
      const words = builtInGroups.filter((group) => group.tag === tag).flatMap((group) => wordList(group.words))
      const listed = new Set(words.map((word) => wordKeys(word)!.join('')))
      for (const word of words.filter((word) => /\p{Script=Han}/u.test(word))) {
        chinese++
        if (!listed.has(wordKeys(toHongKong(word))!.join(''))) missing.push(`${tag}: ${toHongKong(word)} for ${word} (hk)`)
        if (!listed.has(wordKeys(toTaiwan(word))!.join(''))) missing.push(`${tag}: ${toTaiwan(word)} for ${word}`)
      }
    }
    expect(chinese).toBeGreaterThan(400)
    expect(missing).toEqual([])
  })

  it('gives every Chinese comment of the evaluation set, converted by OpenCC to the other script, the same tags', () => {
    const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' })
    const differing = evalSet
      .filter((comment) => comment.lang !== 'en')
      .map((comment) => ({ text: comment.text, other: comment.lang === 'zh-CN' ? toTraditional(comment.text) : toSimplified(comment.text) }))
      .filter(({ text, other }) => classifyComment(text).tags.join() !== classifyComment(other).tags.join())
    expect(differing).toEqual([])
  })
})

describe('the built-in words', () => {
  it('are each one clause of at most the units a site’s word may have', () => {
    const all = [...wordList(negations), ...wordList(shields), ...builtInGroups.flatMap((group) => wordList(group.words))]
    const unusable = all.filter((word) => {
      const keys = wordKeys(word)
      return !keys || keys.length === 0 || keys.length > tagRuleLimits.keywordUnits
    })
    expect(unusable).toEqual([])
  })
})
