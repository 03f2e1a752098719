/**
 * Rollups: the counters every stats query reads instead of the raw rows, so a query costs the
 * same at ten thousand answers as at ten million. Every statement that touches a rollup table
 * is in this file.
 *
 * THE INVARIANT. For every rollup table, each row's counters equal the sum, over the counted
 * rows (responses or impressions) of the same site and key, of what each of them contributes
 * (see {@link KINDS}): for a kind that joins other rows to them (dimension ratings, tags), what
 * each counted row contributes with the rows it joins. Rows with all counters 0 may linger
 * until erasure prunes them.
 *
 * How it is kept: a statement that inserts, changes or deletes counted rows runs only through
 * {@link changeCounted}, which sends one D1 batch (one transaction): first the rows' current
 * contributions are taken out of every rollup, then the change runs, then the contributions of
 * the rows as they are afterwards are added back. Whatever the change (a new answer, a repeat, a
 * merged comment, a changed score, an erasure) and whatever ran before it, the invariant holds
 * when the batch commits. worker/test/rollups.property.test.ts recounts the raw rows after
 * random sequences of all of these and compares.
 *
 * Adding a kind: a migration creating its table (primary key `site_id` plus its `keys`, in that
 * order) and filling it from the existing rows, then an entry in {@link KINDS}; the writes above
 * then keep it in step with no other change, and a read goes next to the others at the bottom.
 * A kind that joins a table (`reads`) needs one more thing: every write to that table runs as a
 * change inside {@link changeCounted}, with the counted rows it belongs to (response-tags.ts).
 * Contributions are summed per key, so a change to many rows at once (a batch of 50 answers
 * given to {@link changeCounted} by id) costs one upsert per key touched, not one per row.
 */

/** The raw tables rollups count. */
export type CountedTable = 'responses' | 'impressions'

/** Tables a rollup joins to the counted rows: what it counts depends on their rows too. */
export type JoinedTable = 'response_tags'

interface RollupKind {
  table: string
  source: CountedTable
  /**
   * What is joined to the counted row `r`: a table-valued function of it (one row per
   * dimension rating), or a table with its `ON` condition. A row that joins nothing adds nothing.
   */
  join?: string
  /** The table `join` reads, when it is one: a change to that table alone moves only the kinds that read it. */
  reads?: JoinedTable
  /** The key columns after `site_id`, and the expression over `r` (and the join) each holds. */
  keys: Record<string, string>
  /** The counter columns, and the expression each counted row adds to it. */
  sums: Record<string, string>
}

/** The keys every rollup has: the survey, the day, and what stats can narrow by. */
const FILTER_KEYS = { survey_id: 'r.survey_id', day: 'r.day', checkpoint: 'r.checkpoint', segment: 'r.segment' }

/** Every rollup and what a counted row contributes to it. */
const KINDS: readonly RollupKind[] = [
  // Answers per score; flagged answers (fast, bot, repeat) apart, so stats can leave them out.
  { table: 'score_rollups', source: 'responses', keys: { ...FILTER_KEYS, flagged: "r.flags != ''", score: 'r.score' }, sums: { n: '1' } },
  // Ratings per dimension: how many, and their total (mean = total / n).
  {
    table: 'dimension_rollups',
    source: 'responses',
    join: 'json_each(r.dimensions) j',
    keys: { ...FILTER_KEYS, flagged: "r.flags != ''", dimension: 'j.key' },
    sums: { n: '1', total: 'j.value' },
  },
  // Key drivers: per dimension and score, how many ratings, their total and their sum of squares,
  // so stats can sum x, x², y, y² and xy for any function y of the score (the score itself, or
  // promoter/detractor). Keyed by the score rather than by a band, because what an answer adds
  // must depend on the answer alone, not on its survey's type (migration 0009 made and filled it).
  {
    table: 'driver_rollups',
    source: 'responses',
    join: 'json_each(r.dimensions) j',
    keys: { ...FILTER_KEYS, flagged: "r.flags != ''", dimension: 'j.key', score: 'r.score' },
    sums: { n: '1', total: 'j.value', squares: 'j.value * j.value' },
  },
  // Answers per tag of their comment and score (themes): an answer adds 1 for each of its tags.
  // Its tags are rows of their own, so the tag statements run inside changeCounted too.
  {
    table: 'tag_rollups',
    source: 'responses',
    join: 'response_tags t ON t.site_id = r.site_id AND t.response_id = r.id',
    reads: 'response_tags',
    keys: { ...FILTER_KEYS, flagged: "r.flags != ''", tag: 't.tag', score: 'r.score' },
    sums: { n: '1' },
  },
  // Cards shown and dismissed, for response rates; flagged ones (bot, incomplete, repeat) apart, like answers.
  { table: 'impression_rollups', source: 'impressions', keys: { ...FILTER_KEYS, flagged: "r.flags != ''", kind: 'r.kind' }, sums: { n: '1' } },
]

