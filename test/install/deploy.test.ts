/**
 * `npm run deploy` step by step against a fake `wrangler` on PATH (test/install/fake-wrangler.ts)
 * and a local server standing in for the deployed worker, serving exactly the assets the
 * fake deploy received (which a test may then change, to play an earlier release). Needs the
 * build in dist/public (npm test builds first).
 */
import { execFile } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { extname, join, resolve } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { KEEP_DAYS, MANIFEST, type ChunkManifest } from '../../scripts/deploy-chunks.ts'
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
    const type = { '.js': 'text/javascript', '.json': 'application/json' }[extname(file)] ?? 'text/html'
    reply.writeHead(200, { 'content-type': type }).end(readFileSync(file))
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

/** The chunks this build names (dist/chunks.json), by their file names under /chunks/. */
const builtChunks = (): string[] =>
  Object.values(JSON.parse(readFileSync(join(root, 'dist', 'chunks.json'), 'utf8')) as Record<string, string>).map((path) => path.replace(/^chunks\//, '')).sort()

/** The chunk manifest the live worker serves, and the one the last deploy staged. */
const servedManifest = (): ChunkManifest => JSON.parse(readFileSync(join(served, MANIFEST), 'utf8')) as ChunkManifest
const stagedManifest = (): ChunkManifest => JSON.parse(readFileSync(join(deployDir, 'public', MANIFEST), 'utf8')) as ChunkManifest

const DAY_MS = 24 * 3600 * 1000
/** Dates far from the keep window's edge, so the run's own clock cannot move a chunk across it. */
const daysAgo = (days: number): string => new Date(Date.now() - days * DAY_MS).toISOString()

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
      'queues info hearken-tags',
      'queues create hearken-tags',
      'queues info hearken-deletions',
      'queues create hearken-deletions',
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
    expect(second!.vars).toEqual({ HEARKEN_ENV: 'production', ALERT_DELAY_SECONDS: '60', EMAIL_FROM: '', PUBLIC_URL: url })
    // The loader, widget, the content-named chunks and their manifest go up; the demo pages do not.
    expect(second!.assets).toEqual(expect.arrayContaining(['hearken.js', 'widget.js', MANIFEST, ...builtChunks().map((file) => `chunks/${file}`)]))
    expect(second!.assets!.filter((file) => file.startsWith('examples'))).toEqual([])
    expect(run.stdout).toContain(`${builtChunks().length} chunks built; no live deployment known, so none carried forward`)
    expect(servedManifest().chunks.map((entry) => entry.file)).toEqual(builtChunks())
    for (const entry of servedManifest().chunks) expect(entry).toEqual({ file: entry.file, firstDeployed: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) })
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
      'queues info hearken-tags',
      'queues info hearken-deletions',
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

  it('carries the live release’s chunks into the next deploy, keeps its own build’s files, and lets go of chunks replaced long ago', async () => {
    freshAccount()
    expect((await deploy()).code).toBe(0)
    const firstDeployed = Object.fromEntries(servedManifest().chunks.map((entry) => [entry.file, entry.firstDeployed]))

    // The live worker now serves an earlier release: chunks of other names but the same SDK, and
    // what the deploy before it carried. This build's widget is listed too (a rollback), with other bytes.
    const [builtWidget] = builtChunks().filter((file) => file.startsWith('widget.'))
    const [builtSdk] = builtChunks().filter((file) => file.startsWith('hearken-sdk.'))
    const earlier = { 'hearken-sdk.Earlier1.js': 'export const sdk = "earlier"', 'widget.eeee0001.js': 'export const card = "earlier"' }
    const recent = { 'courier.Recent01.js': 'export const courier = "recent"' }
    const expired = { 'widget.0ld00001.js': 'export const card = "long gone"' }
    rmSync(join(served, 'chunks'), { recursive: true })
    mkdirSync(join(served, 'chunks'))
    for (const [file, text] of Object.entries({ ...earlier, ...recent, ...expired, [builtWidget!]: 'stale copy' })) writeFileSync(join(served, 'chunks', file), text)
    const recentEntry = { file: 'courier.Recent01.js', firstDeployed: daysAgo(70), replaced: daysAgo(KEEP_DAYS - 10) }
    writeFileSync(
      join(served, MANIFEST),
      JSON.stringify({
        chunks: [
          ...Object.keys(earlier).map((file) => ({ file, firstDeployed: daysAgo(60) })),
          { file: builtSdk, firstDeployed: firstDeployed[builtSdk!] },
          recentEntry,
          { file: 'widget.0ld00001.js', firstDeployed: daysAgo(90), replaced: daysAgo(KEEP_DAYS + 10) },
          { file: builtWidget, firstDeployed: '2026-01-01T00:00:00.000Z', replaced: daysAgo(5) },
          // Listed, but the live worker cannot give it; and entries that are no chunk file.
          { file: 'widget.ffff0404.js', firstDeployed: daysAgo(3) },
          { file: '../../secrets.js', firstDeployed: daysAgo(3) },
          { file: 'chunks/widget.js', firstDeployed: daysAgo(3) },
        ],
      }),
    )
    const before = Date.now()
    const run = await deploy()
    const after = Date.now()
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`${builtChunks().length} chunks built, kept 3 chunks of earlier releases for pages still open; let go 1 replaced ${KEEP_DAYS} days ago or more (${MANIFEST})`)
    expect(run.stderr).toContain(`warning: ${url}/${MANIFEST}: 2 entries name no chunk file and were left out`)
    expect(run.stderr).toContain(`warning: ${url}/chunks/widget.ffff0404.js not carried forward: it answered 404`)

    // The second deploy's assets: its own chunks and the earlier release's, not the expired one.
    const uploaded = account().calls.filter((call) => call.args[0] === 'deploy').at(-1)!.assets!.filter((file) => file.startsWith('chunks/'))
    expect(uploaded.sort()).toEqual([...builtChunks(), ...Object.keys({ ...earlier, ...recent })].map((file) => `chunks/${file}`).sort())
    for (const [file, text] of Object.entries({ ...earlier, ...recent })) expect(readFileSync(join(deployDir, 'public', 'chunks', file), 'utf8')).toBe(text)
    expect(readFileSync(join(deployDir, 'public', 'chunks', builtWidget!))).toEqual(readFileSync(join(root, 'dist', 'public', 'chunks', builtWidget!)))

    const manifest = stagedManifest()
    const entry = (file: string) => manifest.chunks.find((chunk) => chunk.file === file)
    expect(manifest.chunks.map((chunk) => chunk.file).sort()).toEqual(uploaded.map((file) => file.replace('chunks/', '')).sort())
    // This build's chunks: first deployed when the live manifest says, or now; none is replaced.
    expect(entry(builtSdk!)).toEqual({ file: builtSdk, firstDeployed: firstDeployed[builtSdk!] })
    expect(entry(builtWidget!)).toEqual({ file: builtWidget, firstDeployed: '2026-01-01T00:00:00.000Z' })
    const [builtCourier] = builtChunks().filter((file) => file.startsWith('courier.'))
    expect(entry(builtCourier!)).toEqual({ file: builtCourier, firstDeployed: expect.any(String) })
    expect(Date.parse(entry(builtCourier!)!.firstDeployed)).toBeGreaterThanOrEqual(before)
    // A chunk an earlier deploy carried keeps its dates: its keep window ran from its own replacement.
    expect(entry('courier.Recent01.js')).toEqual(recentEntry)
    // The live release's chunks are replaced by this deploy: their keep window starts now.
    for (const file of Object.keys(earlier)) {
      const replaced = Date.parse(entry(file)!.replaced!)
      expect(replaced).toBeGreaterThanOrEqual(before)
      expect(replaced).toBeLessThanOrEqual(after)
    }
  })

  it('deploys with a warning when the live worker serves no manifest, or a broken one', async () => {
    freshAccount()
    expect((await deploy()).code).toBe(0)
    rmSync(join(served, MANIFEST))
    const without = await deploy()
    expect(without.code).toBe(0)
    expect(without.stderr).toContain(`warning: no chunk manifest from ${url}/${MANIFEST}: it answered 404`)
    expect(without.stderr).toContain('the chunks the live release serves are not carried forward, and pages opened before this deploy may show no card until they reload')
    expect(stagedManifest().chunks.map((entry) => entry.file)).toEqual(builtChunks())
    expect(without.stdout).toContain(`Hearken is deployed at ${url}`)

    writeFileSync(join(served, MANIFEST), '{"chunks": [')
    const broken = await deploy()
    expect(broken.code).toBe(0)
    expect(broken.stderr).toContain(`warning: no chunk manifest from ${url}/${MANIFEST}: it is not JSON`)
    expect(stagedManifest().chunks.map((entry) => entry.file)).toEqual(builtChunks())
  })

  it('fails when the deployed worker serves the demo pages', async () => {
    freshAccount()
    demoPage = true
    const run = await deploy()
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`npm run deploy: ${url}/examples/order-complete.html is deployed: the demo pages must be left out`)
  })
})
