/**
 * What tag filtering, themes and re-tagging cost at 10 k and at 1 M answers, measured inside
 * workerd on a local D1 with the worker's own functions (run by `npm run bench:tags`, never by
 * the test suite: vitest.bench.config.ts). Two sites share one database, one with 10 k answers
 * and one with 1 M, seeded straight into D1 (every answer with a comment of the evaluation set,
 * tagged as the classifier tags it, rollups filled by recount); each query runs on both in
 * interleaved rounds, so load on a shared machine falls on both alike. The results are printed
 * as one `BENCH_JSON` line for scripts/bench-tags.ts to write into bench/RESULTS.md.
 *
 * Per query: D1's rows read (what D1 bills, the same on every run), D1's own time for the
 * statements, and the time the worker waited (Date.now moves with I/O in workerd, so it covers
 * the D1 calls and the work between them).
 */
import { env } from 'cloudflare:workers'
import { it } from 'vitest'
import { listContext, listResponses } from '../../src/responses.ts'
import { runRetag } from '../../src/retagging.ts'
import { seedStatements } from '../../src/seed.ts'
import { findSite, saveSite, type Site } from '../../src/sites.ts'
import { computeStats } from '../../src/stats.ts'
import { findSurvey, type Survey } from '../../src/surveys.ts'
import { classifyComment } from '../../src/tags.ts'
import { themesFor } from '../../src/themes.ts'
import { evalSet } from '../tags-eval/eval-set.ts'

declare global {
  namespace Cloudflare {
    interface Env {
      /** Rounds of every query (vitest.bench.config.ts passes BENCH_ROUNDS through). */
      BENCH_ROUNDS?: string
      /** Answers of the large site (default 1 M; a smaller figure tries the bench out quickly). */
      BENCH_LARGE?: string
    }
  }
}

const SIZES = { small: 10_000, large: Number(env.BENCH_LARGE ?? 1_000_000) } as const
type Size = keyof typeof SIZES
const ROUNDS = Number(env.BENCH_ROUNDS ?? 7)
/** Calls per query per round: one call is a few ms, below what one clock reading resolves well. */
const CALLS = 10
const DAY = 24 * 3600 * 1000
/** The last day of the seeded answers: they spread over the 60 days up to it. */
const LAST_DAY = '2026-06-30'
const LAST_MIDNIGHT = Date.parse(`${LAST_DAY}T00:00:00Z`)

interface Cost {
  rowsRead: number
  rowsWritten: number
  d1Ms: number
  queries: number
}

/** env.DB with every statement's meta summed: rows read and written, D1's time, statements. */
function metered(db: D1Database): { db: D1Database; take: () => Cost } {
  let cost: Cost = { rowsRead: 0, rowsWritten: 0, d1Ms: 0, queries: 0 }
  const record = (meta: D1Meta) => {
    cost.rowsRead += meta.rows_read ?? 0
    cost.rowsWritten += meta.rows_written ?? 0
    cost.d1Ms += meta.duration ?? 0
    cost.queries += 1
  }
  const inner = new WeakMap<object, D1PreparedStatement>()
  const wrap = (statement: D1PreparedStatement): D1PreparedStatement => {
    const wrapped = {
      bind: (...values: unknown[]) => wrap(statement.bind(...values)),
      all: async () => {
        const result = await statement.all()
        record(result.meta)
        return result
      },
      run: async () => {
        const result = await statement.run()
        record(result.meta)
        return result
      },
      first: async (column?: string) => {
        const result = await statement.all<Record<string, unknown>>()
        record(result.meta)
        const row = result.results[0] ?? null
        return column === undefined ? row : (row?.[column] ?? null)
      },
      raw: () => statement.raw(),
    } as unknown as D1PreparedStatement
    inner.set(wrapped, statement)
    return wrapped
  }
  const proxy = {
    prepare: (sql: string) => wrap(db.prepare(sql)),
    batch: async (statements: D1PreparedStatement[]) => {
      const results = await db.batch(statements.map((statement) => inner.get(statement) ?? statement))
      for (const result of results) record(result.meta)
      return results
    },
    exec: (sql: string) => db.exec(sql),
  } as unknown as D1Database
  return {
    db: proxy,
    take: () => {
      const taken = cost
      cost = { rowsRead: 0, rowsWritten: 0, d1Ms: 0, queries: 0 }
      return taken
    },
  }
}

