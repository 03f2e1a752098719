import type { SurveyType } from '../../sdk/protocol.ts'
import { sha256Hex } from './crypto.ts'

/**
 * The shape of `worker/seed/*.json`: one site with its surveys. Loosely typed on purpose: the
 * scripts that seed a local D1 run in Node, outside the worker's types, and the worker checks
 * the demo seed with its own schemas (worker/test/seed.test.ts).
 */
export interface SiteSeed {
  site: string
  name: string
  operatorToken: string
  timezone: string
  origins: string[]
  /** Stored as given; the worker fills in defaults for what is missing when it reads a site. */
  settings?: Record<string, unknown>
  surveys: ({ id: string; type: SurveyType } & Record<string, unknown>)[]
}

/** A statement with its parameters, runnable by D1 or printable as SQL. */
export interface SeedStatement {
  sql: string
  params: (string | number)[]
}

/**
 * Statements that create or refresh a site from a seed, safe to run again:
 * the site is upserted and its origins and surveys replaced as a whole.
 */
export async function seedStatements(seed: SiteSeed, now = Date.now()): Promise<SeedStatement[]> {
  const tokenHash = await sha256Hex(seed.operatorToken)
  return [
    {
      sql: `INSERT INTO sites (id, name, token_hash, timezone, settings, updated_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, token_hash = excluded.token_hash,
            timezone = excluded.timezone, settings = excluded.settings, updated_at = excluded.updated_at`,
      params: [seed.site, seed.name, tokenHash, seed.timezone, JSON.stringify(seed.settings ?? {}), now],
    },
    { sql: 'DELETE FROM site_origins WHERE site_id = ?', params: [seed.site] },
    ...seed.origins.map((origin) => ({
      sql: 'INSERT INTO site_origins (site_id, origin) VALUES (?, ?)',
      params: [seed.site, origin],
    })),
    { sql: 'DELETE FROM surveys WHERE site_id = ?', params: [seed.site] },
    ...seed.surveys.map(({ id, type, ...definition }) => ({
      sql: 'INSERT INTO surveys (site_id, id, type, definition, updated_at) VALUES (?, ?, ?, ?, ?)',
      params: [seed.site, id, type, JSON.stringify(definition), now],
    })),
  ]
}

const sqlLiteral = (value: string | number): string =>
  typeof value === 'number' ? String(value) : `'${value.replaceAll("'", "''")}'`

/** The statements as one SQL script, for `wrangler d1 execute --file`. */
export function toSqlScript(statements: SeedStatement[]): string {
  return statements
    .map(({ sql, params }) => {
      let index = 0
      return `${sql.replace(/\?/g, () => sqlLiteral(params[index++]!))};`
    })
    .join('\n')
}
