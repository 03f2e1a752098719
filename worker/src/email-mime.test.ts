import PostalMime from 'postal-mime'
import { describe, expect, it } from 'vitest'
import { buildMime, encodeWords } from './email-mime.ts'

/** The message as an independent parser reads it (postal-mime, the parser Cloudflare's own simulator uses). */
const parse = (raw: string) => PostalMime.parse(raw)

const parts = (overrides: Partial<Parameters<typeof buildMime>[0]> = {}) => ({
  from: { address: 'hearken@mail.shop.example', name: 'Hearken · 示例商店' },
  to: 'ops@shop.example',
  subject: '每周摘要：NPS 32，目标 40（差 8 分）· 2026-03-02 – 2026-03-08 · 繁體：滿意度與回覆率 👨‍👩‍👧',
  text: '你好，\n这是每周摘要。\n' + '回复率 34%。'.repeat(400),
  html: '<p>你好 &amp; <strong>摘要</strong></p>',
  id: 'msg_AbC-123',
  date: Date.UTC(2026, 2, 9, 0, 5),
  lang: 'zh-CN',
  ...overrides,
})

describe('a MIME message', () => {
  it('reads back in Chinese, emoji included: subject, sender name, both parts', async () => {
    const given = parts()
    const raw = buildMime(given)
    const mail = await parse(raw)
    expect(mail.subject).toBe(given.subject)
    expect(mail.from).toEqual({ address: 'hearken@mail.shop.example', name: 'Hearken · 示例商店' })
    expect(mail.to).toEqual([{ address: 'ops@shop.example', name: '' }])
    expect(mail.text?.replace(/\r\n/g, '\n').trimEnd()).toBe(given.text)
    expect(mail.html?.trim()).toBe(given.html)
    expect(mail.messageId).toBe('<msg_AbC-123@mail.shop.example>')
    expect(new Date(mail.date!).getTime()).toBe(given.date)
    expect(mail.headers.find((header) => header.key === 'auto-submitted')?.value).toBe('auto-generated')
  })

  it('keeps every header line within 78 characters and every encoded word within 75, in ASCII', () => {
    const raw = buildMime(parts())
    const head = raw.slice(0, raw.indexOf('\r\n\r\n'))
    for (const line of head.split('\r\n')) {
      expect(line.length, line).toBeLessThanOrEqual(78)
      expect(line, line).toMatch(/^[\x20-\x7e]*$/)
    }
    for (const word of head.match(/=\?UTF-8\?B\?[^?]*\?=/g) ?? []) expect(word.length).toBeLessThanOrEqual(75)
    // Body lines too: base64 in 76 characters (RFC 2045), CRLF everywhere.
    for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78)
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
  })

  it('never lets a line break in a subject or name start a header of its own', async () => {
    const mail = await parse(buildMime(parts({ subject: 'Digest\r\nBcc: victim@example.com', from: { address: 'h@mail.shop.example', name: 'Shop\nX-Evil: 1' } })))
    expect(mail.subject).toBe('Digest Bcc: victim@example.com')
    expect(mail.bcc).toBeUndefined()
    expect(mail.headers.some((header) => header.key === 'x-evil' || header.key === 'bcc')).toBe(false)
    expect(mail.from?.name).toBe('Shop X-Evil: 1')
  })

  it('quotes plain names with specials and leaves plain subjects readable as they are', async () => {
    const mail = await parse(buildMime(parts({ subject: 'Weekly digest, 2026-03-02', from: { address: 'h@mail.shop.example', name: 'Shop "North", Inc.' } })))
    expect(mail.from).toEqual({ address: 'h@mail.shop.example', name: 'Shop "North", Inc.' })
    expect(encodeWords('Weekly digest, 2026-03-02')).toBe('Weekly digest, 2026-03-02')
    // Something that looks like an encoded word is encoded itself, so it reads as typed.
    expect(encodeWords('=?x?=')).toMatch(/^=\?UTF-8\?B\?/)
  })
})
