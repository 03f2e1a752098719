import { describe, expect, it } from 'vitest'
import { backoff, retryAfter } from './backoff.ts'

describe('backoff', () => {
  it('doubles from 1 s, drawing each wait from its upper half', () => {
    expect([0, 1, 2, 3].map((attempt) => backoff(attempt, () => 1))).toEqual([1000, 2000, 4000, 8000])
    expect([0, 1, 2, 3].map((attempt) => backoff(attempt, () => 0))).toEqual([500, 1000, 2000, 4000])
  })
  it('never waits more than 5 minutes', () => {
    expect(backoff(30, () => 1)).toBe(300_000)
  })
})

describe('Retry-After', () => {
  const now = Date.UTC(2026, 0, 1)
  it('reads seconds and HTTP dates', () => {
    expect(retryAfter('3', now)).toBe(3000)
    expect(retryAfter(new Date(now + 10_000).toUTCString(), now)).toBe(10_000)
  })
  it('ignores what it cannot read', () => {
    expect(retryAfter(null, now)).toBeUndefined()
    expect(retryAfter('soon', now)).toBeUndefined()
  })
})
