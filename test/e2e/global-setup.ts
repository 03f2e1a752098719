import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { demoSeed, freePort, prepareLocalDatabase, startWorker } from '../../scripts/local-worker.ts'

/**
 * Starts a worker of our own on a free port with a throw-away local D1, seeded with the
 * demo site plus this port's origin, so the tests never touch `npm start`'s data or port.
 * Returns the teardown: stop the worker's process group, delete the database.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const port = await freePort()
  const persistTo = mkdtempSync(join(tmpdir(), 'hearken-e2e-'))
  const seed = demoSeed()
  await prepareLocalDatabase(persistTo, {
    ...seed,
    origins: [...seed.origins, `http://127.0.0.1:${port}`],
    // A test's visitor answers in milliseconds, which the worker rightly flags as too fast for a
    // person; these surveys accept any speed so the tests read the scores a dashboard shows.
    surveys: seed.surveys.map((survey) => ({ ...survey, minAnswerMs: 0 })),
  })
  const worker = await startWorker({ port, persistTo })
  process.env.HEARKEN_URL = worker.url
  return async () => {
    await worker.stop()
    rmSync(persistTo, { recursive: true, force: true })
  }
}
