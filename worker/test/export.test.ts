import { describe, expect, it } from 'vitest'
import { asOperator, freshSite, post } from './helpers.ts'

type Page = { responses: { id: string; comment: string | null; band: string; score: number }[]; next: string | null }

describe('GET /v1/sites/:site/responses', () => {
  it('pages newest first with a cursor, in a stable order, without gaps or repeats', async () => {
    const { site, token } = await freshSite()
    const ids = new Set<string>()
    for (let index = 0; index < 7; index++) {
      const id = crypto.randomUUID()
      ids.add(id)
      await post('/v1/responses', { id, site, survey: 'nps', score: index, visitor: `v${index}x`, elapsedMs: 3000 })
    }
    const seen: string[] = []
    let cursor: string | null = ''
    while (cursor !== null) {
      const page: Page = await (await asOperator(`/v1/sites/${site}/responses?limit=3${cursor ? `&cursor=${cursor}` : ''}`, token)).json()
      seen.push(...page.responses.map((response) => response.id))
      cursor = page.next
    }
    expect(seen).toHaveLength(7)
    expect(new Set(seen)).toEqual(ids)
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
    expect(csv.startsWith('created_at,id,survey,score,band,comment')).toBe(true)
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`)
    expect(csv).toContain(`"'+1 great, ""really"""`)
    expect(csv).toContain('"送货很快\n包装很好"')
    expect(csv).toContain("'@SUM(A1)")
    expect(csv.trim().split('\r\n')).toHaveLength(1 + comments.length)
  })

  it('streams every row of a large range', { timeout: 30_000 }, async () => {
    const { site, token } = await freshSite()
    const responses = Array.from({ length: 50 }, (_, index) => ({ id: crypto.randomUUID(), site, survey: 'nps', score: index % 11, visitor: `bulk${index}`, elapsedMs: 3000 }))
    // Each batch from an address of its own: one address may send 60 answers a minute.
    for (let start = 0; start < 50; start += 25) {
      expect((await post('/v1/responses', { responses: responses.slice(start, start + 25) }, { 'cf-connecting-ip': `192.0.2.${start}` })).status).toBe(200)
    }
    for (let round = 0; round < 11; round++) {
      const more = Array.from({ length: 50 }, (_, index) => ({ id: crypto.randomUUID(), site, survey: 'nps', score: 5, visitor: `r${round}n${index}`, elapsedMs: 3000 }))
      await post('/v1/responses', { responses: more }, { 'cf-connecting-ip': `192.0.2.${100 + round}` })
    }
    const csv = await (await asOperator(`/v1/sites/${site}/responses?format=csv`, token)).text()
    expect(csv.trim().split('\r\n')).toHaveLength(1 + 50 + 11 * 50)
  })
})
