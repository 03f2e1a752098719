/**
 * A stand-in for `wrangler` on PATH, for testing `npm run deploy` without a Cloudflare account:
 * it records each call, keeps a pretend account in the JSON file FAKE_WRANGLER_STATE, and
 * answers the commands deploy uses the way wrangler 4 does (exit codes, `--json` output, the
 * messages deploy reads, WRANGLER_OUTPUT_FILE_PATH). A deploy copies the assets to
 * `state.served`, which the test serves as the deployed worker.
 */
import { appendFileSync, cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'

export interface FakeAccount {
  loggedIn: boolean
  databases: { uuid: string; name: string }[]
  queues: string[]
  /** The worker once deployed: its secrets (names and values) and vars. */
  worker?: { secrets: Record<string, string>; vars: Record<string, string> }
  /** The workers.dev address a deploy reports. */
  url: string
  /** Where a deploy copies its assets. */
  served: string
  /** A command (its first words) that fails, as wrangler fails. */
  failOn?: string
  calls: { args: string[]; secretNames?: string[]; vars?: Record<string, string>; assets?: string[] }[]
}

const stateFile = process.env.FAKE_WRANGLER_STATE!
const state = JSON.parse(readFileSync(stateFile, 'utf8')) as FakeAccount
const args = process.argv.slice(2)
const call: FakeAccount['calls'][number] = { args }
state.calls.push(call)

const flag = (name: string): string | undefined => {
  const at = args.indexOf(name)
  return at === -1 ? undefined : args[at + 1]
}
const config = (): { name: string; d1_databases: { database_id: string; migrations_dir: string }[]; assets: { directory: string }; vars: Record<string, string>; queues: { producers: { queue: string }[] } } => {
  const file = resolve(flag('-c') ?? 'wrangler.json')
  const parsed = JSON.parse(readFileSync(file, 'utf8'))
  parsed.assets.directory = resolve(dirname(file), parsed.assets.directory)
  parsed.d1_databases[0].migrations_dir = resolve(dirname(file), parsed.d1_databases[0].migrations_dir)
  return parsed
}
function finish(code: number, stdout = '', stderr = ''): never {
  writeFileSync(stateFile, JSON.stringify(state, null, 2))
  if (stdout) process.stdout.write(`${stdout}\n`)
  if (stderr) process.stderr.write(`✘ [ERROR] ${stderr}\n`)
  process.exit(code)
}

const command = args.filter((arg) => !arg.startsWith('-')).slice(0, 3).join(' ')
if (state.failOn && command.startsWith(state.failOn)) finish(1, '', `A request to the Cloudflare API failed. [code: 7500] (${state.failOn})`)
if (!state.loggedIn && command !== 'login') finish(1, args.includes('--json') ? JSON.stringify({ loggedIn: false }) : '', 'You are not authenticated. Please run `wrangler login`.')

const [verb, noun, name] = args
if (verb === 'whoami') finish(0, JSON.stringify({ loggedIn: true, authType: 'User API Token', email: 'ops@example.com', accounts: [{ id: 'a1', name: 'Ops' }] }))
if (verb === 'd1' && noun === 'list') finish(0, JSON.stringify(state.databases.map((db) => ({ ...db, created_at: '2026-01-01', version: 'production' })), null, 2))
if (verb === 'd1' && noun === 'create') {
  state.databases.push({ uuid: `db-${state.databases.length + 1}-0000-0000-0000-000000000000`, name: name! })
  finish(0, `✅ Successfully created DB '${name}'`)
}
if (verb === 'queues' && noun === 'info') {
  if (state.queues.includes(name!)) finish(0, `Queue Name: ${name}\nQueue ID: q-${name}`)
  finish(1, '', `Queue "${name}" does not exist. To create it, run: wrangler queues create ${name}`)
}
if (verb === 'queues' && noun === 'create') {
  state.queues.push(name!)
  finish(0, `✅ Created queue ${name}.`)
}
if (verb === 'd1' && noun === 'migrations') {
  const { d1_databases } = config()
  if (!state.databases.some((db) => db.uuid === d1_databases[0]!.database_id)) finish(1, '', `Couldn't find DB with ID '${d1_databases[0]!.database_id}'`)
  finish(0, readdirSync(d1_databases[0]!.migrations_dir).map((file) => `✅ ${file}`).join('\n'))
}
if (verb === 'secret' && noun === 'list') {
  if (!state.worker) finish(1, '', `Worker "${config().name}" not found.\n\nIf this is a new Worker, run \`wrangler deploy\` first to create it.`)
  finish(0, JSON.stringify(Object.keys(state.worker.secrets).map((secret) => ({ name: secret, type: 'secret_text' }))))
}
if (verb === 'deploy') {
  const deployed = config()
  if (!state.databases.some((db) => db.uuid === deployed.d1_databases[0]!.database_id)) finish(1, '', 'You must use a real database in the database_id configuration.')
  for (const { queue } of deployed.queues.producers) if (!state.queues.includes(queue)) finish(1, '', `Queue "${queue}" does not exist.`)
  const secretsFile = flag('--secrets-file')
  const secrets = secretsFile ? (JSON.parse(readFileSync(secretsFile, 'utf8')) as Record<string, string>) : {}
  state.worker = { secrets: { ...state.worker?.secrets, ...secrets }, vars: deployed.vars }
  call.secretNames = Object.keys(secrets)
  call.vars = deployed.vars
  call.assets = readdirSync(deployed.assets.directory, { recursive: true, encoding: 'utf8' }).sort()
  rmSync(state.served, { recursive: true, force: true })
  cpSync(deployed.assets.directory, state.served, { recursive: true })
  const output = process.env.WRANGLER_OUTPUT_FILE_PATH
  const targets = [state.url, 'schedule: */10 * * * *']
  if (output) appendFileSync(output, `${JSON.stringify({ type: 'deploy', version: 1, worker_name: deployed.name, targets })}\n`)
  finish(0, `Uploaded ${deployed.name}\nDeployed ${deployed.name} triggers\n  ${targets.join('\n  ')}`)
}
finish(1, '', `the fake wrangler does not know \`wrangler ${args.join(' ')}\``)
