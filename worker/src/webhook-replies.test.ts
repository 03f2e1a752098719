import { describe, expect, it } from 'vitest'
import { readReply, retryAfterMs } from './webhook-replies.ts'

const ok200 = (body: unknown) => ({ status: 200, body: JSON.stringify(body), retryAfter: null, location: null })

describe('reading replies', () => {
  it('treats HTTP 200 with an error code as what the code says', () => {
    expect(readReply('wecom', ok200({ errcode: 0, errmsg: 'ok' }), 0).outcome).toBe('delivered')
    expect(readReply('wecom', ok200({ errcode: 45009, errmsg: 'api freq out of limit' }), 0)).toMatchObject({ outcome: 'retry', afterMs: 60_000, rateLimited: true })
    expect(readReply('wecom', ok200({ errcode: 93000, errmsg: 'invalid webhook url' }), 0)).toEqual({ outcome: 'config', message: 'WeCom errcode 93000: invalid webhook url' })
    expect(readReply('dingtalk', ok200({ errcode: 130101, errmsg: 'send too fast' }), 0)).toMatchObject({ outcome: 'retry', afterMs: 600_000 })
    expect(readReply('dingtalk', ok200({ errcode: 310000, errmsg: 'keywords not in content' }), 0).outcome).toBe('config')
    expect(readReply('dingtalk', ok200({ errcode: -1, errmsg: 'system busy' }), 0).outcome).toBe('retry')
    expect(readReply('feishu', ok200({ code: 19021, msg: 'sign match fail' }), 0).outcome).toBe('config')
    expect(readReply('feishu', ok200({ StatusCode: 0, StatusMessage: 'success' }), 0).outcome).toBe('delivered')
    expect(readReply('feishu', { ...ok200({ code: 9499, msg: 'Bad Request' }), status: 400 }, 0).outcome).toBe('rejected')
    // A 200 that says nothing is not taken as a delivery.
    expect(readReply('wecom', { status: 200, body: '<html>proxy</html>', retryAfter: null, location: null }, 0).outcome).toBe('retry')
  })

  it('reads HTTP for Slack and Standard Webhooks receivers', () => {
    expect(readReply('slack', { status: 200, body: 'ok', retryAfter: null, location: null }, 0).outcome).toBe('delivered')
    expect(readReply('slack', { status: 429, body: '', retryAfter: '7', location: null }, 0)).toMatchObject({ outcome: 'retry', afterMs: 7000 })
    expect(readReply('slack', { status: 410, body: 'channel_is_archived', retryAfter: null, location: null }, 0).outcome).toBe('gone')
    expect(readReply('json', { status: 503, body: '', retryAfter: 'Thu, 01 Jan 1970 00:01:00 GMT', location: null }, 0)).toMatchObject({ outcome: 'retry', afterMs: 60_000 })
    expect(readReply('json', { status: 404, body: '', retryAfter: null, location: null }, 0).outcome).toBe('retry')
    for (const format of ['json', 'slack', 'wecom', 'dingtalk', 'feishu'] as const) {
      for (const status of [301, 302, 307, 308]) {
        const verdict = readReply(format, { status, body: '', retryAfter: null, location: 'https://x.example/' }, 0)
        expect(verdict, `${format} ${status}`).toMatchObject({ outcome: 'config', message: expect.stringContaining(`HTTP ${status}, a redirect to https://x.example/: redirects are not followed`) })
      }
    }
    expect(retryAfterMs('999999', 0)).toBe(24 * 3600_000)
  })
})
