/**
 * How each platform answers a robot post, played by the test receiver: the real platforms'
 * bodies and codes (WeCom, DingTalk and Feishu answer HTTP 200 with an error code), their
 * signature and keyword checks done with Node's own crypto, and replies a test can script.
 */
import { createHmac } from 'node:crypto'
import { SECRETS } from './receiver-secrets.ts'

export type Format = 'json' | 'slack' | 'wecom' | 'dingtalk' | 'feishu'

/** Replies a test can ask for, by what they mean; each format answers them its own way. */
export type Scripted = 'ok' | 'rate_limited' | 'config' | 'busy' | 'rejected' | 'http500' | 'http429' | 'http410' | 'redirect' | 'moved' | 'slow' | 'hang' | 'hostile'

export interface Answer {
  status: number
  body: string
  headers?: Record<string, string>
  /** Wait this long before answering; Infinity never answers. */
  delayMs?: number
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => ({ status, body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } })

const wecom = (errcode: number, errmsg: string) => json(200, { errcode, errmsg })
const dingtalk = wecom
const feishu = (code: number, msg: string) => json(200, { code, msg, data: {}, StatusCode: code, StatusMessage: msg })
const ok: Record<Format, () => Answer> = {
  json: () => ({ status: 204, body: '' }),
  slack: () => ({ status: 200, body: 'ok', headers: { 'content-type': 'text/html' } }),
  wecom: () => wecom(0, 'ok'),
  dingtalk: () => dingtalk(0, 'ok'),
  feishu: () => feishu(0, 'success'),
}

/** The platform's own answer for each scripted case. */
export function scripted(format: Format, reply: Scripted): Answer {
  switch (reply) {
    case 'ok':
      return ok[format]()
    case 'slow':
      return { ...ok[format](), delayMs: 300 }
    case 'hang':
      return { ...ok[format](), delayMs: Infinity }
    case 'http500':
      return { status: 500, body: 'internal error' }
    case 'hostile':
      // A receiver is not trusted either: what it answers is shown to the operator, escaped.
      return { status: 500, body: '<script>alert(1)</script>' }
    case 'http429':
      return { status: 429, body: 'rate_limited', headers: { 'retry-after': '120' } }
    case 'http410':
      return { status: 410, body: format === 'slack' ? 'channel_is_archived' : 'gone' }
    case 'redirect':
      return { status: 302, body: '', headers: { location: '/elsewhere' } }
    case 'moved':
      return { status: 301, body: '<html>Moved Permanently</html>', headers: { location: 'https://hooks.example.com/new-home' } }
    case 'rate_limited':
      if (format === 'wecom') return wecom(45009, 'api freq out of limit, hint: [1700000000_1_abc], from ip: 203.0.113.9')
      if (format === 'dingtalk') return dingtalk(130101, 'send too fast, exceed 20 times per minute')
      if (format === 'feishu') return feishu(11232, 'frequency limited psm[lark.oapi.app_platform_runtime]appID[1]')
      return { status: 429, body: 'rate_limited', headers: { 'retry-after': '30' } }
    case 'config':
      if (format === 'wecom') return wecom(93000, 'invalid webhook url, hint: [1700000000_2_def]')
      if (format === 'dingtalk') return dingtalk(310000, 'ip 203.0.113.9 not in whitelist, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]')
      if (format === 'feishu') return feishu(19022, 'Ip Not Allowed')
      return { status: format === 'slack' ? 404 : 403, body: format === 'slack' ? 'no_service' : 'forbidden' }
    case 'busy':
      if (format === 'wecom' || format === 'dingtalk') return wecom(-1, 'system busy')
      if (format === 'feishu') return feishu(9500, 'internal error')
      return { status: 503, body: 'unavailable' }
    case 'rejected':
      if (format === 'wecom') return wecom(40008, 'invalid message type')
      if (format === 'dingtalk') return dingtalk(430101, 'message content is illegal')
      if (format === 'feishu') return feishu(9499, 'Bad Request')
      return { status: 400, body: 'invalid_payload' }
  }
}

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8')

/** What the platform says to a post nobody scripted: its own checks of signature, keyword and size. */
export function natural(format: Format, url: URL, body: string, now: number): Answer {
  let parsed: Record<string, any>
  try {
    parsed = body ? JSON.parse(body) : {}
  } catch {
    return format === 'json' ? ok.json() : format === 'slack' ? { status: 400, body: 'invalid_payload' } : format === 'feishu' ? feishu(9499, 'Bad Request') : wecom(40001, 'invalid json')
  }
  switch (format) {
    case 'json':
      return ok.json()
    case 'slack':
      return typeof parsed.text === 'string' && parsed.text.length > 0 ? ok.slack() : { status: 400, body: 'no_text' }
    case 'wecom': {
      const content = parsed.text?.content
      if (typeof content !== 'string' || content === '') return wecom(44004, 'text content is empty')
      // WeCom: "文本内容，最长不超过2048个字节".
      if (utf8(content) > 2048) return wecom(45002, `content size out of limit: ${utf8(content)} bytes`)
      return ok.wecom()
    }
    case 'dingtalk': {
      const sign = url.searchParams.get('sign')
      const timestamp = url.searchParams.get('timestamp')
      if (url.pathname.includes('/signed')) {
        const expected = createHmac('sha256', SECRETS.dingtalk).update(`${timestamp}\n${SECRETS.dingtalk}`).digest('base64')
        if (sign !== expected) return dingtalk(310000, 'sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]')
        if (Math.abs(now - Number(timestamp)) > 3600_000) return dingtalk(310000, 'invalid timestamp')
      }
      const keyword = url.searchParams.get('keyword')
      if (keyword && !String(parsed.text?.content ?? '').includes(keyword)) return dingtalk(310000, 'keywords not in content')
      return ok.dingtalk()
    }
    case 'feishu': {
      if (url.pathname.includes('/signed')) {
        const expected = createHmac('sha256', `${parsed.timestamp}\n${SECRETS.feishu}`).update('').digest('base64')
        if (parsed.sign !== expected || Math.abs(now / 1000 - Number(parsed.timestamp)) > 3600) {
          return feishu(19021, 'sign match fail or timestamp is not within one hour from current time')
        }
      }
      // Feishu: "请求体大小不能超过 20 KB".
      if (utf8(body) > 20 * 1024) return feishu(9499, 'Bad Request')
      return ok.feishu()
    }
  }
}
