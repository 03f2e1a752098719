import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { answersWithIds, writeTagsStatements } from '../src/response-tags.ts'
import { listContext, listResponses } from '../src/responses.ts'
import { runRetag } from '../src/retagging.ts'
import { changeCounted } from '../src/rollups.ts'
import { findSite, saveSite } from '../src/sites.ts'
import { findSurvey } from '../src/surveys.ts'
import { themesFor } from '../src/themes.ts'
import { freshSite } from './helpers.ts'

/**
 * Tag filtering, themes and re-tagging cost the same however many answers a site has only if
 * every statement finds its rows through an index narrower than the site. This reads SQLite's
 * own plan for each statement the worker sends (caught on their way to D1, with their values)
 * and fails on a scan of a table, or a search that narrows only by site. npm run bench:tags
 * measures the same at 10 k and 1 M answers.
 */

type Sent = { sql: string; values: unknown[] }

/** env.DB that keeps every statement it is sent, with its values. */
function recording(db: D1Database): { db: D1Database; sent: Sent[] } {
  const sent: Sent[] = []
  const real = new WeakMap<object, D1PreparedStatement>()
  const recorded = new WeakMap<object, Sent>()
  const wrap = (statement: D1PreparedStatement, sql: string, values: unknown[]): D1PreparedStatement => {
    const note = () => sent.push({ sql, values })
    const wrapped = {
      bind: (...bound: unknown[]) => wrap(statement.bind(...bound), sql, bound),
      all: () => (note(), statement.all()),
      run: () => (note(), statement.run()),
      first: (column?: string) => (note(), column === undefined ? statement.first() : statement.first(column)),
      raw: () => (note(), statement.raw()),
    } as unknown as D1PreparedStatement
    real.set(wrapped, statement)
    recorded.set(wrapped, { sql, values })
    return wrapped
  }
  const proxy = {
    prepare: (sql: string) => wrap(db.prepare(sql), sql, []),
    batch: (statements: D1PreparedStatement[]) => {
      for (const statement of statements) sent.push(recorded.get(statement)!)
      return db.batch(statements.map((statement) => real.get(statement) ?? statement))
    },
  } as unknown as D1Database
  return { db: proxy, sent }
}

/** What grows with the answers: the answers (as `r`), their tags (`t`, `x`) and the rollups. */
const GROWING = /^(SCAN|SEARCH) (r|t|x|f|responses|response_tags|follow_ups|\w+_rollups) /

/** The lines of SQLite's plan that scan a table, or read what grows with the answers by no more than the site. */
async function wideReads({ sql, values }: Sent): Promise<string[]> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...values).all<{ detail: string }>()
  return results
    .map((row) => row.detail)
    .filter((detail) => (/^SCAN /.test(detail) && !detail.includes('VIRTUAL TABLE')) || (GROWING.test(detail) && / \(site_id=\?\)$/.test(detail)))
}

async function expectNarrow(sent: Sent[]): Promise<void> {
  expect(sent.length).toBeGreaterThan(0)
  for (const statement of sent) expect({ sql: statement.sql, wide: await wideReads(statement) }).toEqual({ sql: statement.sql, wide: [] })
}

describe('every statement of tag filtering, themes and re-tagging reads through an index narrower than the site', () => {
  it('the tag filter of the listing, with a survey or without, on its first page and on later ones', async () => {
    const { site: siteId } = await freshSite()
    const site = (await findSite(env.DB, siteId))!
    const { db, sent } = recording(env.DB)
    const context = await listContext(env.DB, site)
    const after = { createdAt: Date.parse('2026-05-01T00:00:00Z'), id: '00000000-0000-4000-8000-000000000000' }
    await listResponses(db, siteId, context, { survey: 'nps', tag: 'delivery', flagged: 'include' }, 100)
    await listResponses(db, siteId, context, { tag: 'delivery', flagged: 'exclude', from: '2026-04-01' }, 100, after)
    await listResponses(db, siteId, context, { survey: 'csat', tag: 'problem', flagged: 'include', band: 'low', followUp: 'open' }, 100, after)
    await expectNarrow(sent)
  })

  it('themes and hot issues', async () => {
    const { site: siteId } = await freshSite()
    const survey = (await findSurvey(env.DB, siteId, 'nps'))!
    const { db, sent } = recording(env.DB)
    await themesFor(db, siteId, survey, { from: '2026-04-01', to: '2026-04-30', segment: 'vip' })
    await expectNarrow(sent)
  })

  it('writing tags with the tag rollup kept in step, and a batch of re-tagging past its first', async () => {
    const { site: siteId } = await freshSite()
    const site = (await findSite(env.DB, siteId))!
    const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']
    const writes = [{ id: ids[0]!, tags: ['problem', 'delivery'], updatedAt: 1 }, { id: ids[1]!, tags: [], comment: 'ok' }]
    const tags = recording(env.DB)
    await changeCounted(tags.db, [answersWithIds(siteId, ids)], writeTagsStatements(tags.db, siteId, writes), 'response_tags')
    await expectNarrow(tags.sent)

    const message = (await saveSite(env.DB, siteId, { name: site.name, origins: site.origins, settings: { tagRules: [{ tag: 'coffee', keywords: ['espresso'] }] } }, site, undefined, 0))!
    await env.DB.prepare('UPDATE tag_jobs SET total = 0, cursor_created_at = 1, cursor_id = ? WHERE site_id = ?').bind(ids[0], siteId).run()
    const retag = recording(env.DB)
    await runRetag(retag.db, siteId, message.job, { now: message.notBefore, batches: 1 })
    await expectNarrow(retag.sent)
  })
})