const siteId = (size: Size) => `pk_bench_${size}`

/** One site: an NPS survey with 90 % of the answers, a CSAT one with 10 %. */
async function seedSite(size: Size): Promise<void> {
  const statements = await seedStatements({
    site: siteId(size),
    name: `bench ${size}`,
    operatorToken: `bench-${size}`,
    timezone: 'UTC',
    origins: ['https://bench.example'],
    surveys: [
      { id: 'nps', type: 'nps', checkpoints: ['order_completed'], question: { en: 'q' } },
      { id: 'csat', type: 'csat', checkpoints: ['ticket_closed'], question: { en: 'q' } },
    ],
  })
  await env.DB.batch(statements.map(({ sql, params }) => env.DB.prepare(sql).bind(...params)))
}

/** The comments of the evaluation set and the tags the classifier gives them, as tables the seeding joins. */
async function seedTexts(): Promise<void> {
  const texts = evalSet.map((comment) => comment.text)
  const tags = texts.flatMap((text, i) => classifyComment(text).tags.map((tag, position) => ({ i, tag, position })))
  await env.DB.batch([
    env.DB.prepare('CREATE TABLE bench_texts (text_i INTEGER PRIMARY KEY, comment TEXT NOT NULL)'),
    env.DB.prepare('CREATE TABLE bench_text_tags (text_i INTEGER NOT NULL, tag TEXT NOT NULL, position INTEGER NOT NULL)'),
    env.DB.prepare('INSERT INTO bench_texts SELECT key, value FROM json_each(?)').bind(JSON.stringify(texts)),
    env.DB.prepare("INSERT INTO bench_text_tags SELECT value ->> 'i', value ->> 'tag', value ->> 'position' FROM json_each(?)").bind(JSON.stringify(tags)),
  ])
}

/**
 * `count` answers of one site, ids from `offset`, in chunks (each one statement): over 60 days,
 * 3 checkpoints, 4 segments, every score; answer i carries comment i mod 415 and its tags.
 */