/** The rollup tables and their primary keys, for erasure's list of every table that holds a site's data (erase.ts). */
export const ROLLUP_TABLES: readonly { table: string; key: readonly string[] }[] = KINDS.map((kind) => ({ table: kind.table, key: ['site_id', ...Object.keys(kind.keys)] }))

/**
 * Counted rows of one site: `where` is a condition on the row `r`, with `?` for `params`.
 * Build them with {@link countedWithIds} or, for other conditions, in the module that owns them.
 */
export interface CountedRows {
  table: CountedTable
  siteId: string
  where: string
  params: (string | number)[]
}

/** The rows of `table` with these ids: one, or a batch (D1 binds at most 100 parameters a statement, so at most 99 ids). */
export function countedWithIds(table: CountedTable, siteId: string, ids: readonly string[]): CountedRows {
  return { table, siteId, where: `r.id IN (${ids.map(() => '?').join(', ')})`, params: [...ids] }
}

/** Adds (`sign` 1) or takes out (−1) the contributions of `rows` to the rollups of their table (those reading `only`, if given). */
function countStatements(db: D1Database, rows: CountedRows, sign: 1 | -1, only?: JoinedTable): D1PreparedStatement[] {
  return KINDS.filter((kind) => kind.source === rows.table && (only === undefined || kind.reads === only)).map((kind) => {
    const keys = Object.entries(kind.keys)
    const sums = Object.entries(kind.sums)
    const columns = ['site_id', ...keys.map(([column]) => column), ...sums.map(([column]) => column)]
    const values = ['r.site_id', ...keys.map(([, value]) => value), ...sums.map(([, value]) => `${sign} * SUM(${value})`)]
    const groups = Array.from({ length: keys.length + 1 }, (_, index) => index + 1)
    return db
      .prepare(
        `INSERT INTO ${kind.table} (${columns.join(', ')})
         SELECT ${values.join(', ')} FROM ${rows.table} r${kind.join ? ` JOIN ${kind.join}` : ''}
         WHERE r.site_id = ? AND (${rows.where}) GROUP BY ${groups.join(', ')}
         ON CONFLICT DO UPDATE SET ${sums.map(([column]) => `${column} = ${column} + excluded.${column}`).join(', ')}`,
      )
      .bind(rows.siteId, ...rows.params)
  })
}

/**
 * Runs `changes` to the counted `rows` with the rollups kept in step, in one D1 batch (see the
 * invariant above). `rows` must cover every counted row the changes insert, alter or delete,
 * and every counted row whose joined rows (its tags) they insert, alter or delete.
 * `only`: the changes alter nothing but that joined table (re-tagging), so only the rollups
 * reading it can move; the others are left alone instead of being taken out and put back.
 * Returns the results of `changes`, in their order.
 */
export async function changeCounted(db: D1Database, rows: CountedRows[], changes: D1PreparedStatement[], only?: JoinedTable): Promise<D1Result[]> {
  const before = rows.flatMap((set) => countStatements(db, set, -1, only))
  const after = rows.flatMap((set) => countStatements(db, set, 1, only))
  const results = await db.batch([...before, ...changes, ...after])
  return results.slice(before.length, before.length + changes.length)
}

/** Statements that drop a site's rollup rows whose counts are all 0, so an erased answer leaves no trace. */
export function pruneStatements(db: D1Database, siteId: string): D1PreparedStatement[] {
  return KINDS.map((kind) => db.prepare(`DELETE FROM ${kind.table} WHERE site_id = ? AND n = 0`).bind(siteId))
}

/**
 * A chunk of a site's or a survey's deletion (deletions.ts): deletes at most `limit` rows of one
 * rollup table of a site, or of one of its surveys, found through the primary key's prefix. It
 * runs once the rows they count are gone, so there is no invariant left to keep for them.
 * `guard`: a condition the chunk runs under, with its parameters.
 */
export function deleteRollupChunk(db: D1Database, table: string, siteId: string, surveyId: string | null, limit: number, guard: { sql: string; params: (string | number | null)[] }): D1PreparedStatement {
  const kind = KINDS.find((candidate) => candidate.table === table)
  if (!kind) throw new Error(`${table} is no rollup table`)
  const key = ['site_id', ...Object.keys(kind.keys)].join(', ')
  const ofSurvey = surveyId === null ? '' : ' AND survey_id = ?'
  return db
    .prepare(`DELETE FROM ${table} WHERE (${key}) IN (SELECT ${key} FROM ${table} WHERE site_id = ?${ofSurvey} LIMIT ?) AND ${guard.sql}`)
    .bind(siteId, ...(surveyId === null ? [] : [surveyId]), limit, ...guard.params)
}

