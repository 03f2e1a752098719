/** `npm run bench:worker`: the worker part of `npm run bench` alone (BENCH_SECONDS shortens each route's run). */
import { machine } from './machine.ts'
import { benchWorker, workerReport } from './worker-load.ts'

const bench = await benchWorker()
console.log(`Machine: ${machine()}; wrangler dev on loopback; ${bench.connections} connections × ${bench.seconds} s each\n`)
console.log(workerReport(bench))
