import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { followUpMetrics } from '../src/follow-up-metrics.ts'
import { freshSite } from './helpers.ts'

/**
 * The follow-up metrics cost what the period holds, not what the site ever had, only if every
 * read of a table finds its rows through an index by a range the period bounds. This reads
 * SQLite's own plan of each statement followUpMetrics sends (caught on their way to D1, with
 * their values) and fails on a scan of a table, or a search that narrows only by site.
 */

type Sent = { sql: string; values: unknown[] }

/** env.DB that keeps every statement it is sent, with its values. */
function recording(db: D1Database): { db: D1Database; sent: Sent[] } {
  const sent: Sent[] = []
  const proxy = {
    prepare: (sql: string) => ({
      bind: (...values: unknown[]) => {
        sent.push({ sql, values })
        return db.prepare(sql).bind(...values)
      },
    }),
    batch: (statements: D1PreparedStatement[]) => db.batch(statements),
  } as unknown as D1Database
  return { db: proxy, sent }
}

/** The plan's lines, and those that read a table whole or by no more than the site. */
async function planOf({ sql, values }: Sent): Promise<{ lines: string[]; wide: string[] }> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...values).all<{ detail: string }>()
  const lines = results.map((row) => row.detail)
  // The tables, under their aliases; a scan of a CTE or subquery (picked, c, d, g, o) reads rows these searches found.
  const table = /^(SCAN|SEARCH) (f|r|s|follow_ups|responses|surveys)\b/
  return { lines, wide: lines.filter((line) => table.test(line) && (/^SCAN /.test(line) || / \(site_id=\?\)$/.test(line))) }
}

describe('the follow-up metrics read through indexes the period bounds', () => {
  it('each statement, with a survey or without: no table scanned, every follow-ups read a range of an index', async () => {
    const { site } = await freshSite()
    const { db, sent } = recording(env.DB)
    const period = { from: '2026-04-01', to: '2026-04-30' }
    await followUpMetrics(db, site, 'Asia/Shanghai', period, 'nps', Date.parse('2026-05-10T00:00:00Z'))
    await followUpMetrics(db, site, 'Asia/Shanghai', period, null, Date.parse('2026-04-10T00:00:00Z'))
    expect(sent).toHaveLength(4)
    for (const statement of sent) {
      const { lines, wide } = await planOf(statement)
      expect({ sql: statement.sql, wide }).toEqual({ sql: statement.sql, wide: [] })
      const followUpReads = lines.filter((line) => /^(SCAN|SEARCH) (f|follow_ups)\b/.test(line) && !/USING INTEGER PRIMARY KEY/.test(line))
      expect(followUpReads.length).toBeGreaterThan(0)
      // Each read of follow_ups is a range (created, due, first action, resolved) of one of its indexes.
      for (const line of followUpReads) expect(line).toMatch(/^SEARCH follow_ups USING (COVERING )?INDEX follow_ups_by_\w+ \(site_id=\? AND \w+(=\? AND due_at)?[<>]/)
    }
  })
})
