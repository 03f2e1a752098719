/**
 * `npm start`: build, migrate and seed the local D1, then serve everything on
 * http://127.0.0.1:8787 until Ctrl-C.
 */
import { join, resolve } from 'node:path'
import { DEV_ADMIN_TOKEN, assertPortFree, demoSeed, prepareLocalDatabase, startWorker } from './local-worker.ts'

const port = 8787
const persistTo = join(resolve(import.meta.dirname, '..'), '.wrangler', 'state')
const started = Date.now()

await assertPortFree(port)
const seed = demoSeed()
await prepareLocalDatabase(persistTo, seed)
const worker = await startWorker({ port, persistTo, inherit: true })

console.log(`
Hearken is running on ${worker.url} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)

  Order complete (NPS):   ${worker.url}/examples/order-complete.html
  Ticket closed (CSAT):   ${worker.url}/examples/ticket-closed.html
  Stats:                  curl -H 'Authorization: Bearer ${seed.operatorToken}' '${worker.url}/v1/sites/${seed.site}/stats?survey=post-purchase-nps'
  Site key / token:       ${seed.site} / ${seed.operatorToken}
  Admin token (local):    ${DEV_ADMIN_TOKEN}   e.g. HEARKEN_ADMIN_TOKEN=${DEV_ADMIN_TOKEN} npm run site -- create pk_mine --name Mine --origin http://localhost:3000

Press Ctrl-C to stop.`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void worker.stop().then(() => process.exit(0)))
}
