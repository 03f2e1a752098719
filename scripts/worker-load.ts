/**
 * The worker on loopback under autocannon. A no-op route is the baseline measured in the same
 * run; ingest is reported as a ratio of it, and stats latency at 1 M answers as a ratio of the
 * same query at 10 k. Ratios are the headline: absolute figures depend on the machine.
 */
import autocannon from 'autocannon'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { demoSeed, prepareLocalDatabase, runAdminToken, startWorker } from './local-worker.ts'

const CONNECTIONS = 20
const root = resolve(import.meta.dirname, '..')

function sql(persistTo: string, statement: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'hearken-bench-sql-'))
  try {
    writeFileSync(join(dir, 'bench.sql'), statement)
    const run = spawnSync(process.execPath, [join(root, 'node_modules/wrangler/bin/wrangler.js'), 'd1', 'execute', 'DB', '--local',
      '--persist-to', persistTo, '-c', join(root, 'worker/wrangler.jsonc'), '--file', join(dir, 'bench.sql')], {
      encoding: 'utf8',
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true', CI: 'true' },
    })
    if (run.status !== 0) throw new Error(run.stderr || run.stdout)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Adds `count` answers (ids from `offset`) and their rollups straight into D1, spread over the
 * 60 days the stats query reads (this period and the one it is compared with): the same query
 * over 100 times the answers.
 */
function seedAnswers(persistTo: string, offset: number, count: number): void {
  sql(persistTo, `
    WITH RECURSIVE seq(i) AS (SELECT ${offset} UNION ALL SELECT i + 1 FROM seq WHERE i < ${offset + count - 1})
    INSERT INTO responses (site_id, id, survey_id, checkpoint, segment, score, visitor_id, locale, flags, day, created_at, updated_at)
    SELECT 'pk_demo', printf('bench-%09d', i), 'post-purchase-nps',
      CASE i % 3 WHEN 0 THEN 'order_completed' WHEN 1 THEN 'delivery_received' ELSE 'checkout' END,
      CASE i % 4 WHEN 0 THEN 'new' WHEN 1 THEN 'active' WHEN 2 THEN 'key' ELSE '' END,
      (i * 7) % 11, 'bv' || (i % 50000), 'en', '', date('now', '-' || (i % 60) || ' days'), 0, 0
    FROM seq;
    INSERT INTO score_rollups (site_id, survey_id, day, checkpoint, segment, flagged, score, n)
    SELECT site_id, survey_id, day, checkpoint, segment, 0, score, COUNT(*) FROM responses
    WHERE site_id = 'pk_demo' AND id >= printf('bench-%09d', ${offset}) AND id <= printf('bench-%09d', ${offset + count - 1})
    GROUP BY site_id, survey_id, day, checkpoint, segment, score
    ON CONFLICT DO UPDATE SET n = n + excluded.n;`)
}

export interface LoadRow {
  name: string
  rps: number
  p50: number
  p99: number
  requests: number
  errors: number
}

async function load(name: string, duration: number, options: autocannon.Options): Promise<LoadRow> {
  const result = await autocannon({ connections: CONNECTIONS, duration, ...options })
  const errors = result.errors + result.timeouts + result.non2xx
  return { name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, requests: result.requests.total, errors }
}

export interface WorkerBench {
  /** Seconds each route was loaded for, over `connections` connections. */
  seconds: number
  connections: number
  rows: LoadRow[]
  /** Ingest throughput over no-op throughput; the goal is ≥ 0.6. */
  ingestRatio: number
  /** Stats p50 at 1 M answers over stats p50 at 10 k; the goal is ≤ 1.5 (flat in row count). */
  statsRatio: number
}

/** Starts a worker of its own (on a port wrangler picks) with a throw-away D1, loads each route for `seconds`, and stops it. */
export async function benchWorker(seconds = Number(process.env.BENCH_SECONDS ?? 8)): Promise<WorkerBench> {
  const persistTo = mkdtempSync(join(tmpdir(), 'hearken-bench-'))
  await prepareLocalDatabase(persistTo, demoSeed())
  seedAnswers(persistTo, 0, 10_000)
  const adminToken = runAdminToken()
  let worker = await startWorker({ persistTo, adminToken })
  const origin = worker.url
  const statsRequest = { path: '/v1/sites/pk_demo/stats?survey=post-purchase-nps&compare=previous', headers: { authorization: 'Bearer dev-operator-token' } }
  try {
    const noop = await load('no-op (GET /health)', seconds, { url: `${worker.url}/health` })
    let counter = 0
    const ingest = await load('ingest (POST /v1/responses)', seconds, {
      url: worker.url,
      requests: [
        {
          method: 'POST',
          path: '/v1/responses',
          headers: { 'content-type': 'text/plain;charset=UTF-8', origin },
          setupRequest: (request) => {
            counter++
            const id = crypto.randomUUID()
            return { ...request, body: JSON.stringify({ id, site: 'pk_demo', survey: 'post-purchase-nps', score: counter % 11, visitor: `load${counter}`, checkpoint: 'order_completed' }) }
          },
        },
      ],
    })
    const stats10k = await load('stats at 10 k answers', seconds, { url: worker.url, requests: [statsRequest] })
    await worker.stop()
    seedAnswers(persistTo, 10_000, 990_000)
    worker = await startWorker({ persistTo, adminToken, port: worker.port })
    const stats1m = await load('stats at 1 M answers', seconds, { url: worker.url, requests: [statsRequest] })
    return {
      seconds,
      connections: CONNECTIONS,
      rows: [noop, ingest, stats10k, stats1m],
      ingestRatio: ingest.rps / noop.rps,
      statsRatio: stats1m.p50 / Math.max(stats10k.p50, 1),
    }
  } finally {
    await worker.stop()
    rmSync(persistTo, { recursive: true, force: true })
  }
}

/** The rows as a markdown table, then the two ratios against their goals. */
export function workerReport(bench: WorkerBench): string {
  return [
    '| route | req/s | p50 ms | p99 ms | requests | errors |',
    '|---|---:|---:|---:|---:|---:|',
    ...bench.rows.map((row) => `| ${row.name} | ${row.rps.toFixed(0)} | ${row.p50} | ${row.p99} | ${row.requests} | ${row.errors} |`),
    '',
    `ingest / no-op throughput: ${bench.ingestRatio.toFixed(2)} (goal ≥ 0.6)`,
    `stats p50 at 1 M / at 10 k: ${bench.statsRatio.toFixed(2)} (goal ≤ 1.5)`,
  ].join('\n')
}
