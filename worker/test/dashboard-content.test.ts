import { describe, expect, it } from 'vitest'
import type { RetagMessage } from '../src/retagging.ts'
import { asOperator, call, freshSite, post, recordingQueue, statsOf } from './helpers.ts'
import { feedComments, open, postForm, signIn } from './dashboard-helpers.ts'
import { drainRetag } from './retag-harness.ts'

type Listed = { responses: { id: string; followUp: { status: string; assignee: string | null; notes: { text: string }[] } | null }[] }

/** A site with a handful of NPS answers across two checkpoints and two segments. */
async function siteWithAnswers() {
  const { site, token } = await freshSite()
  const answers = [
    { score: 2, comment: 'Parcel arrived late and damaged', checkpoint: 'order_completed', segment: 'new' },
    { score: 10, comment: 'Great quality, love it', checkpoint: 'order_completed', segment: 'key' },
    { score: 9, comment: null, checkpoint: 'order_completed', segment: 'key' },
    { score: 5, comment: 'Too expensive', checkpoint: 'order_completed', segment: 'new' },
    { score: 8, comment: 'Fine', checkpoint: 'order_completed', segment: 'key' },
  ]
  const ids: string[] = []
  for (const [index, answer] of answers.entries()) {
    const id = crypto.randomUUID()
    ids.push(id)
    const reply = await post('/v1/responses', { id, site, survey: 'nps', visitor: `d${index}`, elapsedMs: 3000, ...answer, ...(answer.comment ? {} : { comment: undefined }) })
    expect(reply.status).toBe(201)
  }
  return { site, token, ids, cookie: await signIn(site, token) }
}

const scoreFigure = (html: string) => /<h3 id="score-label">[^<]*<\/h3><p class="figure">([^<]*)<\/p>/.exec(html)?.[1]

