/**
 * Runs the worker locally the way `npm start` and the end-to-end tests both need it:
 * migrate and seed a local D1, then `wrangler dev` in its own process group.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { seedStatements, toSqlScript, type SiteSeed } from '../worker/src/seed.ts'

const root = resolve(import.meta.dirname, '..')
const wranglerBin = join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js')
const config = join(root, 'worker', 'wrangler.jsonc')

/** The admin token local workers run with, so `npm run site -- create` works on a laptop. */
export const DEV_ADMIN_TOKEN = 'dev-admin-token'

/** Keeps wrangler quiet and fully offline. */
const wranglerEnv: NodeJS.ProcessEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  CI: 'true', // answers wrangler's "apply migrations?" prompt without a terminal
}

function wrangler(args: string[]): void {
  const run = spawnSync(process.execPath, [wranglerBin, ...args, '-c', config], { cwd: root, env: wranglerEnv, encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`wrangler ${args.join(' ')} failed:\n${run.stdout}\n${run.stderr}`)
}

/** The demo site that `npm start` seeds (worker/seed/demo-site.json). */
export function demoSeed(): SiteSeed {
  return JSON.parse(readFileSync(join(root, 'worker', 'seed', 'demo-site.json'), 'utf8')) as SiteSeed
}

/** Applies migrations and seeds `seed` into the local D1 under `persistTo`. Safe to run again. */
export async function prepareLocalDatabase(persistTo: string, seed: SiteSeed): Promise<void> {
  wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo])
  const dir = mkdtempSync(join(tmpdir(), 'hearken-seed-'))
  try {
    const file = join(dir, 'seed.sql')
    writeFileSync(file, toSqlScript(await seedStatements(seed)))
    wrangler(['d1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--file', file])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Resolves when nothing listens on `port` at 127.0.0.1; rejects with a clear message otherwise. */
export function assertPortFree(port: number): Promise<void> {
  return new Promise((done, fail) => {
    const probe = createServer()
    probe.once('error', () => fail(new Error(`port ${port} is taken: stop what uses it (lsof -i :${port}) and try again`)))
    probe.listen(port, '127.0.0.1', () => probe.close(() => done()))
  })
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer()
    probe.once('error', fail)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => done(port))
    })
  })
}

export interface RunningWorker {
  url: string
  /** Stops wrangler and everything it started (its whole process group). */
  stop: () => Promise<void>
}

/** Starts `wrangler dev` on 127.0.0.1:`port` and resolves once it answers. */
export async function startWorker(options: { port: number; persistTo: string; inherit?: boolean }): Promise<RunningWorker> {
  const url = `http://127.0.0.1:${options.port}`
  const child = spawn(
    process.execPath,
    [wranglerBin, 'dev', '-c', config, '--ip', '127.0.0.1', '--port', String(options.port), '--persist-to', options.persistTo,
      '--var', 'HEARKEN_ENV:development', '--var', `ADMIN_TOKEN:${DEV_ADMIN_TOKEN}`, '--var', 'SESSION_SECRET:dev-session-secret-not-for-production', '--var', 'LINK_SECRET:dev-link-secret-not-for-production',
      '--var', 'ALERT_DELAY_SECONDS:10', '--var', `PUBLIC_URL:${url}`, '--show-interactive-dev-session=false', '--log-level', options.inherit ? 'info' : 'warn'],
    { cwd: root, env: wranglerEnv, detached: true, stdio: options.inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk))
  const exited = new Promise<number | null>((done) => child.once('exit', done))

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    try {
      process.kill(-child.pid!, 'SIGTERM')
    } catch {
      return
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {}
    }, 5000)
    await exited
    clearTimeout(timer)
  }

  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${output}`)
    try {
      if ((await fetch(`${url}/health`)).ok) return { url, stop }
    } catch {}
    await new Promise((done) => setTimeout(done, 200))
  }
  await stop()
  throw new Error(`wrangler dev did not answer on ${url} within 60 s:\n${output}`)
}
