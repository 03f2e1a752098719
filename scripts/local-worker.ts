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

export interface RunningWorker {
  url: string
  port: number
  /** The admin token it runs with (npm start's is DEV_ADMIN_TOKEN). */
  adminToken: string
  /** Stops wrangler and everything it started (its whole process group). */
  stop: () => Promise<void>
}

export interface WorkerOptions {
  persistTo: string
  /**
   * A fixed port: npm start's 8787, or the port a restarted worker had. Left out, wrangler binds
   * a free port itself and the worker's own "Ready on" line says which: nothing else can take it
   * between a probe and the bind, as it could with a port found free beforehand.
   */
  port?: number
  /** Show wrangler's output as it comes (npm start); needs a fixed port. */
  inherit?: boolean
  /**
   * The admin token the worker runs with. Tests and benchmarks pass one of their own, so the
   * health check below passes only against the worker this run started.
   */
  adminToken?: string
  /** The seeded site (the demo's by default), which the health check reads and whose origins get the worker's own. */
  site?: string
}

const READY = /Ready on (http:\/\/127\.0\.0\.1:\d+)/
// wrangler colours its output; the URL is read from the plain text.
const plain = (text: string): string => text.replace(/\x1b\[[0-9;]*m/g, '')

/**
 * Starts `wrangler dev` on 127.0.0.1 and resolves once it is the worker this call started:
 * its own admin token reads the seeded site. Then the worker's own origin is added to that
 * site's origins (the example pages it serves post to it).
 */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  if (options.inherit && options.port === undefined) throw new Error('startWorker: showing wrangler\'s output needs a fixed port')
  const adminToken = options.adminToken ?? DEV_ADMIN_TOKEN
  const site = options.site ?? demoSeed().site
  const child = spawn(
    process.execPath,
    [wranglerBin, 'dev', '-c', config, '--ip', '127.0.0.1', '--port', String(options.port ?? 0), '--persist-to', options.persistTo,
      '--var', 'HEARKEN_ENV:development', '--var', `ADMIN_TOKEN:${adminToken}`, '--var', 'SESSION_SECRET:dev-session-secret-not-for-production', '--var', 'LINK_SECRET:dev-link-secret-not-for-production',
      '--var', 'ALERT_DELAY_SECONDS:10', '--show-interactive-dev-session=false', '--log-level', 'info',
      // A sender for email webhooks: wrangler dev simulates send_email, logs each message and writes it to an .eml file.
      '--var', 'EMAIL_FROM:hearken@example.com',
      // Dashboard links in alerts; a worker on a port of its own choosing has none (no test reads them).
      ...(options.port === undefined ? [] : ['--var', `PUBLIC_URL:http://127.0.0.1:${options.port}`])],
    { cwd: root, env: wranglerEnv, detached: true, stdio: options.inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'] },
  )
  // The last of wrangler's output, for the error message if it fails; older output is dropped.
  let output = ''
  let url = options.port === undefined ? undefined : `http://127.0.0.1:${options.port}`
  const keep = (chunk: Buffer) => {
    output = (output + plain(chunk.toString())).slice(-64 * 1024)
    url ??= READY.exec(output)?.[1]
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
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
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${output}`)
      const reply = url ? await fetch(`${url}/v1/sites/${site}`, { headers: { authorization: `Bearer ${adminToken}` } }).catch(() => null) : null
      if (reply?.ok) {
        const running = { url: url!, port: Number(new URL(url!).port), adminToken, stop }
        await allowOwnOrigin(running, site, (await reply.json()) as { name: string; origins: string[]; timezone: string })
        return running
      }
      if (reply?.status === 401 || reply?.status === 403) throw new Error(`another worker answers on ${url}: it does not know this run's admin token`)
      await new Promise((done) => setTimeout(done, 200))
    }
    throw new Error(`wrangler dev did not answer on ${url ?? '(no port yet)'} within 60 s:\n${output}`)
  } catch (error) {
    await stop()
    throw error
  }
}

/** Adds the worker's own origin to the site's, so the example pages it serves may post answers. */
async function allowOwnOrigin(worker: RunningWorker, site: string, current: { name: string; origins: string[]; timezone: string }): Promise<void> {
  if (current.origins.includes(worker.url)) return
  const reply = await fetch(`${worker.url}/v1/sites/${site}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${worker.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: current.name, origins: [...current.origins, worker.url], timezone: current.timezone }),
  })
  if (!reply.ok) throw new Error(`adding ${worker.url} to the origins of ${site}: HTTP ${reply.status} ${await reply.text()}`)
}

/** A fresh admin token for a test or benchmark run. */
export const runAdminToken = (): string => `run-${crypto.randomUUID()}`
