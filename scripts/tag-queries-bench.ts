/**
 * Tag filtering, themes and re-tagging at 10 k and at 1 M answers: runs
 * worker/test/bench/tag-cost.bench.ts inside workerd (its own vitest config) and writes what it
 * measured as a marked section of bench/RESULTS.md (`npm run bench:tags`). The headline is the
 * ratio of 1 M to 10 k for each query: rows read (what D1 bills; the same on every run) and the
 * time the worker waited, both sites measured in the same interleaved rounds.
 */
import { spawnSync } from 'node:child_process'
import { loadavg } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')

interface Measured {
  rowsRead: number
  rowsWritten: number
  d1Ms: number
  queries: number
  ms: number
}

export interface TagQueriesBench {
  rounds: number
  calls: number
  seedMs: number
  sizes: { small: number; large: number }
  results: { name: string; small: Measured; large: Measured }[]
  retag: Record<'small' | 'large', { first: Measured; steady: Measured; changedShare: number }>
  /** 1-minute load average before and after the run. */
  load: [number, number]
}

/** Runs the bench (a few minutes: most of it seeds a million answers) and returns its figures. */
export function benchTagQueries(): TagQueriesBench {
  const before = loadavg()[0]!
  const run = spawnSync(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'worker/vitest.bench.config.ts'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true' },
  })
  const line = `${run.stdout}`.split('\n').find((text) => text.includes('BENCH_JSON:'))
  if (run.status !== 0 || !line) throw new Error(`the tag query bench failed:\n${run.stdout}\n${run.stderr}`)
  const figures = JSON.parse(line.slice(line.indexOf('BENCH_JSON:') + 'BENCH_JSON:'.length)) as Omit<TagQueriesBench, 'load'>
  return { ...figures, load: [before, loadavg()[0]!] }
}

export const QUERIES_START = '<!-- tag-queries:start (written by npm run bench:tags) -->'
export const QUERIES_END = '<!-- tag-queries:end -->'

const thousands = (value: number) => Math.round(value).toLocaleString('en')
const ratio = (large: number, small: number) => (small > 0 ? `${(large / small).toFixed(2)}×` : large > 0 ? '∞' : '–')
const ms = (value: number) => value.toFixed(value < 10 ? 1 : 0)

export function tagQueriesSection(bench: TagQueriesBench, machine: string): string {
  const small = thousands(bench.sizes.small)
  const large = thousands(bench.sizes.large)
  const rows = bench.results
    .map(
      (row) =>
        `| ${row.name} | ${thousands(row.small.rowsRead)} | ${thousands(row.large.rowsRead)} | **${ratio(row.large.rowsRead, row.small.rowsRead)}** | ${ms(row.small.d1Ms)} / ${ms(row.large.d1Ms)} | ${ms(row.small.ms)} | ${ms(row.large.ms)} | **${ratio(row.large.ms, row.small.ms)}** |`,
    )
    .join('\n')
  const { retag } = bench
  const steady = retag.large.steady
  const batches = Math.ceil(bench.sizes.large / 500)
  // One message runs 10 batches: per message, the job row and the site are read once.
  const messages = Math.ceil(batches / 10)
  const retagRows = (['small', 'large'] as const)
    .flatMap((size) =>
      (['first', 'steady'] as const).map((part) => {
        const batch = retag[size][part]
        return `| ${thousands(bench.sizes[size])} | ${part === 'first' ? 'first (counts the comments)' : 'each after it (median)'} | ${ms(batch.ms)} | ${thousands(batch.rowsRead)} | ${thousands(batch.rowsWritten)} | ${batch.queries} |`
      }),
    )
    .join('\n')
  const workMinutes = (batches * steady.ms + retag.large.first.ms) / 60_000
  // Each message waits for the consumer's batch timeout (1 s, wrangler.jsonc) at most before it runs.
  const queueMinutes = messages / 60
  const changedPerBatch = retag.large.changedShare * 500
  const writtenPerChange = changedPerBatch > 0 ? steady.rowsWritten / changedPerBatch : 0
  const minutes = (value: number) => (value < 10 ? value.toFixed(1) : value.toFixed(0))
  return `${QUERIES_START}
## Tag filtering, themes and re-tagging at ${small} and ${large} answers

**Machine:** ${machine}; load average ${bench.load[0].toFixed(2)} before, ${bench.load[1].toFixed(2)} after (2 cores shared with other work).

Two sites in one local D1 (miniflare inside workerd, as \`vitest\` runs the worker), one with
${small} answers and one with ${large}, every answer with a comment of the evaluation set and
its stored tags, over 60 days, 3 checkpoints and 4 segments (seeded straight into D1 in
${(bench.seedMs / 1000).toFixed(0)} s). Each query is the worker's own function; it runs on both sites in ${bench.rounds}
interleaved rounds of ${bench.calls} calls (the old LIKE filter: one call a round). Rows read is D1's own
count, the same on every run; wait is the median time the worker waited per call.

| query | rows read at ${small} | at ${large} | ratio | D1 ms (${small} / ${large}) | wait ms at ${small} | at ${large} | ratio |
|---|---:|---:|---:|---:|---:|---:|---:|
${rows}

Re-tagging after a rules change (a rule that changes the tags of ${(retag.large.changedShare * 100).toFixed(1)} % of the comments),
batches of 500 answers, newest first:

| answers | batch | wait ms | rows read | rows written | statements |
|---:|---|---:|---:|---:|---:|
${retagRows}

At ${large} commented answers: ${thousands(batches)} batches in ${thousands(messages)} queue messages, one after another:
about **${minutes(workMinutes)} minutes** of work at the wait above, plus up to ${minutes(queueMinutes)} minutes of the queue's
delay before each message; ${thousands(2 * batches + 2 * messages + 1)} D1 calls (per batch: the read and one batch of writes;
per message: the job and the site; once: the count), ${thousands(retag.large.first.rowsRead + (batches - 1) * steady.rowsRead)} rows read and
${thousands(retag.large.first.rowsWritten + (batches - 1) * steady.rowsWritten)} rows written. Only answers whose tags change are written, about
${writtenPerChange.toFixed(1)} rows each (their tags with the two indexes, and the tag rollup): a change that re-tags
every comment writes about ${thousands(writtenPerChange * bench.sizes.large)}.
${QUERIES_END}`
}
