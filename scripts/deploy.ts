/**
 * `npm run deploy`: everything between a Cloudflare account and a worker that answers. Finds
 * or creates the D1 database, the queues and the secrets, applies the migrations, deploys the
 * built assets without the demo pages, sets PUBLIC_URL to the address the deployment answers
 * on, and checks that it does. Safe to run again: what exists is reused.
 *
 * Runs the `wrangler` found on PATH (npm puts the project's first). HEARKEN_DEPLOY_DIR moves
 * the deploy folder (default dist/deploy), which holds the staged assets, the generated
 * configuration and what the last deploy learnt (its address).
 */
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve, sep } from 'node:path'
import { parseArgs } from 'node:util'
import { SECRETS, deployConfig, parseJsonc, queueNames, type WranglerConfig } from './deploy-config.ts'
import { build, failWith, step } from './steps.ts'

const usage = `usage: npm run deploy [-- options]

  --public-url <url>   the address the worker is reached at, when a custom domain or route fronts it
  --skip-build         deploy what is already built in dist/
  --dry-run            build, stage and bundle without an account (wrangler deploy --dry-run)
  --wait <seconds>     how long to wait for the deployed worker to answer (default 60)`

const { values: options } = parseArgs({
  options: {
    'public-url': { type: 'string' },
    'skip-build': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    wait: { type: 'string', default: '60' },
    help: { type: 'boolean', short: 'h' },
  },
})
if (options.help) {
  console.log(usage)
  process.exit(0)
}

const waitSeconds = Number(options.wait)
if (!Number.isFinite(waitSeconds) || waitSeconds < 0) failWith('npm run deploy', new Error(`--wait takes seconds, not ${options.wait}`))

const givenUrl = options['public-url']?.replace(/\/+$/, '')
if (givenUrl !== undefined && !/^https?:\/\/[^/]+$/.test(givenUrl)) {
  failWith('npm run deploy', new Error(`--public-url takes the worker's address, such as https://feedback.example.com, not ${options['public-url']}`))
}

const root = resolve(import.meta.dirname, '..')
const workerDir = join(root, 'worker')
const deployDir = resolve(process.env.HEARKEN_DEPLOY_DIR ?? join(root, 'dist', 'deploy'))
const configFile = join(deployDir, 'wrangler.json')
const stateFile = join(deployDir, 'state.json')
const assetsDir = join(deployDir, 'public')
const builtDir = join(root, 'dist', 'public')

interface Run {
  status: number
  stdout: string
  stderr: string
}

/**
 * Runs wrangler. `capture` keeps its output to read (no prompts possible); otherwise the
 * operator sees its progress and can answer its questions, and a failure says so above.
 */
function wrangler(args: string[], mode: { capture?: boolean; env?: NodeJS.ProcessEnv } = {}): Run {
  const run = spawnSync('wrangler', args, {
    cwd: root,
    env: { ...process.env, ...mode.env },
    encoding: 'utf8',
    stdio: mode.capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
  })
  if (run.error) {
    const missing = (run.error as NodeJS.ErrnoException).code === 'ENOENT'
    throw new Error(missing ? 'wrangler is not on PATH: run this as `npm run deploy`, which puts the project’s wrangler first' : run.error.message)
  }
  return { status: run.status ?? 1, stdout: run.stdout ?? '', stderr: run.stderr ?? '' }
}

/** Runs wrangler and fails the deploy when it does. */
function must(args: string[], mode: { capture?: boolean; env?: NodeJS.ProcessEnv } = {}): Run {
  const run = wrangler(args, mode)
  if (run.status !== 0) {
    const said = `${run.stderr}\n${run.stdout}`.trim()
    throw new Error(`wrangler ${args.join(' ')} failed${mode.capture ? `:\n${said}` : ' (its message is above)'}`)
  }
  return run
}

