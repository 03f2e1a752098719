import { describe, expect, it } from 'vitest'
import { webhookUrlProblem } from './webhook-url.ts'

describe('webhook URLs', () => {
  it('refuse this machine in every spelling, outside local development', () => {
    const loopback = ['https://localhost/h', 'https://LOCALHOST./h', 'https://api.localhost/h', 'https://127.0.0.1/h', 'https://127.9.9.9/h', 'https://2130706433/h', 'https://0x7f000001/h', 'https://0177.0.0.1/h', 'https://127.1/h', 'https://[::1]/h', 'https://[0:0:0:0:0:0:0:1]/h']
    for (const url of loopback) expect(webhookUrlProblem(url, false), url).toMatch(/this machine/)
    // Local development keeps its test receivers on 127.0.0.1, over http too.
    expect(webhookUrlProblem('http://127.0.0.1:9999/wecom', true)).toBeNull()
    expect(webhookUrlProblem('http://127.0.0.1:9999/wecom', false)).toMatch(/https/)
  })

  it('refuse private, link-local, CGNAT, reserved and mapped addresses', () => {
    const inside = [
      'https://10.0.0.1/', 'https://172.16.5.4/', 'https://172.31.255.255/', 'https://192.168.0.10/', 'https://169.254.169.254/', 'https://100.64.1.1/', 'https://100.127.255.254/',
      'https://0.0.0.0/', 'https://224.0.0.1/', 'https://255.255.255.255/', 'https://198.18.0.1/', 'https://[::ffff:169.254.169.254]/', 'https://[::ffff:a9fe:a9fe]/', 'https://[fe80::1]/',
      'https://[fc00::1]/', 'https://[::]/', 'https://[64:ff9b::a00:1]/', 'https://[2002:a00:1::]/', 'https://intranet/', 'https://nas.lan/', 'https://db.internal/', 'https://router.home.arpa/',
    ]
    for (const url of inside) expect(webhookUrlProblem(url, true), url).toMatch(/public address/)
  })

  it('take public hosts and addresses', () => {
    for (const url of ['https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x', 'https://oapi.dingtalk.com/robot/send?access_token=x', 'https://open.feishu.cn/open-apis/bot/v2/hook/x', 'https://hooks.slack.com/services/T/B/x', 'https://8.8.8.8/h', 'https://100.128.0.1/h', 'https://172.32.0.1/h', 'https://[2606:4700::1111]/h']) {
      expect(webhookUrlProblem(url, false), url).toBeNull()
    }
    expect(webhookUrlProblem('https://user:pw@hooks.slack.com/x', false)).toMatch(/user name/)
    expect(webhookUrlProblem('not a url', false)).toMatch(/must be a URL/)
  })
})
