/**
 * `npm run deploy` step by step against a fake `wrangler` on PATH (test/install/fake-wrangler.ts)
 * and a local server standing in for the deployed worker, serving exactly the assets the
 * fake deploy received. Needs the build in dist/public (npm test builds first).
 */
import { execFile } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { extname, join, resolve } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { FakeAccount } from './fake-wrangler.ts'

const root = resolve(import.meta.dirname, '../..')
const scratch = mkdtempSync(join(tmpdir(), 'hearken-deploy-test-'))
const binDir = join(scratch, 'bin')
const stateFile = join(scratch, 'account.json')
const served = join(scratch, 'served')
const deployDir = join(scratch, 'deploy')

/**
 * The deployed worker: /health, and the files the last deploy uploaded. `healthy` false makes
 * /health fail; `demoPage` serves a demo page whatever was uploaded.
 */
let healthy = true
let demoPage = false
let server: Server
let url = ''

beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'public', 'hearken.js'))) throw new Error('build first: npm run build')
  mkdirSync(binDir, { recursive: true })
  writeFileSync(join(binDir, 'wrangler'), `#!/bin/sh\nexec "${process.execPath}" "${join(import.meta.dirname, 'fake-wrangler.ts')}" "$@"\n`)
  chmodSync(join(binDir, 'wrangler'), 0o755)
  server = createServer((request, reply) => {
    const path = new URL(request.url!, 'http://x').pathname
    if (path === '/health') return void reply.writeHead(healthy ? 200 : 500, { 'content-type': 'application/json' }).end(healthy ? '{"ok":true}' : '{"error":{}}')
    if (demoPage && path === '/examples/order-complete.html') return void reply.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Demo Shop</h1>')
    const file = join(served, path)
    if (!file.startsWith(served) || !existsSync(file) || path.endsWith('/')) return void reply.writeHead(404).end('not found')
    reply.writeHead(200, { 'content-type': extname(file) === '.js' ? 'text/javascript' : 'text/html' }).end(readFileSync(file))
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})

afterAll(async () => {
  await new Promise((done) => server.close(done))
  rmSync(scratch, { recursive: true, force: true })
})

const account = (): FakeAccount => JSON.parse(readFileSync(stateFile, 'utf8')) as FakeAccount
const commands = (): string[] => account().calls.map((call) => call.args.filter((arg) => !arg.startsWith('/')).join(' '))

function freshAccount(changes: Partial<FakeAccount> = {}): void {
  writeFileSync(stateFile, JSON.stringify({ loggedIn: true, databases: [], queues: [], url, served, calls: [], ...changes } satisfies FakeAccount))
}

function deploy(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(root, 'scripts', 'deploy.ts'), '--skip-build', '--wait', '0', ...args],
      { cwd: root, env: { ...process.env, PATH: `${binDir}:${process.env.PATH}`, FAKE_WRANGLER_STATE: stateFile, HEARKEN_DEPLOY_DIR: deployDir } },
      (error, stdout, stderr) => done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })
}

beforeEach(() => {
  healthy = true
  demoPage = false
  rmSync(deployDir, { recursive: true, force: true })
})
afterEach(() => rmSync(served, { recursive: true, force: true }))

