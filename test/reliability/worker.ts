import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { demoSeed, prepareLocalDatabase, runAdminToken, startWorker, type RunningWorker } from '../../scripts/local-worker.ts'

/** A worker of the test's own, which it can stop and start again on the same port and data. */
export interface OwnWorker {
  url: string
  port: number
  restart: () => Promise<void>
  stop: () => Promise<void>
}

/**
 * The first start lets wrangler pick and hold a free port; a restart asks for that port again
 * (pages keep posting to it), and its health check fails loudly if anything else took it.
 */
export async function ownWorker(): Promise<OwnWorker> {
  const persistTo = mkdtempSync(join(tmpdir(), 'hearken-reliability-'))
  const seed = demoSeed()
  // Every simulated visitor posts from this machine's one address, as customers behind one
  // gateway would; such a site raises its per-address limits (docs/scale.md).
  await prepareLocalDatabase(persistTo, { ...seed, settings: { ...seed.settings, limits: { answersPerAddressPerMinute: 100_000, answersPerAddressPerHour: 100_000, impressionsPerAddressPerMinute: 100_000, impressionsPerAddressPerHour: 100_000 } } })
  const adminToken = runAdminToken()
  let running: RunningWorker = await startWorker({ persistTo, adminToken })
  return {
    url: running.url,
    port: running.port,
    restart: async () => {
      await running.stop()
      running = await startWorker({ persistTo, adminToken, port: running.port })
    },
    stop: async () => {
      await running.stop()
      rmSync(persistTo, { recursive: true, force: true })
    },
  }
}

/** Every stored answer of a survey, read through the operator export (raw rows, not rollups). */
export async function exportedIds(url: string, survey: string): Promise<string[]> {
  const ids: string[] = []
  let cursor = ''
  do {
    const reply = await fetch(`${url}/v1/sites/pk_demo/responses?survey=${survey}&limit=1000${cursor ? `&cursor=${cursor}` : ''}`, {
      headers: { authorization: 'Bearer dev-operator-token' },
    })
    const page = (await reply.json()) as { responses: { id: string }[]; next: string | null }
    ids.push(...page.responses.map((response) => response.id))
    cursor = page.next ?? ''
  } while (cursor)
  return ids
}

export async function statsN(url: string, survey: string): Promise<number> {
  const reply = await fetch(`${url}/v1/sites/pk_demo/stats?survey=${survey}&flagged=include`, { headers: { authorization: 'Bearer dev-operator-token' } })
  const body = (await reply.json()) as { nps?: { n: number }; csat?: { n: number } }
  return (body.nps ?? body.csat)!.n
}
