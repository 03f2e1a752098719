import { env } from 'cloudflare:workers'
import PostalMime from 'postal-mime'
import { describe, expect, it } from 'vitest'
import { updateFollowUp } from '../src/follow-ups.ts'
import { findSite } from '../src/sites.ts'
import { addWebhook, pathFor, received } from './alert-harness.ts'
import { digestHarness, EMAIL_FROM, storeAnswer, storeShown } from './digest-harness.ts'
import { ADMIN, asOperator, freshSite, ORIGIN, statsOf } from './helpers.ts'

/**
 * One weekly digest to every format, each played by a receiver that answers like the platform
 * (receiver-platforms.ts: WeCom refuses text over 2,048 bytes, Feishu a body over 20 KB, DingTalk
 * a message without its keyword), in English, 简体中文 and 繁體中文, for a site with more surveys
 * than a WeCom message holds and names written to mention everyone.
 */

const HOUR = 3600_000
/** Monday 9 March 2026, 08:00 in Shanghai: the weekly digest of 2–8 March is due. */
const DUE = Date.UTC(2026, 2, 9, 0)
const HOSTILE_NAME = '示例商店 @all <at user_id="all">所有人</at> <!channel>'
const HOSTILE_ASSIGNEE = '<at user_id="all">王</at> @所有人'

const utf8 = (text: string) => new TextEncoder().encode(text).length
const chatText = (format: string, body: string): string => {
  const parsed = JSON.parse(body)
  return format === 'slack' ? parsed.text : format === 'feishu' ? parsed.content.text : parsed.text.content
}

async function busySite() {
  const { site, token } = await freshSite()
  const rename = await asOperator(`/v1/sites/${site}`, ADMIN, { method: 'PUT', body: JSON.stringify({ name: HOSTILE_NAME, origins: [ORIGIN], timezone: 'Asia/Shanghai' }) })
  expect(rename.status).toBe(200)
  const extra = Array.from({ length: 9 }, (_, index) => `region-${['north', 'south', 'east'][index % 3]}-store-${String(index + 1).padStart(2, '0')}-post-purchase`)
  for (const id of extra) {
    const put = await asOperator(`/v1/sites/${site}/surveys/${id}`, token, { method: 'PUT', body: JSON.stringify({ id, type: 'nps', checkpoints: ['order_completed'], question: { en: 'Recommend us?' }, goal: { target: 30 } }) })
    expect(put.status).toBe(201)
  }
  const owner = (await findSite(env.DB, site))!
  for (const [index, survey] of ['nps', 'csat', ...extra].entries()) {
    for (let answer = 0; answer < 8; answer++) {
      const score = survey === 'csat' ? 1 + ((answer + index) % 5) : (answer * 3 + index) % 11
      // Unhappy answers complain about delivery (tagged at ingest), so the digest has a hot issue to tell.
      const comment = score <= 6 && survey !== 'csat' ? (answer % 2 ? '快递太慢，包裹破损了' : 'The courier was late and the parcel arrived damaged') : undefined
      const id = await storeAnswer(site, DUE - (answer + 1) * 17 * HOUR, { survey, score, checkpoint: answer % 2 ? 'checkout' : 'order_completed', segment: answer % 3 ? 'mobile' : 'desktop', comment })
      if (answer === 0 && score <= 6) await updateFollowUp(env.DB, owner, id, { assignee: HOSTILE_ASSIGNEE, status: 'resolved' }, DUE - 10 * HOUR)
    }
    await storeShown(site, DUE - 30 * HOUR, survey)
  }
  return { site, token, surveys: ['nps', 'csat', 'ces', ...extra] }
}

