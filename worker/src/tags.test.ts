import { describe, expect, it } from 'vitest'
import { tagComment } from './tags.ts'

describe('tagComment', () => {
  it.each([
    ['The parcel arrived late and the box was damaged', ['problem', 'delivery']],
    ['快递太慢了，包裹还破损', ['problem', 'delivery']],
    ['Love it! Fast delivery, great quality', ['praise', 'delivery', 'quality']],
    ['建议增加微信支付，结账页面有点复杂', ['suggestion', 'usability']],
    ['The price is too expensive', ['price']],
    ['客服态度很好', ['praise', 'support']],
  ])('%s → %j', (comment, tags) => {
    expect(tagComment(comment)).toEqual(tags)
  })

  it('tags nothing without a comment, and follows a site’s own rules', () => {
    expect(tagComment(null)).toEqual([])
    expect(tagComment('the espresso was cold', [{ tag: 'coffee', keywords: ['espresso'] }])).toEqual(['coffee'])
  })
})
