import PostalMime from 'postal-mime'
import { describe, expect, it } from 'vitest'
import { chatText, type AlertDigest, type AlertItem } from './alert-text.ts'
import { alertEmail, EMAIL_TEXT_RULES } from './email-alerts.ts'
import { buildMime } from './email-mime.ts'

const AT = Date.parse('2026-03-09T06:30:00Z')

const item = (overrides: Partial<AlertItem> = {}): AlertItem => ({
  kind: 'negative',
  responseId: 'r1',
  survey: 'nps',
  type: 'nps',
  score: 2,
  band: 'detractor',
  comment: 'Late again <b>@all</b>',
  checkpoint: 'order_completed',
  segment: '',
  visitor: 'v_1',
  user: 'u-42',
  subject: 'ORDER-7',
  createdAt: AT,
  eventAt: AT,
  followUp: { status: 'in_progress', assignee: 'alice', notes: [], dueAt: '2026-03-11T06:30:00.000Z', overdue: false },
  ...overrides,
})

const alert = (lang: AlertDigest['lang'], items: AlertItem[] = [item()]): AlertDigest => ({ siteName: '小店', items, dashboardUrl: 'https://hearken.test/dashboard', now: AT + 12 * 60_000, lang })

describe('alert emails speak the language the alert carries', () => {
  it('in English by default: the chat text, lang en', () => {
    const email = alertEmail(alert(undefined))
    expect(email.lang).toBe('en')
    expect(email.text.split('\n')).toEqual([
      '[Hearken · 小店] Unhappy answer: NPS 2 on nps (order_completed) from user u-42 · re ORDER-7.',
      'Comment: “Late again ＜b＞＠all＜/b＞”',
      'Follow-up in progress, due 2026-03-11 06:30 UTC, assigned to alice.',
      'https://hearken.test/dashboard',
    ])
    // The same text a chat robot gets.
    expect(email.text).toBe(chatText(alert(undefined), EMAIL_TEXT_RULES))
    expect(email.html).toContain('<html lang="en">')
  })

  it('in Simplified Chinese: subject, body and the html lang, visitor text inert and escaped', async () => {
    const email = alertEmail(alert('zh-CN'))
    expect(email.lang).toBe('zh-CN')
    expect(email.subject).toBe('[Hearken · 小店] 不满意的回答：NPS 2 分，问卷 nps（order_completed），来自用户 u-42 · 关于 ORDER-7。')
    expect(email.text.split('\n')).toEqual([
      email.subject,
      '评论：“Late again ＜b＞＠all＜/b＞”',
      '跟进处理中，截止 2026-03-11 06:30 UTC，负责人 alice。',
      'https://hearken.test/dashboard',
    ])
    expect(email.html).toContain('<html lang="zh-CN">')
    expect(email.html).toContain('评论：“Late again ＜b＞＠all＜/b＞”')
    expect(email.text).not.toMatch(/Unhappy|Comment|Follow-up/)
    // The MIME message says the same language and reads back as written.
    const raw = buildMime({ from: { address: 'a@mail.test', name: 'Hearken' }, to: 'b@shop.test', subject: email.subject, text: email.text, html: email.html, id: 'msg_1', date: AT, lang: email.lang })
    expect(raw).toMatch(/Content-Language: zh-CN/i)
    const parsed = await PostalMime.parse(raw)
    expect(parsed.subject).toBe(email.subject)
    expect(parsed.text?.trim()).toBe(email.text)
  })

  it('in Traditional Chinese, a burst with its counts and one line per alert, worst first', () => {
    const burst = [item({ responseId: 'a', score: 5, comment: null, user: null, subject: null, followUp: null, eventAt: AT - 5 * 60_000 }), item({ kind: 'high_risk', responseId: 'b', score: 0, followUp: null })]
    const email = alertEmail(alert('zh-TW', burst))
    expect(email.lang).toBe('zh-TW')
    expect(email.text.split('\n')).toEqual([
      '[Hearken · 小店] 2 則提醒（最近 17 分鐘）：1 位高風險客戶，1 個不滿意的回答，最嚴重的在前：',
      '• 高風險客戶：NPS 0 分，問卷 nps（order_completed） · 使用者 u-42 · 關於 ORDER-7：“Late again ＜b＞＠all＜/b＞”',
      '• 不滿意的回答：NPS 5 分，問卷 nps（order_completed） · 訪客 v_1',
      'https://hearken.test/dashboard',
    ])
    expect(alertEmail({ ...alert('zh-TW', []), test: true }).subject).toBe('[Hearken · 小店] 測試提醒：此 Webhook 運作正常。於 2026-03-09 06:42 UTC 從控制台傳送。')
  })
})