// Each run spawns a dozen processes (deploy and every wrangler call): seconds on a busy machine.
describe('npm run deploy against a fake wrangler', { timeout: 60_000 }, () => {
  it('sets up an empty account: database, queues, migrations, secrets, deploy, PUBLIC_URL, check', async () => {
    freshAccount()
    const run = await deploy()
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)

    expect(commands()).toEqual([
      'whoami --json',
      'd1 list --json',
      'd1 create hearken',
      'd1 list --json',
      'queues info hearken-alerts',
      'queues create hearken-alerts',
      'queues info hearken-alerts-dlq',
      'queues create hearken-alerts-dlq',
      'd1 migrations apply DB --remote -c',
      'secret list --format json -c',
      'deploy -c --secrets-file',
      'deploy -c',
    ])
    const state = account()
    const [first, second] = state.calls.filter((call) => call.args[0] === 'deploy')
    // The first deploy carries every secret; the second only learns the address.
    expect(first!.secretNames!.sort()).toEqual(['ADMIN_TOKEN', 'LINK_SECRET', 'SESSION_SECRET'])
    expect(first!.vars!.PUBLIC_URL).toBe('')
    expect(second!.secretNames).toEqual([])
    expect(second!.vars).toEqual({ HEARKEN_ENV: 'production', ALERT_DELAY_SECONDS: '60', PUBLIC_URL: url })
    // The loader, widget and the content-named chunks go up; the demo pages do not.
    const chunks = Object.values(JSON.parse(readFileSync(join(root, 'dist', 'chunks.json'), 'utf8')) as Record<string, string>)
    expect(second!.assets).toEqual(expect.arrayContaining(['hearken.js', 'widget.js', ...chunks]))
    expect(second!.assets!.filter((file) => file.startsWith('examples'))).toEqual([])
    // The deploy configuration names the new database; the secrets file is gone once deployed.
    expect(JSON.parse(readFileSync(join(deployDir, 'wrangler.json'), 'utf8')).d1_databases[0].database_id).toBe(state.databases[0]!.uuid)
    expect(existsSync(first!.args[first!.args.indexOf('--secrets-file') + 1]!)).toBe(false)

    const adminToken = state.worker!.secrets.ADMIN_TOKEN!
    expect(adminToken).toMatch(/^[\w-]{43}$/)
    expect(new Set(Object.values(state.worker!.secrets)).size).toBe(3)
    expect(run.stdout).toContain(`Hearken is deployed at ${url}`)
    expect(run.stdout).toContain(`Admin token:   ${adminToken}   (new: shown only now`)
    expect(run.stdout).toContain(`HEARKEN_URL=${url} HEARKEN_ADMIN_TOKEN=${adminToken} npm run site -- init pk_shop --origin https://shop.example.com`)
  })

  it('reuses everything on a second run: one deploy, no new secrets, the admin token kept', async () => {
    freshAccount()
    expect((await deploy()).code).toBe(0)
    const before = account()
    writeFileSync(stateFile, JSON.stringify({ ...before, calls: [] }))

    const again = await deploy()
    expect(again.stderr).toBe('')
    expect(again.code).toBe(0)
    expect(commands()).toEqual([
      'whoami --json',
      'd1 list --json',
      'queues info hearken-alerts',
      'queues info hearken-alerts-dlq',
      'd1 migrations apply DB --remote -c',
      'secret list --format json -c',
      'deploy -c',
    ])
    const after = account()
    expect(after.databases).toEqual(before.databases)
    expect(after.worker!.secrets).toEqual(before.worker!.secrets)
    expect(after.calls.at(-1)!.vars!.PUBLIC_URL).toBe(url)
    expect(again.stdout).toContain('Admin token:   kept from before')
    expect(again.stdout).not.toContain(before.worker!.secrets.ADMIN_TOKEN!)
  })

  it('uses --public-url for a custom domain from the first deploy, and deploys once', async () => {
    freshAccount()
    const run = await deploy('--public-url', `${url}/`)
    expect(run.code).toBe(0)
    const deploys = account().calls.filter((call) => call.args[0] === 'deploy')
    expect(deploys.map((call) => call.vars!.PUBLIC_URL)).toEqual([url])
  })

  it('stops at a failing step with wrangler’s message, before deploying', async () => {
    freshAccount({ failOn: 'd1 migrations apply' })
    const run = await deploy()
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('A request to the Cloudflare API failed. [code: 7500]')
    expect(run.stderr).toMatch(/npm run deploy: wrangler d1 migrations apply DB --remote -c \S+ failed/)
    expect(run.stderr).not.toMatch(/\n\s+at /) // no stack trace
    expect(commands().filter((command) => command.startsWith('deploy'))).toEqual([])
  })

  it('says how to sign in when there is no account and no terminal', async () => {
    freshAccount({ loggedIn: false })
    const run = await deploy()
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('not signed in to Cloudflare: run `npm run deploy` in a terminal to sign in, or set CLOUDFLARE_API_TOKEN')
    expect(commands()).toEqual(['whoami --json'])
  })

  it('fails when the deployed worker does not answer', async () => {
    freshAccount()
    healthy = false
    const run = await deploy()
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`npm run deploy: the deployed worker did not answer within 0 s: /health answered 500`)
  })

  it('fails when the deployed worker serves the demo pages', async () => {
    freshAccount()
    demoPage = true
    const run = await deploy()
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`npm run deploy: ${url}/examples/order-complete.html is deployed: the demo pages must be left out`)
  })
})
