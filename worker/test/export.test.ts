import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { storeResponse } from '../src/ingest.ts'
import { findSite } from '../src/sites.ts'
import { findSurvey } from '../src/surveys.ts'
import { asOperator, freshSite, post } from './helpers.ts'

type Page = { responses: { id: string; comment: string | null; band: string; score: number }[]; next: string | null }

describe('GET /v1/sites/:site/responses', () => {
  it('pages newest first with a cursor, in a stable order (time, then id), without gaps or repeats', async () => {
    const { site, token } = await freshSite()
    const siteRow = (await findSite(env.DB, site))!
    const survey = (await findSurvey(env.DB, site, 'nps'))!
    const start = Date.UTC(2026, 2, 1, 8)
    // Five answers a second apart, then three in the same millisecond: the id decides among those.
    const at = [0, 1, 2, 3, 4, 5, 5, 5].map((second) => start + second * 1000)
    const stored: { id: string; at: number }[] = []
    for (const [index, time] of at.entries()) {
      const id = crypto.randomUUID()
      stored.push({ id, at: time })
      await storeResponse(env.DB, siteRow, survey, { id, site, survey: 'nps', score: index, visitor: `v${index}x`, elapsedMs: 3000 }, {}, time)
    }
    const newestFirst = stored.toSorted((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1)).map((answer) => answer.id)

    const seen: string[] = []
    let cursor: string | null = ''
    let pages = 0
    while (cursor !== null) {
      const page: Page = await (await asOperator(`/v1/sites/${site}/responses?limit=3${cursor ? `&cursor=${cursor}` : ''}`, token)).json()
      seen.push(...page.responses.map((response) => response.id))
      cursor = page.next
      pages++
    }
    expect(seen).toEqual(newestFirst)
    expect(pages).toBe(3)
  })

  it('filters by survey and band data, and rejects a foreign cursor', async () => {
    const { site, token } = await freshSite()
    await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'nps', score: 3, visitor: 'a1', elapsedMs: 3000 })
    await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'csat', score: 5, visitor: 'a2', elapsedMs: 3000 })
    const page: Page = await (await asOperator(`/v1/sites/${site}/responses?survey=csat`, token)).json()
    expect(page.responses).toMatchObject([{ score: 5, band: 'high' }])
    expect((await asOperator(`/v1/sites/${site}/responses?cursor=bogus`, token)).status).toBe(400)
    expect((await asOperator(`/v1/sites/${site}/responses?format=xml`, token)).status).toBe(400)
  })

  it('exports CSV that spreadsheets open safely: quoted, formulas defused, Chinese intact', async () => {
    const { site, token } = await freshSite()
    const comments = ['=HYPERLINK("http://evil.example","click")', '+1 great, "really"', '送货很快\n包装很好', '@SUM(A1)']
    for (const [index, comment] of comments.entries()) {
      await post('/v1/responses', { id: crypto.randomUUID(), site, survey: 'nps', score: 9, comment, visitor: `c${index}x`, elapsedMs: 3000 })
    }
    const reply = await asOperator(`/v1/sites/${site}/responses?format=csv`, token)
    expect(reply.headers.get('content-type')).toContain('text/csv')
    expect(reply.headers.get('content-disposition')).toContain('attachment')
    const bytes = new Uint8Array(await reply.arrayBuffer())
    // A byte-order mark first, so Excel reads the file as UTF-8.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const csv = new TextDecoder().decode(bytes)
    expect(csv.startsWith('created_at,day,id,survey,score,band,comment')).toBe(true)
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`)
    expect(csv).toContain(`"'+1 great, ""really"""`)
    expect(csv).toContain('"送货很快\n包装很好"')
    expect(csv).toContain("'@SUM(A1)")
    expect(csv.trim().split('\r\n')).toHaveLength(1 + comments.length)
  })

  it('streams every row of a large range, across pages, newest first', async () => {
    const { site, token } = await freshSite()
    const rows = 1001
    const start = Date.UTC(2026, 2, 1)
    // Written straight into D1: this is about the CSV reading 500 rows a page (three pages
    // here), not about ingest, and a thousand posts would make the test slow for no gain.
    await env.DB.prepare(
      `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ?3 - 1)
       INSERT INTO responses (site_id, id, survey_id, score, flags, day, created_at, updated_at)
       SELECT ?1, printf('%08x-0000-4000-8000-%012x', i, i), 'nps', i % 11, '', '2026-03-01', ?2 + i, ?2 + i FROM seq`,
    )
      .bind(site, start, rows)
      .run()
    const csv = await (await asOperator(`/v1/sites/${site}/responses?format=csv`, token)).text()
    const [header, ...lines] = csv.trim().split('\r\n')
    expect(lines).toHaveLength(rows)
    const idColumn = header!.split(',').indexOf('id')
    const ids = lines.map((line) => line.split(',')[idColumn]!)
    expect(new Set(ids).size).toBe(rows)
    const expected = Array.from({ length: rows }, (_, index) => rows - 1 - index).map((i) => `${i.toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`)
    expect(ids).toEqual(expected)
  })
})
