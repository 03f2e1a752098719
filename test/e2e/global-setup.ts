import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { demoSeed, prepareLocalDatabase, runAdminToken, startWorker } from '../../scripts/local-worker.ts'

/**
 * Starts a worker of our own on a port wrangler picks and holds, with a throw-away local D1
 * seeded with the demo site (the worker adds its own origin), so the tests never touch
 * `npm start`'s data or port, nor another run's worker. Returns the teardown: stop the
 * worker's process group, delete the database.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const persistTo = mkdtempSync(join(tmpdir(), 'hearken-e2e-'))
  const seed = demoSeed()
  await prepareLocalDatabase(persistTo, {
    ...seed,
    // A test's visitor answers in milliseconds, which the worker rightly flags as too fast for a
    // person; these surveys accept any speed so the tests read the scores a dashboard shows.
    surveys: seed.surveys.map((survey) => ({ ...survey, minAnswerMs: 0 })),
    // Every test's visitor posts from this machine's one address, as customers behind one
    // gateway would; such a site raises its per-address limits (docs/scale.md).
    settings: { ...seed.settings, limits: { answersPerAddressPerMinute: 10_000, answersPerAddressPerHour: 10_000, impressionsPerAddressPerMinute: 10_000, impressionsPerAddressPerHour: 10_000 } },
  })
  const worker = await startWorker({ persistTo, adminToken: runAdminToken() })
  process.env.HEARKEN_URL = worker.url
  process.env.HEARKEN_ADMIN_TOKEN = worker.adminToken
  return async () => {
    await worker.stop()
    rmSync(persistTo, { recursive: true, force: true })
  }
}
