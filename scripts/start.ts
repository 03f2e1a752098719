/**
 * `npm start`: check the port, build, migrate and seed the local D1, then serve everything on
 * http://127.0.0.1:8787 (or HEARKEN_PORT) until Ctrl-C. Each step says what it is doing; a
 * failure is one clear message, never a stack trace.
 */
import { join, resolve } from 'node:path'
import { DEV_ADMIN_TOKEN, assertPortFree, demoSeed, prepareLocalDatabase, startWorker, type RunningWorker } from './local-worker.ts'
import { build, failWith, step } from './steps.ts'

const port = Number(process.env.HEARKEN_PORT ?? 8787)
const persistTo = join(resolve(import.meta.dirname, '..'), '.wrangler', 'state')
const started = Date.now()

let worker: RunningWorker | undefined
try {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`HEARKEN_PORT must be a port number, not ${process.env.HEARKEN_PORT}`)
  await assertPortFree(port)
  await step('Building the loader, widget and SDK', build)
  // The demo site lists 8787's origins; another port's are added so the example pages work there too.
  const demo = demoSeed()
  const seed = { ...demo, origins: [...new Set([...demo.origins, `http://127.0.0.1:${port}`, `http://localhost:${port}`])] }
  await step('Migrating and seeding the local database (.wrangler/state)', () => prepareLocalDatabase(persistTo, seed))
  worker = await step(`Starting the worker on port ${port}`, () => startWorker({ port, persistTo, inherit: true }))

  console.log(`
Hearken is running on ${worker.url} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)

  Order complete (NPS):   ${worker.url}/examples/order-complete.html
  Ticket closed (CSAT):   ${worker.url}/examples/ticket-closed.html
  App (ES module):        ${worker.url}/examples/app/
  Dashboard:              ${worker.url}/dashboard   (sign in with ${seed.site} / ${seed.operatorToken})
  Stats:                  curl -H 'Authorization: Bearer ${seed.operatorToken}' '${worker.url}/v1/sites/${seed.site}/stats?survey=post-purchase-nps'
  Your own site:          ${port === 8787 ? '' : `HEARKEN_URL=${worker.url} `}HEARKEN_ADMIN_TOKEN=${DEV_ADMIN_TOKEN} npm run site -- init pk_mine --origin http://localhost:5173

Press Ctrl-C to stop.`)
} catch (error) {
  await worker?.stop()
  failWith('npm start', error)
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void worker?.stop().then(() => process.exit(0)))
}