describe('a digest in every format', () => {
  it('fits each platform, reads in its language, and mentions nobody', async () => {
    const { site, token, surveys } = await busySite()
    const paths = { slack: pathFor('slack'), wecom: pathFor('wecom'), dingtalk: pathFor('dingtalk'), feishu: pathFor('feishu'), json: pathFor('json') }
    const weekly = { events: [], digests: ['weekly'] }
    await addWebhook(site, token, 'slack', 'slack', paths.slack, { ...weekly, lang: 'en' })
    await addWebhook(site, token, 'wecom', 'wecom', paths.wecom, { ...weekly, lang: 'zh-CN' })
    await addWebhook(site, token, 'dingtalk', 'dingtalk', `${paths.dingtalk}?keyword=Hearken`, { ...weekly, lang: 'zh-TW' })
    await addWebhook(site, token, 'feishu', 'feishu', paths.feishu, { ...weekly, lang: 'zh-CN' })
    await addWebhook(site, token, 'json', 'json', paths.json, weekly)
    const email = await asOperator(`/v1/sites/${site}/webhooks/email`, token, { method: 'PUT', body: JSON.stringify({ url: 'mailto:ops@shop.example', format: 'email', ...weekly, lang: 'zh-CN' }) })
    expect(email.status).toBe(201)

    const h = digestHarness(DUE)
    expect(await h.cron(DUE)).toBe(6)

    const texts: Record<string, string> = {}
    for (const format of ['slack', 'wecom', 'dingtalk', 'feishu'] as const) {
      const got = await received(paths[format])
      expect(got, format).toHaveLength(1)
      // The receiver checked size and keyword as the platform would, and took it.
      expect(got[0]!.answer, format).toMatch(/"(errcode|code)":0|^ok$/)
      texts[format] = chatText(format, got[0]!.body)
      const text = texts[format]!
      for (const live of ['<at', '@all', '@所有人', '<!channel>']) expect(text, `${format}: ${live}`).not.toContain(live)
      expect(text).toContain('所有人')
      expect(text.split('\n').at(-1), format).toMatch(/https:\/\/hearken\.test\/dashboard\?from=2026-03-02&to=2026-03-08&lang=/)
    }
    expect(utf8(texts.wecom!)).toBeLessThanOrEqual(2048)
    expect(utf8(texts.dingtalk!)).toBeLessThanOrEqual(4000)
    expect(texts.slack!.length).toBeLessThanOrEqual(4000)
    expect(utf8((await received(paths.feishu))[0]!.body)).toBeLessThanOrEqual(20 * 1024)
    // WeCom's 2,048 bytes hold a few surveys; the rest are counted, not cut in the middle.
    expect(texts.wecom).toMatch(/^\[Hearken · 示例商店 ＠all ＜at user_id="all"＞所有人＜\/at＞ ＜!channel＞\] 每周摘要 · 2026-03-02 – 2026-03-08（Asia\/Shanghai）\n/)
    const shown = (texts.wecom!.match(/\n• /g) ?? []).length
    expect(shown).toBeGreaterThan(0)
    expect(shown).toBeLessThan(surveys.length)
    expect(texts.wecom).toContain(`…… 另有 ${surveys.length - shown} 项，请在控制台查看。`)
    expect(texts.wecom).toContain('跟进：')
    // The hot issue is the stats' own, in the digest's language.
    const stats = await statsOf(site, token, 'survey=nps&from=2026-03-02&to=2026-03-08&compare=previous')
    const delivery = stats.themes.hotIssues.find((issue) => issue.tag === 'delivery')!
    expect(delivery.unhappy).toBeGreaterThan(0)
    expect(texts.wecom).toContain(`不满意回答中上升的问题：物流 ${delivery.share}%（+${delivery.share}）`)
    expect(texts.dingtalk).toContain('不滿意回覆中上升的問題：物流')
    expect(texts.slack).toContain(`Rising among unhappy answers: delivery ${delivery.share}% (+${delivery.share})`)
    expect(texts.dingtalk).toMatch(/每週摘要/)
    expect(texts.dingtalk).toContain('SLA 內解決')
    expect(texts.slack).toMatch(/Weekly digest · 2026-03-02 – 2026-03-08 \(Asia\/Shanghai\)/)
    expect(texts.slack).toContain('Follow-ups:')
    // Slack's own markup is escaped: & < > of a name show as typed.
    expect(texts.slack).not.toMatch(/<(?!https:)/)

    const [json] = await received(paths.json)
    const event = JSON.parse(json!.body) as { type: string; timestamp: string; data: { lang: string; surveys: { id: string; links: { report: string } }[]; dashboardUrl: string } }
    expect(event.type).toBe('hearken.digest.weekly')
    // The event's time is when the period ended: midnight in Shanghai.
    expect(event.timestamp).toBe('2026-03-08T16:00:00.000Z')
    expect(event.data.surveys.map((survey) => survey.id).sort()).toEqual([...surveys].sort())
    const npsDigest = (event.data.surveys as unknown as { id: string; themes: { hotIssues: unknown[] } }[]).find((survey) => survey.id === 'nps')!
    expect(npsDigest.themes.hotIssues).toEqual(stats.themes.hotIssues.slice(0, 5))
    expect(event.data.surveys[0]!.links.report).toMatch(/^https:\/\/hearken\.test\/dashboard\/report\?survey=.+&from=2026-03-02&to=2026-03-08&lang=en$/)

    expect(h.emails).toHaveLength(1)
    const sent = h.emails[0]!
    expect(sent).toMatchObject({ from: EMAIL_FROM, to: 'ops@shop.example' })
    const mail = await PostalMime.parse(sent.raw)
    expect(mail.subject).toBe(`Hearken · ${HOSTILE_NAME}: 每周摘要 2026-03-02 – 2026-03-08`)
    expect(mail.from).toEqual({ address: EMAIL_FROM, name: `Hearken · ${HOSTILE_NAME}` })
    expect(mail.text).toContain('每周摘要')
    // Every survey is in the email, which has room; names are escaped in its HTML.
    for (const survey of surveys) expect(mail.html).toContain(`>${survey}</h2>`)
    expect(mail.html).toContain('&lt;at user_id=&quot;all&quot;&gt;王&lt;/at&gt; @所有人')
    expect(mail.html).not.toContain('<at ')
    expect(mail.html).toContain('href="https://hearken.test/dashboard/report?survey=nps&amp;from=2026-03-02&amp;to=2026-03-08&amp;lang=zh-CN"')
  })
})
