/**
 * The worker on loopback under autocannon. A no-op route is the baseline measured in the same
 * run, interleaved with what it is compared to (A B A B…, three rounds) so a machine that slows
 * down halfway hurts both alike; each figure is the median of its rounds. Ratios are the
 * headline: absolute figures depend on the machine.
 */
import autocannon from 'autocannon'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { demoSeed, prepareLocalDatabase, runAdminToken, startWorker, type RunningWorker } from './local-worker.ts'

const CONNECTIONS = 20
const ROUNDS = 3
const BATCH = 50
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

/**
 * Adds `count` unhappy answers of the last 30 days (ids from `offset`), each with its open
 * follow-up: what the unhappy-answer path once scanned in full for every new unhappy answer.
 */
function seedFollowUps(persistTo: string, offset: number, count: number): void {
  const now = Date.now()
  sql(persistTo, `
    WITH RECURSIVE seq(i) AS (SELECT ${offset} UNION ALL SELECT i + 1 FROM seq WHERE i < ${offset + count - 1})
    INSERT INTO responses (site_id, id, survey_id, checkpoint, segment, score, visitor_id, user_id, locale, flags, day, created_at, updated_at)
    SELECT 'pk_demo', printf('unhappy-%09d', i), 'post-purchase-nps', 'order_completed', '', i % 7, 'uv' || i, 'uu' || i, 'en', '',
      date(${now} / 1000 - (i % 29) * 86400, 'unixepoch'), ${now} - (i % 29) * 86400000, ${now}
    FROM seq;
    INSERT INTO follow_ups (site_id, response_id, survey_id, due_at, created_at, updated_at)
    SELECT site_id, id, survey_id, created_at + 48 * 3600000, created_at, created_at FROM responses
    WHERE site_id = 'pk_demo' AND id >= printf('unhappy-%09d', ${offset}) AND id <= printf('unhappy-%09d', ${offset + count - 1});`)
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

const median = (values: number[]): number => {
  const sorted = values.toSorted((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** The median of each field over rounds of one measurement, named as the first. */
function medianRow(rows: LoadRow[]): LoadRow {
  return {
    name: `${rows[0]!.name} (median of ${rows.length})`,
    rps: median(rows.map((row) => row.rps)),
    p50: median(rows.map((row) => row.p50)),
    p99: median(rows.map((row) => row.p99)),
    requests: rows.reduce((sum, row) => sum + row.requests, 0),
    errors: rows.reduce((sum, row) => sum + row.errors, 0),
  }
}

/** Runs each of `runs` once per round, in turn (A B A B…), and returns each one's median row. */
async function interleaved(runs: (() => Promise<LoadRow>)[]): Promise<LoadRow[]> {
  const rounds: LoadRow[][] = runs.map(() => [])
  for (let round = 0; round < ROUNDS; round++) for (const [index, run] of runs.entries()) rounds[index]!.push(await run())
  return rounds.map(medianRow)
}

export interface WorkerBench {
  /** Seconds each route was loaded for per round, over `connections` connections. */
  seconds: number
  connections: number
  rows: LoadRow[]
  /** Single-answer ingest throughput over no-op throughput; the goal is ≥ 0.4 (a D1 write costs ≈ 0.43 locally). */
  ingestRatio: number
  /** Answers stored per second in batches of 50; the goal is ≥ 1,000. */
  batchAnswersPerSecond: number
  /** Unhappy-answer ingest at 100 k follow-ups over the same at 1 k; flat is ≈ 1. */
  unhappyRatio: number
  /** Stats p50 at 1 M answers over stats p50 at 10 k; the goal is ≤ 1.5 (flat in row count). Measured when asked for. */
  statsRatio?: number
}

/** An answer as the SDK sends it, from a visitor of its own. */
function answer(counter: number, score: number) {
  return { id: crypto.randomUUID(), site: 'pk_demo', survey: 'post-purchase-nps', score, visitor: `load${counter}`, elapsedMs: 4000, checkpoint: 'order_completed' }
}

/**
 * Starts a worker of its own (on a port wrangler picks) with a throw-away D1, loads each route for
 * `seconds` per round, and stops it. The demo site's limits are raised (the load comes from
 * one address): the counting still runs in every request, only its caps are out of reach.
 * With `stats`, also the stats query at 10 k and 1 M answers.
 */
export async function benchWorker(options: { seconds?: number; stats?: boolean } = {}): Promise<WorkerBench> {
  const seconds = options.seconds ?? Number(process.env.BENCH_SECONDS ?? 5)
  const persistTo = mkdtempSync(join(tmpdir(), 'hearken-bench-'))
  const seed = demoSeed()
  const unlimited = Object.fromEntries(['answers', 'impressions'].flatMap((kind) => ['Address', 'Visitor'].flatMap((who) => ['Minute', 'Hour'].map((per) => [`${kind}Per${who}Per${per}`, 1_000_000]))))
  await prepareLocalDatabase(persistTo, { ...seed, settings: { ...seed.settings, limits: unlimited } })
  seedAnswers(persistTo, 0, 10_000)
  seedFollowUps(persistTo, 0, 1_000)
  const adminToken = runAdminToken()
  // startWorker adds the worker's own origin to the demo site's: the load posts from it.
  let worker: RunningWorker = await startWorker({ persistTo, adminToken })
  const origin = worker.url
  let counter = 0
  let address = 0
  const post = (body: () => unknown) => ({
    method: 'POST' as const,
    path: '/v1/responses',
    // Each request from an address of its own, so the edge's flood shield (per address) stays out of the way.
    setupRequest: (request: autocannon.Request) => ({
      ...request,
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin, 'cf-connecting-ip': `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address++ & 255}` },
      body: JSON.stringify(body()),
    }),
  })
  const noop = () => load('no-op (GET /health)', seconds, { url: `${worker.url}/health` })
  const single = () => load('one answer (POST /v1/responses)', seconds, { url: worker.url, requests: [post(() => answer(++counter, counter % 11))] })
  const batch = () =>
    load(`${BATCH} answers a request`, seconds, { url: worker.url, requests: [post(() => ({ responses: Array.from({ length: BATCH }, () => answer(++counter, counter % 11)) }))] })
  const unhappy = (followUps: string) => () => load(`unhappy answers at ${followUps} follow-ups`, seconds, { url: worker.url, requests: [post(() => answer(++counter, counter % 7))] })
  try {
    // What is measured must be what it claims: a batch as the load sends it is stored whole.
    const probe = await fetch(`${worker.url}/v1/responses`, { ...post(() => ({ responses: Array.from({ length: BATCH }, () => answer(++counter, 0)) })).setupRequest({} as autocannon.Request), method: 'POST' } as RequestInit)
    const { results } = (await probe.json()) as { results: { status: string }[] }
    if (results.filter((result) => result.status === 'stored').length !== BATCH) throw new Error(`a batch of ${BATCH} was not stored whole: ${JSON.stringify(results.slice(0, 3))}`)
    const [noopRow, singleRow, batchRow] = await interleaved([noop, single, batch])
    const [noopAt1k, unhappy1k] = await interleaved([noop, unhappy('1 k')])
    await worker.stop()
    seedFollowUps(persistTo, 1_000, 99_000)
    worker = await startWorker({ persistTo, adminToken, port: worker.port })
    const [noopAt100k, unhappy100k] = await interleaved([noop, unhappy('100 k')])
    const rows = [noopRow!, singleRow!, batchRow!, noopAt1k!, unhappy1k!, noopAt100k!, unhappy100k!]
    // The unhappy path is compared as a share of the no-op measured beside it, so a machine busier in one phase does not pass for a slower query.
    const result: WorkerBench = {
      seconds,
      connections: CONNECTIONS,
      rows,
      ingestRatio: singleRow!.rps / noopRow!.rps,
      batchAnswersPerSecond: batchRow!.rps * BATCH,
      unhappyRatio: unhappy100k!.rps / noopAt100k!.rps / (unhappy1k!.rps / noopAt1k!.rps),
    }
    if (options.stats) {
      const statsRequest = { path: '/v1/sites/pk_demo/stats?survey=post-purchase-nps&compare=previous', headers: { authorization: 'Bearer dev-operator-token' } }
      const stats10k = await load('stats at 10 k answers', seconds, { url: worker.url, requests: [statsRequest] })
      await worker.stop()
      seedAnswers(persistTo, 10_000, 990_000)
      worker = await startWorker({ persistTo, adminToken, port: worker.port })
      const stats1m = await load('stats at 1 M answers', seconds, { url: worker.url, requests: [statsRequest] })
      rows.push(stats10k, stats1m)
      result.statsRatio = stats1m.p50 / Math.max(stats10k.p50, 1)
    }
    return result
  } finally {
    await worker.stop()
    rmSync(persistTo, { recursive: true, force: true })
  }
}

/** The rows as a markdown table, then the ratios against their goals. */
export function workerReport(bench: WorkerBench): string {
  return [
    '| route | req/s | p50 ms | p99 ms | requests | errors |',
    '|---|---:|---:|---:|---:|---:|',
    ...bench.rows.map((row) => `| ${row.name} | ${row.rps.toFixed(0)} | ${row.p50} | ${row.p99} | ${row.requests} | ${row.errors} |`),
    '',
    `one answer / no-op throughput: ${bench.ingestRatio.toFixed(2)} (goal ≥ 0.4)`,
    `answers stored per second in batches of ${BATCH}: ${bench.batchAnswersPerSecond.toFixed(0)} (goal ≥ 1,000)`,
    `unhappy answers at 100 k follow-ups / at 1 k (each against its no-op): ${bench.unhappyRatio.toFixed(2)} (flat ≈ 1)`,
    ...(bench.statsRatio === undefined ? [] : [`stats p50 at 1 M / at 10 k: ${bench.statsRatio.toFixed(2)} (goal ≤ 1.5)`]),
  ].join('\n')
}
