import { describe, expect, it } from 'vitest'
import { maskPii } from './pii.ts'

describe('maskPii', () => {
  it.each([
    ['write to john.doe+shop@example.co.uk please', 'write to [email] please'],
    ['邮箱 zhang.san@qq.com 谢谢', '邮箱 [email] 谢谢'],
    ['call +86 138 0013 8000', 'call [phone]'],
    ['手机13800138000联系我', '手机[phone]联系我'],
    ['my cell is 139-1234-5678', 'my cell is [phone]'],
    ['US: +1 (415) 555-0100.', 'US: [phone].'],
    ['London 020 7946 0958', 'London [phone]'],
    ['身份证 110101199003077777', '身份证 [id]'],
    ['ID 11010119900307777X ok', 'ID [id] ok'],
    ['card 4111 1111 1111 1111', 'card [number]'],
  ])('masks %j', (input, masked) => {
    expect(maskPii(input)).toBe(masked)
  })

  it.each([
    'I rated 9 out of 10',
    'order A-1001 arrived on 2026-11-20',
    'paid 129.00 euros, delivered 20/11/2026',
    'tracking 12345678',
    'room 1203, building 5',
  ])('keeps %j', (input) => {
    expect(maskPii(input)).toBe(input)
  })
})