/** The JSON a `--json` command printed, past any warning wrangler put before it. */
function jsonOf<T>(run: Run): T {
  const start = run.stdout.search(/[[{]/)
  return JSON.parse(start === -1 ? run.stdout : run.stdout.slice(start)) as T
}

/** Signed in, or signs in when a person is at the terminal. */
function signIn(): void {
  if (wrangler(['whoami', '--json'], { capture: true }).status === 0) return
  if (!process.stdin.isTTY) {
    throw new Error('not signed in to Cloudflare: run `npm run deploy` in a terminal to sign in, or set CLOUDFLARE_API_TOKEN (and CLOUDFLARE_ACCOUNT_ID)')
  }
  must(['login'])
  must(['whoami', '--json'], { capture: true })
}

/** The built assets, minus the demo pages (`/examples/…` are for `npm start` only). */
function stageAssets(): void {
  if (!existsSync(join(builtDir, 'hearken.js'))) throw new Error('nothing is built in dist/public: run without --skip-build')
  rmSync(assetsDir, { recursive: true, force: true })
  cpSync(builtDir, assetsDir, { recursive: true, filter: (path) => relative(builtDir, path).split(sep)[0] !== 'examples' })
}

/** The id of the D1 database named `name`, created when the account has none. */
function databaseId(name: string): string {
  const find = () => jsonOf<{ uuid: string; name: string }[]>(must(['d1', 'list', '--json'], { capture: true })).find((db) => db.name === name)?.uuid
  const found = find()
  if (found) return found
  must(['d1', 'create', name])
  const created = find()
  if (!created) throw new Error(`wrangler d1 create ${name} succeeded, yet wrangler d1 list does not show it`)
  return created
}

/** Creates each queue the account lacks. */
function ensureQueues(names: string[]): string[] {
  const created: string[] = []
  for (const name of names) {
    const info = wrangler(['queues', 'info', name], { capture: true })
    if (info.status === 0) continue
    if (!/does not exist/.test(`${info.stderr}${info.stdout}`)) throw new Error(`wrangler queues info ${name} failed:\n${`${info.stderr}\n${info.stdout}`.trim()}`)
    must(['queues', 'create', name])
    created.push(name)
  }
  return created
}

/** The secrets the deployed worker has already; none when the worker does not exist yet. */
function existingSecrets(): Set<string> {
  const run = wrangler(['secret', 'list', '--format', 'json', '-c', configFile], { capture: true })
  if (run.status === 0) return new Set(jsonOf<{ name: string }[]>(run).map((secret) => secret.name))
  if (/Worker "[^"]+".* not found/.test(`${run.stderr}${run.stdout}`)) return new Set()
  throw new Error(`wrangler secret list failed:\n${`${run.stderr}\n${run.stdout}`.trim()}`)
}

/** Deploys the written configuration and returns the addresses wrangler reports (workers.dev first). */
function deploy(secretsFile?: string): string[] {
  const scratch = mkdtempSync(join(tmpdir(), 'hearken-deploy-'))
  try {
    const output = join(scratch, 'output.ndjson')
    must(['deploy', '-c', configFile, ...(secretsFile ? ['--secrets-file', secretsFile] : [])], { env: { WRANGLER_OUTPUT_FILE_PATH: output } })
    const entries = existsSync(output) ? readFileSync(output, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { type: string; targets?: string[] }) : []
    return entries.filter((entry) => entry.type === 'deploy').flatMap((entry) => entry.targets ?? [])
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

/** Waits until the deployed worker answers as a Hearken worker should, or fails saying what is wrong. */
async function verify(url: string, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000
  let last = ''
  for (;;) {
    try {
      const health = await fetch(`${url}/health`)
      const body = await health.text()
      if (health.ok && /"ok":\s*true/.test(body)) break
      last = `/health answered ${health.status} ${body.slice(0, 200)}`
    } catch (error) {
      last = `${url} cannot be reached (${error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error)})`
    }
    // A new workers.dev address can take a little while to be reachable.
    if (Date.now() > deadline) throw new Error(`the deployed worker did not answer within ${seconds} s: ${last}`)
    await new Promise((done) => setTimeout(done, 2000))
  }
  const loader = await fetch(`${url}/hearken.js`)
  if (!loader.ok || !/javascript/.test(loader.headers.get('content-type') ?? '')) throw new Error(`${url}/hearken.js answered ${loader.status}, not the loader`)
  const demo = await fetch(`${url}/examples/order-complete.html`)
  if (demo.ok) throw new Error(`${url}/examples/order-complete.html is deployed: the demo pages must be left out`)
}

/** A path as the operator would type it: relative inside the checkout, absolute outside. */
const shown = (path: string): string => (relative(root, path).startsWith('..') ? path : relative(root, path))

const readState = (): { publicUrl?: string } => (existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as { publicUrl?: string }) : {})

const source = parseJsonc(join(workerDir, 'wrangler.jsonc'), readFileSync(join(workerDir, 'wrangler.jsonc'), 'utf8')) as WranglerConfig
const database = source.d1_databases[0]!
const writeConfig = (values: { databaseId: string; publicUrl: string }): void =>
  writeFileSync(configFile, `${JSON.stringify(deployConfig(source, { from: workerDir, to: deployDir, assets: assetsDir }, values), null, 2)}\n`)

try {
  mkdirSync(deployDir, { recursive: true })
  if (options['dry-run']) {
    if (!options['skip-build']) await step('Building the loader, widget and SDK', build)
    await step('Staging the assets without the demo pages', stageAssets)
    writeConfig({ databaseId: database.database_id, publicUrl: givenUrl ?? '' })
    must(['deploy', '--dry-run', '-c', configFile, '--outdir', join(deployDir, 'bundle')])
    console.log(`\nDry run: the worker bundles (${shown(join(deployDir, 'bundle'))}) with ${shown(configFile)}; nothing was uploaded.`)
    process.exit(0)
  }

  await step('Checking you are signed in to Cloudflare', signIn)
  if (!options['skip-build']) await step('Building the loader, widget and SDK', build)
  await step('Staging the assets without the demo pages', stageAssets)
  const id = await step(`Finding or creating the D1 database ${database.database_name}`, () => databaseId(database.database_name))
  await step(`Finding or creating the queues ${queueNames(source).join(', ')}`, () => ensureQueues(queueNames(source)))
  const known = givenUrl ?? readState().publicUrl ?? ''
  writeConfig({ databaseId: id, publicUrl: known })
  await step('Applying the D1 migrations', () => must(['d1', 'migrations', 'apply', database.binding, '--remote', '-c', configFile], { env: { CI: 'true' } }))

  const have = await step('Reading the worker’s secrets', existingSecrets)
  const made = Object.fromEntries(SECRETS.filter((name) => !have.has(name)).map((name) => [name, randomBytes(32).toString('base64url')]))
  const scratch = mkdtempSync(join(tmpdir(), 'hearken-secrets-'))
  let targets: string[]
  try {
    const secretsFile = join(scratch, 'secrets.json')
    if (Object.keys(made).length) writeFileSync(secretsFile, JSON.stringify(made), { mode: 0o600 })
    targets = await step('Deploying', () => deploy(Object.keys(made).length ? secretsFile : undefined))
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }

  const publicUrl = (givenUrl ?? targets.find((target) => /^https?:\/\//.test(target)))?.replace(/\/+$/, '')
  if (!publicUrl) throw new Error('deployed, but wrangler reported no address (is workers.dev turned off?): pass --public-url https://your.domain')
  if (publicUrl !== known) {
    // PUBLIC_URL is a var, so the address the first deploy reveals takes a second one.
    writeConfig({ databaseId: id, publicUrl })
    await step(`Setting PUBLIC_URL to ${publicUrl}`, () => deploy())
  }
  writeFileSync(stateFile, `${JSON.stringify({ publicUrl }, null, 2)}\n`)
  await step(`Checking ${publicUrl} answers`, () => verify(publicUrl, waitSeconds))

  const adminToken = made.ADMIN_TOKEN
  console.log(`
Hearken is deployed at ${publicUrl}

  Dashboard:     ${publicUrl}/dashboard
  Admin token:   ${adminToken ? `${adminToken}   (new: shown only now, keep it; it creates sites)` : `kept from before (change it with: sh scripts/with-node.sh npx wrangler secret put ADMIN_TOKEN -c ${shown(configFile)})`}
  First site:    HEARKEN_URL=${publicUrl} HEARKEN_ADMIN_TOKEN=${adminToken ?? '…'} npm run site -- init pk_shop --origin https://shop.example.com`)
} catch (error) {
  failWith('npm run deploy', error)
}