async function seedAnswers(size: Size): Promise<void> {
  const site = siteId(size)
  const chunk = 100_000
  const sequence = (from: number, to: number) => `WITH RECURSIVE seq(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM seq WHERE i < ${to - 1})`
  const id = "printf('%08x-0000-4000-8000-%012x', i, i)"
  const createdAt = `(${LAST_MIDNIGHT} - (i % 60) * ${DAY} + 3600000 + i / 60)`
  for (let from = 0; from < SIZES[size]; from += chunk) {
    const to = Math.min(SIZES[size], from + chunk)
    await env.DB.batch([
      env.DB.prepare(
        `${sequence(from, to)}
         INSERT INTO responses (site_id, id, survey_id, checkpoint, segment, score, comment, visitor_id, locale, flags, day, created_at, updated_at)
         SELECT ?1, ${id}, CASE WHEN i % 10 = 0 THEN 'csat' ELSE 'nps' END,
           CASE i % 3 WHEN 0 THEN 'order_completed' WHEN 1 THEN 'delivery_received' ELSE 'checkout' END,
           CASE i % 4 WHEN 0 THEN 'new' WHEN 1 THEN 'active' WHEN 2 THEN 'key' ELSE '' END,
           CASE WHEN i % 10 = 0 THEN 1 + (i / 10) % 5 ELSE (i * 7) % 11 END,
           (SELECT comment FROM bench_texts WHERE text_i = i % 415), 'bv' || (i % 50000), 'en', '',
           strftime('%Y-%m-%d', ${createdAt} / 1000, 'unixepoch'), ${createdAt}, ${createdAt}
         FROM seq`,
      ).bind(site),
      env.DB.prepare(
        `${sequence(from, to)}
         INSERT INTO response_tags (site_id, response_id, tag, position, survey_id, created_at)
         SELECT ?1, ${id}, t.tag, t.position, CASE WHEN i % 10 = 0 THEN 'csat' ELSE 'nps' END, ${createdAt}
         FROM seq JOIN bench_text_tags t ON t.text_i = i % 415`,
      ).bind(site),
    ])
  }
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO score_rollups (site_id, survey_id, day, checkpoint, segment, flagged, score, n)
       SELECT site_id, survey_id, day, checkpoint, segment, 0, score, COUNT(*) FROM responses WHERE site_id = ? GROUP BY 2, 3, 4, 5, 7`,
    ).bind(site),
    env.DB.prepare(
      `INSERT INTO tag_rollups (site_id, survey_id, day, checkpoint, segment, flagged, tag, score, n)
       SELECT r.site_id, r.survey_id, r.day, r.checkpoint, r.segment, 0, t.tag, r.score, COUNT(*)
       FROM responses r JOIN response_tags t ON t.site_id = r.site_id AND t.response_id = r.id WHERE r.site_id = ? GROUP BY 2, 3, 4, 5, 7, 8`,
    ).bind(site),
  ])
}

/**
 * The tag filter as it was before: one LIKE per keyword of the rule over the site's answers,
 * here a site's rule of 90 words that few comments hold (at 100, the bound parameters D1 allows,
 * it was a 500), so it reads on until it finds a page or runs out of answers.
 */
function legacyTagPage(db: D1Database, site: string): Promise<D1Result> {
  const keywords = Array.from({ length: 90 }, (_, i) => `espresso${i}`)
  return db
    .prepare(
      `SELECT r.* FROM responses r WHERE r.site_id = ? AND r.survey_id = 'nps' AND (${keywords.map(() => "r.comment LIKE ? ESCAPE '\\'").join(' OR ')})
       ORDER BY r.created_at DESC, r.id DESC LIMIT 101`,
    )
    .bind(site, ...keywords.map((keyword) => `%${keyword}%`))
    .all()
}

interface Measured extends Cost {
  /** Median over rounds of the worker's wait per call, ms. */
  ms: number
}

const median = (values: number[]) => values.toSorted((a, b) => a - b)[values.length >> 1]!

it('measures tag filtering, themes and re-tagging at 10 k and 1 M answers', async () => {
  const seedStarted = Date.now()
  await seedTexts()
  for (const size of ['small', 'large'] as const) {
    await seedSite(size)
    await seedAnswers(size)
  }
  const seedMs = Date.now() - seedStarted
  const { db, take } = metered(env.DB)
  const sites = {} as Record<Size, { site: Site; nps: Survey; csat: Survey }>
  for (const size of ['small', 'large'] as const) {
    sites[size] = { site: (await findSite(env.DB, siteId(size)))!, nps: (await findSurvey(env.DB, siteId(size), 'nps'))!, csat: (await findSurvey(env.DB, siteId(size), 'csat'))! }
  }
  const period = { from: '2026-06-01', to: LAST_DAY }
  const statsQuery = { ...period, interval: 'day' as const, includeFlagged: false, comparison: { kind: 'previous' as const, from: '2026-05-02', to: '2026-05-31' } }

  const queries: Record<string, (size: Size) => Promise<unknown>> = {
    'tag filter, one survey (a page of 100)': async (size) => {
      const { site } = sites[size]
      return listResponses(db, site.id, await listContext(db, site), { survey: 'nps', tag: 'delivery', flagged: 'include' }, 100)
    },
    'tag filter, the smaller survey (10 % of answers)': async (size) => {
      const { site } = sites[size]
      return listResponses(db, site.id, await listContext(db, site), { survey: 'csat', tag: 'delivery', flagged: 'include' }, 100)
    },
    'tag filter, all surveys, 16 days, unflagged': async (size) => {
      const { site } = sites[size]
      return listResponses(db, site.id, await listContext(db, site), { tag: 'price', from: '2026-06-15', to: LAST_DAY, flagged: 'exclude' }, 100)
    },
    'themes and hot issues (30 days against the 30 before)': (size) => themesFor(db, siteId(size), sites[size].nps, period),
    'whole stats with themes (30 days, compared)': (size) => computeStats(db, siteId(size), sites[size].nps, statsQuery, 'UTC'),
    'before: the LIKE filter (a site rule of 90 words)': (size) => legacyTagPage(db, siteId(size)),
  }
  const samples: Record<string, Record<Size, { ms: number[]; cost: Cost }>> = {}
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, query] of Object.entries(queries)) {
      const order: Size[] = round % 2 ? ['large', 'small'] : ['small', 'large']
      for (const size of order) {
        // The old LIKE scan reads every answer: one call a round is enough to see it.
        const calls = name.startsWith('before') ? 1 : CALLS
        take()
        const started = Date.now()
        for (let call = 0; call < calls; call++) await query(size)
        const elapsed = (Date.now() - started) / calls
        const cost = take()
        const perCall = { rowsRead: cost.rowsRead / calls, rowsWritten: cost.rowsWritten / calls, d1Ms: cost.d1Ms / calls, queries: cost.queries / calls }
        samples[name] ??= { small: { ms: [], cost: perCall }, large: { ms: [], cost: perCall } }
        samples[name]![size].ms.push(elapsed)
        samples[name]![size].cost = perCall
      }
    }
  }
  const results = Object.entries(samples).map(([name, bySize]) => {
    const of = (size: Size): Measured => ({ ...bySize[size].cost, ms: median(bySize[size].ms) })
    return { name, small: of('small'), large: of('large') }
  })

  // Re-tagging after a rules change: batches of 500 on each site, the first one (which counts the
  // site's comments) apart from the steady ones.
  const retag: Record<Size, { first: Measured; steady: Measured; changedShare: number }> = {} as never
  const rules = [{ tag: 'courier', keywords: ['顺丰', '快递员', 'courier'] }, { tag: 'delivery', keywords: ['宅配'] }]
  for (const size of ['small', 'large'] as const) {
    const { site } = sites[size]
    const message = (await saveSite(env.DB, site.id, { name: site.name, origins: site.origins, settings: { tagRules: rules } }, site, undefined, LAST_MIDNIGHT))!
    const batches: (Measured & { changed: number })[] = []
    for (let batch = 0; batch < 8; batch++) {
      take()
      const before = (await env.DB.prepare('SELECT changed FROM tag_jobs WHERE site_id = ?').bind(site.id).first<number>('changed'))!
      take()
      const started = Date.now()
      await runRetag(db, site.id, message.job, { now: message.notBefore + 1, batches: 1 })
      const ms = Date.now() - started
      const cost = take()
      const after = (await env.DB.prepare('SELECT changed FROM tag_jobs WHERE site_id = ?').bind(site.id).first<number>('changed'))!
      batches.push({ ...cost, ms, changed: after - before })
    }
    const steady = batches.slice(1)
    const mid = (pick: (batch: Measured) => number) => median(steady.map(pick))
    retag[size] = {
      first: batches[0]!,
      steady: { ms: mid((b) => b.ms), rowsRead: mid((b) => b.rowsRead), rowsWritten: mid((b) => b.rowsWritten), d1Ms: mid((b) => b.d1Ms), queries: mid((b) => b.queries) },
      changedShare: steady.reduce((sum, batch) => sum + batch.changed, 0) / (steady.length * 500),
    }
  }
  console.log(`BENCH_JSON:${JSON.stringify({ rounds: ROUNDS, calls: CALLS, seedMs, sizes: SIZES, results, retag })}`)
}, 60 * 60_000)
