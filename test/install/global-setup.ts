/**
 * The install story, set up the way a new product team would live it, outside the repository:
 * a local worker on a port it picks itself (`wrangler dev`, throw-away D1), a site made for the app's
 * origin by `npm run site -- init`, the SDK packed with `npm pack -w hearken` (its prepack
 * builds it), a fresh Vite + TypeScript app in a temporary folder that installs the tarball
 * from the npm registry's cache, and its production build served on a second free port (and on
 * a third, whose origin the site does not list). The specs read the result from the environment.
 */
import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { extname, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { demoSeed, prepareLocalDatabase, runAdminToken, startWorker } from '../../scripts/local-worker.ts'

const run = promisify(execFile)
const root = resolve(import.meta.dirname, '../..')
export const SITE = 'pk_install'

const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }

/** Serves `dir` as a static site on a free port, as any host of a built app would. */
async function serve(dir: string): Promise<{ url: string; server: Server }> {
  const server = createServer((request, reply) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path)
    if (!file.startsWith(dir) || !existsSync(file)) return void reply.writeHead(404).end('not found')
    reply.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file))
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server }
}

/** Runs a command, failing with everything it printed. */
async function sh(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  try {
    return (await run(file, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 })).stdout
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string }
    throw new Error(`${file} ${args.join(' ')} (in ${cwd}) failed:\n${stdout ?? ''}\n${stderr ?? ''}`)
  }
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const scratch = mkdtempSync(join(tmpdir(), 'hearken-install-'))
  const app = join(scratch, 'app')
  const dist = join(app, 'dist')
  const stops: (() => Promise<void>)[] = []
  const teardown = async () => {
    for (const stop of stops.reverse()) await stop()
    rmSync(scratch, { recursive: true, force: true })
  }
  try {
    // The app's hosts first: their origins go into the site.
    const listed = await serve(dist)
    const unlisted = await serve(dist)
    for (const { server } of [listed, unlisted]) stops.push(() => new Promise((done) => server.close(() => done())))

    const persistTo = join(scratch, 'state')
    await prepareLocalDatabase(persistTo, demoSeed())
    const worker = await startWorker({ persistTo, adminToken: runAdminToken() })
    stops.push(worker.stop)

    const init = await sh(process.execPath, ['scripts/site.ts', 'init', SITE, '--origin', listed.url, '--name', 'Install Shop'], root, {
      ...process.env,
      HEARKEN_URL: worker.url,
      HEARKEN_ADMIN_TOKEN: worker.adminToken,
    })
    const token = /^Operator token for \S+ \(shown only now, keep it\): (hk_[\w-]+)$/m.exec(init)?.[1]
    if (!token) throw new Error(`npm run site -- init printed no token:\n${init}`)

    await sh('npm', ['pack', '-w', 'hearken', '--pack-destination', scratch, '--silent'], root)
    const tarball = readdirSync(scratch).find((file) => /^hearken-.*\.tgz$/.test(file))
    if (!tarball) throw new Error(`npm pack made no hearken-*.tgz in ${scratch}`)

    // A fresh app: the fixture's sources, the worker's address, the tarball, and the same Vite and TypeScript as this repository.
    cpSync(join(import.meta.dirname, 'app'), app, { recursive: true })
    writeFileSync(join(app, 'src', 'site.ts'), `export const site = '${SITE}'\nexport const endpoint = '${worker.url}'\n`)
    const ours = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'install-story-app',
        private: true,
        type: 'module',
        dependencies: { hearken: `file:../${tarball}` },
        devDependencies: { typescript: ours.devDependencies.typescript, vite: ours.devDependencies.vite },
      }),
    )
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'bundler',
          lib: ['ES2022', 'DOM', 'DOM.Iterable'],
          types: [],
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          skipLibCheck: false,
          isolatedModules: true,
          noEmit: true,
        },
        include: ['src'],
      }),
    )
    await sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], app)
    await sh(process.execPath, [join(app, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], app)

    Object.assign(process.env, {
      INSTALL_APP_DIR: app,
      INSTALL_TARBALL: join(scratch, tarball),
      INSTALL_APP_URL: listed.url,
      INSTALL_UNLISTED_URL: unlisted.url,
      INSTALL_WORKER_URL: worker.url,
      INSTALL_SITE: SITE,
      INSTALL_TOKEN: token,
    })
    return teardown
  } catch (error) {
    await teardown()
    throw error
  }
}