describe('dashboard pages', () => {
  it('shows the same score, margin and n as the stats API for the same filters', async () => {
    const { site, token, cookie } = await siteWithAnswers()
    for (const query of ['survey=nps', 'survey=nps&segment=key', 'survey=nps&segment=new']) {
      const stats = await statsOf(site, token, `${query}&compare=previous`)
      const page = await open(`/dashboard?${query}`, cookie)
      expect(page.status).toBe(200)
      expect(scoreFigure(page.html)).toBe(String(stats.nps!.score).replace('-', '−'))
      expect(page.html).toContain(`95% interval ${stats.nps!.interval!.map((end) => String(end).replace('-', '−')).join(' to ')}`)
      expect(page.html).toContain(`Answers: ${stats.nps!.n}`)
      const [low, high] = stats.nps!.interval!.map((end) => String(end).replace('-', '−'))
      expect(page.html).toContain(`n = ${stats.nps!.n}: ${String(stats.nps!.score).replace('-', '−')} (95% interval ${low} to ${high})`)
      expect(page.html).not.toContain('±')
    }
    const all = await open('/dashboard?survey=nps', cookie)
    expect(all.html).toContain('Goal: 40')
    // Worst segment first, as the stats API sorts it.
    const segments = /<h3 id="by-segment">[\s\S]*?<\/table>/.exec(all.html)![0]
    expect(segments.indexOf('>new<')).toBeLessThan(segments.indexOf('>key<'))
  })

  it('lists comments newest first and filters them by band, tag and follow-up status', async () => {
    const { site, token, cookie } = await siteWithAnswers()
    const api = await (await asOperator(`/v1/sites/${site}/responses?survey=nps`, token)).json<{ responses: { id: string; comment: string | null; createdAt: string }[] }>()
    // Newest first, and answers of the same millisecond by id, whatever the timing of the posts.
    const newestFirst = api.responses.toSorted((a, b) => b.createdAt.localeCompare(a.createdAt) || (a.id < b.id ? 1 : -1))
    expect(api.responses.map((response) => response.id)).toEqual(newestFirst.map((response) => response.id))
    expect(feedComments((await open('/dashboard?survey=nps', cookie)).html)).toEqual(
      api.responses.map((response) => response.comment ?? '<span class="muted">No comment</span>'),
    )
    expect(feedComments((await open('/dashboard?survey=nps&band=detractor', cookie)).html).toSorted()).toEqual(['Parcel arrived late and damaged', 'Too expensive'])
    expect(feedComments((await open('/dashboard?survey=nps&tag=delivery', cookie)).html)).toEqual(['Parcel arrived late and damaged'])
    expect(feedComments((await open('/dashboard?survey=nps&followUp=resolved', cookie)).html)).toEqual([])
    expect(feedComments((await open('/dashboard?survey=nps&followUp=open', cookie)).html)).toHaveLength(2)
    const tagged = (await open('/dashboard?survey=nps&tag=delivery', cookie)).html
    expect(tagged).toContain('<li class="chip">problem</li><li class="chip">delivery</li>')
  })

  it('shows the themes in the order of the stats API, each tag linking to the comments that carry it', async () => {
    const { site, token, cookie } = await siteWithAnswers()
    const stats = await statsOf(site, token, 'survey=nps')
    const page = (await open('/dashboard?survey=nps', cookie)).html
    const table = /<table id="themes-table">[\s\S]*?<\/table>/.exec(page)![0]
    const rows = [...table.matchAll(/<th scope="row"><a href="([^"]+)">([^<]+)<\/a>/g)]
    expect(rows.map((row) => row[2])).toEqual(stats.themes.themes.map((theme) => theme.tag))
    expect(rows.map((row) => row[2]).slice(0, 1)).toEqual(['problem'])
    for (const [, href, tag] of rows) {
      const listed = await (await asOperator(`/v1/sites/${site}/responses?survey=nps&tag=${tag}`, token)).json<{ responses: { comment: string }[] }>()
      expect(feedComments((await open(href!.replaceAll('&amp;', '&'), cookie)).html), tag).toEqual(listed.responses.map((response) => response.comment))
    }
    const hot = /<ol id="hot-issues">[\s\S]*?<\/ol>/.exec(page)![0]
    expect(hot).toContain('delivery: in 50% of the unhappy answers, +50 points')
    expect(hot).toContain('directional only: fewer than 30 unhappy answers in a period')
    const zh = (await open('/dashboard?survey=nps&lang=zh-CN', cookie)).html
    expect(zh).toContain('物流 · delivery：占不满意回答的 50%，+50 个百分点')
  })

  it('says what is wrong with a filter instead of failing', async () => {
    const { cookie } = await siteWithAnswers()
    const badDate = await open('/dashboard?survey=nps&from=2026-13-01', cookie)
    expect(badDate.status).toBe(400)
    expect(badDate.html).toContain('from must be a date as YYYY-MM-DD')
    const badBand = await open('/dashboard?survey=csat&band=detractor', cookie)
    expect(badBand.status).toBe(400)
    expect(badBand.html).toContain('band needs a survey whose type has that band')
  })

  it('moves a follow-up along through the form, and says so', async () => {
    const { site, token, ids, cookie } = await siteWithAnswers()
    const back = '/dashboard?lang=en&survey=nps&band=detractor'
    const reply = await postForm(`/dashboard/responses/${ids[0]}/follow-up?lang=en`, { status: 'in_progress', assignee: ' mei@support ', note: 'Called, refund sent', back }, { cookie })
    expect(reply.status).toBe(303)
    expect(reply.headers.get('location')).toBe(`/dashboard?lang=en&survey=nps&band=detractor&saved=follow-up#answer-${ids[0]}`)
    const listed: Listed = await (await asOperator(`/v1/sites/${site}/responses?followUp=in_progress`, token)).json()
    expect(listed.responses).toHaveLength(1)
    expect(listed.responses[0]!.followUp).toMatchObject({ status: 'in_progress', assignee: 'mei@support', notes: [{ text: 'Called, refund sent' }] })
    const page = await open(`${back}&saved=follow-up`, cookie)
    expect(page.html).toContain('Follow-up saved.')
    expect(page.html).toContain('Called, refund sent')
    expect(page.html).toContain('<option value="in_progress" selected="">In progress</option>')

    const bad = await postForm(`/dashboard/responses/${ids[0]}/follow-up`, { status: 'done', assignee: '', back }, { cookie })
    expect(bad.status).toBe(400)
    const unknown = await postForm(`/dashboard/responses/${crypto.randomUUID()}/follow-up`, { status: 'open', assignee: '' }, { cookie })
    expect(unknown.status).toBe(404)
    const offsite = await postForm(`/dashboard/responses/${ids[0]}/follow-up`, { status: 'resolved', assignee: '', back: 'https://evil.example/' }, { cookie })
    expect(offsite.headers.get('location')).toMatch(/^\/dashboard\?lang=en&saved=follow-up#/)
  })

  it('cannot touch another site’s answers', async () => {
    const victim = await siteWithAnswers()
    const { site, token } = await freshSite()
    const reply = await postForm(`/dashboard/responses/${victim.ids[0]}/follow-up`, { status: 'resolved', assignee: 'mallory' }, { cookie: await signIn(site, token) })
    expect(reply.status).toBe(404)
    const listed: Listed = await (await asOperator(`/v1/sites/${victim.site}/responses?followUp=resolved`, victim.token)).json()
    expect(listed.responses).toHaveLength(0)
  })

  it('saves tag rules from the editor, shows the re-tagging until it ends, and then the feed carries the new tags', async () => {
    const { site, token, cookie } = await siteWithAnswers()
    const TAGS = recordingQueue<RetagMessage>()
    const reply = await postForm('/dashboard/tag-rules?lang=en', { rules: 'pricing: expensive, 贵\n\nmood：love，great\nrefund-missing (only): refund', back: '/dashboard?lang=en&survey=nps' }, { cookie }, { TAGS })
    expect(reply.status).toBe(303)
    expect(reply.headers.get('location')).toBe('/dashboard?lang=en&survey=nps&saved=tag-rules#tag-rules-title')
    const saved = await (await asOperator(`/v1/sites/${site}`, token)).json<{ settings: { tagRules: unknown } }>()
    expect(saved.settings.tagRules).toEqual([
      { tag: 'pricing', keywords: ['expensive', '贵'] },
      { tag: 'mood', keywords: ['love', 'great'] },
      { tag: 'refund-missing', keywords: ['refund'], whenNegated: 'only' },
    ])
    const waiting = await open('/dashboard?survey=nps&saved=tag-rules', cookie)
    expect(waiting.html).toContain('Tag rules saved.')
    expect(waiting.html).toContain('re-tagging the stored comments starts within a minute')
    // The editor shows the rules as saved, what a negation does included.
    expect(waiting.html).toContain('pricing: expensive, 贵\nmood: love, great\nrefund-missing (only): refund')
    // The site's own tags join the kinds and built-in topics in the filter.
    expect(waiting.html).toContain('<option value="pricing">pricing</option>')
    expect(waiting.html).toContain('<option value="usability">usability</option>')
    expect(feedComments((await open('/dashboard?survey=nps&tag=pricing', cookie)).html)).toEqual([])

    await drainRetag(TAGS.sent[0]!.body)
    const page = await open('/dashboard?survey=nps&tag=pricing', cookie)
    expect(page.html).not.toContain('re-tagging')
    expect(feedComments(page.html)).toEqual(['Too expensive'])
    expect(page.html).toContain('<li class="chip">problem</li><li class="chip">price</li><li class="chip">pricing</li>')

    const bad = await postForm('/dashboard/tag-rules', { rules: 'pricing expensive' }, { cookie })
    expect(bad.status).toBe(400)
    const badHtml = await bad.text()
    expect(badHtml).toContain('Line 1: write it as tag: keyword, keyword')
    expect(badHtml).toContain('pricing expensive</textarea>')
    const badTag = await postForm('/dashboard/tag-rules', { rules: 'two words: x' }, { cookie })
    expect(badTag.status).toBe(400)
  })

  it('exports what is on screen as CSV with the same filters, only when signed in', async () => {
    const { cookie } = await siteWithAnswers()
    const page = await open('/dashboard?survey=nps&band=detractor', cookie)
    const href = /href="(\/dashboard\/export\.csv\?[^"]+)"/.exec(page.html)![1]!.replaceAll('&amp;', '&')
    expect(href).toContain('band=detractor')
    const csv = await call(href, { headers: { cookie } })
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="hearken-pk_t\w+-nps-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.csv"$/)
    const lines = (await csv.text()).trim().split('\r\n')
    expect(lines).toHaveLength(3)
    expect(lines.slice(1).join('\n')).toContain('Too expensive')
    expect(lines.slice(1).join('\n')).toContain('Parcel arrived late and damaged')
    const anonymous = await call(href)
    expect(anonymous.headers.get('content-type')).toContain('text/html')
    expect(await anonymous.text()).toContain('Sign in')
  })

  it('shows a visitor’s markup as text, never as markup', async () => {
    const { site, token } = await freshSite()
    const hostile = [`<img src=x onerror=alert(1)>`, `</p><script>alert(1)</script>`, `" onmouseover="alert(1)`]
    for (const [index, comment] of hostile.entries()) {
      await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'nps', score: 3, comment, visitor: `x${index}`, elapsedMs: 3000, segment: 'seg' })
    }
    const page = await open('/dashboard?survey=nps', await signIn(site, token))
    expect(page.html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(page.html).toContain('&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(page.html).toContain('&quot; onmouseover=&quot;alert(1)')
    expect(page.html).not.toMatch(/<img|<script|onerror=alert\(1\)>/)
  })
})
