import { describe, expect, it } from 'vitest'
import { readEmailError } from './email-delivery.ts'

const coded = (code: string, message = 'refused') => Object.assign(new Error(message), { code })

describe('what a send error means', () => {
  it('reads Email Service codes: limits wait, set-up errors pause, the rest retry or fail', () => {
    expect(readEmailError(coded('E_RATE_LIMIT_EXCEEDED'))).toEqual({ outcome: 'retry', message: 'Email E_RATE_LIMIT_EXCEEDED: refused', afterMs: 60_000, rateLimited: true })
    expect(readEmailError(coded('E_DAILY_LIMIT_EXCEEDED'))).toMatchObject({ outcome: 'retry', afterMs: 3_600_000 })
    for (const code of ['E_SENDER_NOT_VERIFIED', 'E_SENDER_DOMAIN_NOT_AVAILABLE', 'E_RECIPIENT_NOT_ALLOWED', 'E_RECIPIENT_SUPPRESSED']) expect(readEmailError(coded(code)).outcome, code).toBe('config')
    for (const code of ['E_DELIVERY_FAILED', 'E_INTERNAL_SERVER_ERROR']) expect(readEmailError(coded(code)).outcome, code).toBe('retry')
    for (const code of ['E_VALIDATION_ERROR', 'E_CONTENT_TOO_LARGE', 'E_HEADER_NOT_ALLOWED']) expect(readEmailError(coded(code)).outcome, code).toBe('rejected')
  })

  it('reads Email Routing’s plain messages: an address it may not send to pauses, anything else is retried', () => {
    expect(readEmailError(new Error('email to ceo@shop.example not allowed'))).toEqual({ outcome: 'config', message: 'Email email to ceo@shop.example not allowed' })
    expect(readEmailError(new Error('destination address not verified'))).toMatchObject({ outcome: 'config' })
    expect(readEmailError(new Error('network connection lost'))).toMatchObject({ outcome: 'retry' })
    expect(readEmailError('x'.repeat(1000)).message.length).toBeLessThanOrEqual(306)
  })
})
