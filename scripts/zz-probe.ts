import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { demoSeed, freePort, prepareLocalDatabase, startWorker } from './local-worker.ts'
const persistTo = mkdtempSync(join(tmpdir(), 'hk-probe-'))
const port = await freePort()
const origin = `http://127.0.0.1:${port}`
const seed = demoSeed()
const unlimited = Object.fromEntries(['answers', 'impressions'].flatMap((kind) => ['Address', 'Visitor'].flatMap((who) => ['Minute', 'Hour'].map((per) => [`${kind}Per${who}Per${per}`, 1_000_000]))))
await prepareLocalDatabase(persistTo, { ...seed, origins: [...seed.origins, origin], settings: { ...seed.settings, limits: unlimited } })
const w = await startWorker({ port, persistTo })
let i = 0
try {
  for (let k = 0; k < 5; k++) {
    const body = JSON.stringify({ responses: Array.from({ length: 50 }, () => ({ id: crypto.randomUUID(), site: 'pk_demo', survey: 'post-purchase-nps', score: 3, visitor: 'x' + ++i, elapsedMs: 4000 })) })
    const t = performance.now()
    const r = await fetch(`${w.url}/v1/responses`, { method: 'POST', headers: { 'content-type': 'text/plain', origin, 'cf-connecting-ip': `10.1.0.${k}` }, body })
    const j = await r.json()
    console.log(r.status, j.results?.filter((x) => x.status === 'stored').length, (performance.now() - t).toFixed(0), 'ms')
  }
  for (let k = 0; k < 3; k++) { const t = performance.now(); await fetch(`${w.url}/health`); console.log('health', (performance.now() - t).toFixed(1)) }
} finally { await w.stop() }
