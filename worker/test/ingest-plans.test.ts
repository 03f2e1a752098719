import { env } from 'cloudflare:workers'
import { expect, it } from 'vitest'
import { storeImpressions, storeResponses } from '../src/ingest.ts'
import { ingestAdmission } from '../src/rate-limit.ts'
import { findSite } from '../src/sites.ts'
import { findSurvey } from '../src/surveys.ts'
import { freshSite } from './helpers.ts'

/**
 * Every statement of the ingest batch finds rows by a key or an index, never by walking a
 * site's answers, impressions or follow-ups: left to itself SQLite would join json_each to the
 * site's rows, or count a person's answers through the time index, and a large site's unhappy
 * answer cost 85 ms instead of a fraction of one. Checked with EXPLAIN QUERY PLAN on a site that
 * has rows to walk.
 */
type Prepared = D1PreparedStatement & { statement: string; params: unknown[] }

async function plansOf(run: (db: D1Database) => Promise<unknown>): Promise<{ sql: string; plan: string[] }[]> {
  const seen: Prepared[] = []
  const recording = new Proxy(env.DB, {
    get: (target, name) =>
      name === 'batch'
        ? (statements: Prepared[]) => (seen.push(...statements), target.batch(statements))
        : (Reflect.get(target, name) as (...args: unknown[]) => unknown).bind(target),
  })
  await run(recording)
  return Promise.all(
    seen.map(async ({ statement, params }) => ({
      sql: statement.replace(/\s+/g, ' ').slice(0, 70),
      plan: (await env.DB.prepare(`EXPLAIN QUERY PLAN ${statement}`).bind(...params).all<{ detail: string }>()).results.map((row) => row.detail),
    })),
  )
}

it('finds every row of an ingest batch by key or index, and counts a person’s answers by their visitor and user', async () => {
  const { site } = await freshSite()
  await env.DB.prepare(
    `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < 1999)
     INSERT INTO responses (site_id, id, survey_id, score, visitor_id, user_id, flags, day, created_at, updated_at)
     SELECT ?1, printf('seed-%05d', i), 'nps', i % 11, 'sv' || i, 'su' || i, '', '2026-01-01', ?2 - i * 60000, 0 FROM seq`,
  )
    .bind(site, Date.now())
    .run()
  await env.DB.prepare(`INSERT INTO follow_ups (site_id, response_id, survey_id, due_at, created_at, updated_at) SELECT site_id, id, survey_id, 0, 0, 0 FROM responses WHERE site_id = ?`).bind(site).run()
  const siteRow = (await findSite(env.DB, site))!
  const survey = (await findSurvey(env.DB, site, 'nps'))!
  const answers = Array.from({ length: 20 }, (_, index) => ({
    response: { id: crypto.randomUUID(), site, survey: 'nps', score: 2, visitor: `p${index}`, user: `su${index}`, elapsedMs: 3000, comment: 'late', dimensions: { product: 2 } },
    survey,
    viaLink: true,
    prefix: '',
  }))
  const visitors = answers.map(({ response }) => response.visitor)
  const answerLimits = await ingestAdmission('answers', site, {}, '203.0.113.1', visitors)
  const impressionLimits = await ingestAdmission('impressions', site, {}, '203.0.113.1', visitors)
  const plans = [
    ...(await plansOf((db) => storeResponses(db, siteRow, answers, undefined, answerLimits))),
    ...(await plansOf((db) =>
      storeImpressions(db, siteRow, answers.map(({ response }) => ({ impression: { id: crypto.randomUUID(), site, survey: 'nps', kind: 'shown' as const, visitor: response.visitor }, survey, prefix: '' })), undefined, impressionLimits),
    )),
  ]
  expect(plans.length).toBeGreaterThan(10)
  for (const { sql, plan } of plans) {
    // A SCAN of a stored table (not of json_each's virtual rows or a temporary b-tree) walks it.
    const walks = plan.filter((line) => /^SCAN (?!.*VIRTUAL TABLE)(?!\(subquery)/.test(line))
    expect(walks, `${sql}\n${plan.join('\n')}`).toEqual([])
    for (const line of plan) expect(line, sql).not.toMatch(/USING (COVERING )?INDEX (responses_by_time|follow_ups_by_status|responses_by_user \(site_id=\?\)$)/)
  }
  const person = plans.find(({ sql }) => sql.includes('COUNT(DISTINCT id)'))!
  expect(person.plan.join('\n')).toMatch(/INDEX responses_by_visitor \(site_id=\? AND visitor_id=\?\)/)
  expect(person.plan.join('\n')).toMatch(/INDEX responses_by_user \(site_id=\? AND user_id=\?\)/)
})
