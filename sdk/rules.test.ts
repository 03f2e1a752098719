import { describe, expect, it } from 'vitest'
import type { Condition } from './protocol.ts'
import { holds, pathMatches, segmentOf, targets } from './rules.ts'

describe('conditions', () => {
  const facts = { plan: 'pro', amount: 129, vip: true }
  it.each<[Condition, boolean]>([
    [{ prop: 'plan', op: 'eq', value: 'pro' }, true],
    [{ prop: 'plan', op: 'neq', value: 'pro' }, false],
    [{ prop: 'missing', op: 'neq', value: 'pro' }, true],
    [{ prop: 'plan', op: 'in', value: ['free', 'pro'] }, true],
    [{ prop: 'missing', op: 'in', value: ['free'] }, false],
    [{ prop: 'amount', op: 'lt', value: 129 }, false],
    [{ prop: 'amount', op: 'lte', value: 129 }, true],
    [{ prop: 'amount', op: 'gt', value: 100 }, true],
    [{ prop: 'amount', op: 'gte', value: 130 }, false],
    [{ prop: 'plan', op: 'gt', value: 1 }, false],
    [{ prop: 'vip', op: 'exists' }, true],
    [{ prop: 'missing', op: 'exists' }, false],
  ])('%j → %s', (condition, expected) => {
    expect(holds(condition, facts)).toBe(expected)
  })
})

describe('segments', () => {
  const rules = [
    { id: 'key', when: [{ prop: 'plan', op: 'eq' as const, value: 'enterprise' }] },
    { id: 'new', when: [{ prop: 'accountAgeDays', op: 'lte' as const, value: 30 }] },
  ]
  it('puts a visitor in the first segment that matches, in site order', () => {
    expect(segmentOf(rules, { plan: 'enterprise', accountAgeDays: 3 })).toBe('key')
    expect(segmentOf(rules, { plan: 'free', accountAgeDays: 3 })).toBe('new')
  })
  it('puts everyone else in "other"', () => {
    expect(segmentOf(rules, { plan: 'free', accountAgeDays: 300 })).toBe('other')
    expect(segmentOf([], {})).toBe('other')
  })
})

describe('URL patterns', () => {
  it.each([
    ['/checkout/*/done', '/checkout/A-1/done', true],
    ['/checkout/*/done', '/checkout/A-1/done/extra', false],
    ['/orders/*', '/orders/', true],
    ['/a.b', '/aXb', false],
    ['/help?', '/help?', true],
    ['*', '/anything', true],
  ])('%s on %s → %s', (pattern, path, expected) => {
    expect(pathMatches(pattern, path)).toBe(expected)
  })
})

describe('targeting', () => {
  it('needs every part it gives to hold', () => {
    const targeting = { segments: ['new'], conditions: [{ prop: 'amount', op: 'gte' as const, value: 50 }], urlPattern: '/thanks*' }
    expect(targets(targeting, 'new', { amount: 60 }, '/thanks/123')).toBe(true)
    expect(targets(targeting, 'other', { amount: 60 }, '/thanks/123')).toBe(false)
    expect(targets(targeting, 'new', { amount: 40 }, '/thanks/123')).toBe(false)
    expect(targets(targeting, 'new', { amount: 60 }, '/cart')).toBe(false)
    expect(targets(undefined, 'other', {}, '/')).toBe(true)
  })
})
