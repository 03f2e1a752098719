/** `npm run bench:worker`: the worker part of `npm run bench` alone, without the stats query (BENCH_SECONDS sets each run's length). */
import { loadavg } from 'node:os'
import { machine } from './machine.ts'
import { benchWorker, workerReport } from './worker-load.ts'

const load = () => loadavg().map((value) => value.toFixed(2)).join(' ')
const before = load()
const bench = await benchWorker()
console.log(`Machine: ${machine()}; wrangler dev on loopback; ${bench.connections} connections × ${bench.seconds} s a run, 3 interleaved rounds`)
console.log(`Load average (1, 5, 15 min): ${before} before, ${load()} after\n`)
console.log(workerReport(bench))
