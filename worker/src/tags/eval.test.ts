import { describe, expect, it } from 'vitest'
import { evalSet, evalTopics, outsideSet, splitEvalSet } from '../../test/tags-eval/eval-set.ts'
import { score } from '../../test/tags-eval/score.ts'
import { classifyComment } from './classify.ts'

// Issue 17 is done when kind accuracy on the evaluation set is at least 90 % and each topic's
// precision at least 85 %. The held-out quarter, never tuned on, must meet the same bar.
const { heldOut } = splitEvalSet()

describe.each([
  ['the whole evaluation set', evalSet],
  ['its held-out quarter', heldOut],
])('on %s', (_name, comments) => {
  const result = score(comments, (text) => classifyComment(text))

  it('gets the kind right for at least 90 % of the comments', () => {
    expect(result.kindAccuracy).toBeGreaterThanOrEqual(0.9)
  })

  it.each(evalTopics)('tags %s with at least 85 % precision', (topic) => {
    const tag = result.tags.find((candidate) => candidate.tag === topic)!
    expect(tag.predicted).toBeGreaterThan(0)
    expect(tag.precision).toBeGreaterThanOrEqual(0.85)
  })
})

it('splits the set the same way every time: a quarter of each language held out', () => {
  const again = splitEvalSet()
  expect(again.heldOut.map((comment) => comment.id)).toEqual(heldOut.map((comment) => comment.id))
  for (const lang of ['zh-CN', 'zh-TW', 'en'] as const) {
    const all = evalSet.filter((comment) => comment.lang === lang).length
    expect(heldOut.filter((comment) => comment.lang === lang).length).toBe(Math.round(all / 4))
  }
  expect(new Set(evalSet.map((comment) => comment.id)).size).toBe(evalSet.length)
})

// The outside set (README.md beside comments.json) was written after the rules, in everyday
// wording; before the tuning of its listed misses the classifier got 86 of its 108 kinds right
// (79.6 %), after it 98 (90.7 %). A change to the words may move single comments either way,
// but not bring the kind accuracy below what was measured, nor a topic's precision below 85 %.
describe('on the outside set, never tuned on beyond its listed misses', () => {
  const result = score(outsideSet, (text) => classifyComment(text))

  it('holds at least 80 comments, 30 or more in each language, none taken from the evaluation set', () => {
    expect(outsideSet.length).toBeGreaterThanOrEqual(80)
    for (const lang of ['zh-CN', 'zh-TW', 'en'] as const) expect(outsideSet.filter((comment) => comment.lang === lang).length).toBeGreaterThanOrEqual(30)
    expect(new Set([...evalSet, ...outsideSet].map((comment) => comment.id)).size).toBe(evalSet.length + outsideSet.length)
    const texts = new Set(evalSet.map((comment) => comment.text))
    expect(outsideSet.filter((comment) => texts.has(comment.text))).toEqual([])
  })

  it('gets the kind right for at least 98 of its 108 comments, as measured', () => {
    expect(Math.round(result.kindAccuracy * result.comments)).toBeGreaterThanOrEqual(98)
  })

  it.each(evalTopics)('tags %s with at least 85 % precision', (topic) => {
    const tag = result.tags.find((candidate) => candidate.tag === topic)!
    expect(tag.predicted).toBeGreaterThan(0)
    expect(tag.precision).toBeGreaterThanOrEqual(0.85)
  })
})