/** A condition: a site, or one of its surveys, still has a row in some rollup table (a deletion ends when it has none). */
export function rollupRowsLeft(siteId: string, surveyId: string | null): { sql: string; params: string[] } {
  const ofSurvey = surveyId === null ? '' : ' AND survey_id = ?'
  return {
    sql: KINDS.map((kind) => `EXISTS (SELECT 1 FROM ${kind.table} WHERE site_id = ?${ofSurvey})`).join(' OR '),
    params: KINDS.flatMap(() => (surveyId === null ? [siteId] : [siteId, surveyId])),
  }
}

/** What a read covers: one survey of a site, days inclusive (in the site's timezone), and optional filters. */
export interface RollupQuery {
  siteId: string
  surveyId: string
  from: string
  to: string
  checkpoint?: string
  segment?: string
  /** Count flagged answers and impressions too. */
  includeFlagged: boolean
}

function where(query: RollupQuery): { sql: string; params: (string | number)[] } {
  const clauses = ['site_id = ?', 'survey_id = ?', 'day BETWEEN ? AND ?']
  const params: (string | number)[] = [query.siteId, query.surveyId, query.from, query.to]
  if (query.checkpoint !== undefined) clauses.push('checkpoint = ?'), params.push(query.checkpoint)
  if (query.segment !== undefined) clauses.push('segment = ?'), params.push(query.segment)
  if (!query.includeFlagged) clauses.push('flagged = 0')
  return { sql: clauses.join(' AND '), params }
}

/** A row of {@link scoreCountsStatement}: answers per score, per group when grouped. */
export type ScoreCountRow = { key: string; score: number; n: number }

/** Answers per score in `query`, per day, checkpoint or segment when `by` says so. */
export function scoreCountsStatement(db: D1Database, query: RollupQuery, by?: 'day' | 'checkpoint' | 'segment'): D1PreparedStatement {
  const { sql, params } = where(query)
  const group = by ? `${by}, score` : 'score'
  return db.prepare(`SELECT ${by ?? "''"} AS key, score, SUM(n) AS n FROM score_rollups WHERE ${sql} GROUP BY ${group}`).bind(...params)
}

/** A row of {@link dimensionTotalsStatement}. */
export type DimensionTotalRow = { id: string; n: number; total: number }

/** Ratings per dimension in `query`: how many and their total. */
export function dimensionTotalsStatement(db: D1Database, query: RollupQuery): D1PreparedStatement {
  const { sql, params } = where(query)
  return db.prepare(`SELECT dimension AS id, SUM(n) AS n, SUM(total) AS total FROM dimension_rollups WHERE ${sql} GROUP BY dimension`).bind(...params)
}

/** A row of {@link driverSumsStatement}: one dimension's ratings among the answers that gave one score. */
export type DriverRow = { dimension: string; score: number; n: number; total: number; squares: number }

/** Ratings per dimension and score in `query`: how many, their total and their sum of squares. */
export function driverSumsStatement(db: D1Database, query: RollupQuery): D1PreparedStatement {
  const { sql, params } = where(query)
  return db
    .prepare(`SELECT dimension, score, SUM(n) AS n, SUM(total) AS total, SUM(squares) AS squares FROM driver_rollups WHERE ${sql} GROUP BY dimension, score`)
    .bind(...params)
}

/** A row of {@link tagScoreCountsStatement}: answers carrying a tag, per score. */
export type TagScoreRow = { tag: string; score: number; n: number }

/** Answers per tag of their comment and score in `query`. */
export function tagScoreCountsStatement(db: D1Database, query: RollupQuery): D1PreparedStatement {
  const { sql, params } = where(query)
  return db.prepare(`SELECT tag, score, SUM(n) AS n FROM tag_rollups WHERE ${sql} GROUP BY tag, score`).bind(...params)
}

/** How many cards of this kind were shown or dismissed in `query`, as `{ n }`. */
export function impressionCountStatement(db: D1Database, query: RollupQuery, kind: 'shown' | 'dismissed'): D1PreparedStatement {
  const { sql, params } = where(query)
  return db.prepare(`SELECT COALESCE(SUM(n), 0) AS n FROM impression_rollups WHERE ${sql} AND kind = ?`).bind(...params, kind)
}
