/**
 * `npm run deploy -- --dry-run` with the real wrangler: the generated configuration is valid and
 * the worker bundles from it, offline; then that same configuration served by `wrangler dev`
 * answers as a deployed worker would, without the demo pages. Needs the build in dist/public.
 */
import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const scratch = mkdtempSync(join(tmpdir(), 'hearken-dry-run-'))
const deployDir = join(scratch, 'deploy')
const env = {
  ...process.env,
  PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH}`,
  HEARKEN_DEPLOY_DIR: deployDir,
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_HIDE_BANNER: 'true',
}

afterAll(() => rmSync(scratch, { recursive: true, force: true }))

it('bundles the worker with the generated configuration, and that configuration serves no demo pages', { timeout: 120_000 }, async () => {
  if (!existsSync(join(root, 'dist', 'public', 'hearken.js'))) throw new Error('build first: npm run build')
  const run = await new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
    execFile(process.execPath, ['scripts/deploy.ts', '--dry-run', '--skip-build'], { cwd: root, env }, (error, stdout, stderr) =>
      done({ code: error ? 1 : 0, stdout, stderr }),
    ),
  )
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
  expect(run.stdout).toContain('--dry-run: exiting now.')
  expect(run.stdout).toContain('nothing was uploaded')
  expect(readFileSync(join(deployDir, 'bundle', 'index.js'), 'utf8')).toContain('/v1/responses')
  const staged = readdirSync(join(deployDir, 'public'))
  // The loader, the card for bundled SDKs, and the content-named chunks (SDK, courier, widget).
  expect(staged).toEqual(expect.arrayContaining(['hearken.js', 'widget.js', 'chunks']))
  expect(staged).not.toContain('examples')

  // Port 0: wrangler binds a free port itself and its "Ready on" line says which, so no other
  // process can take the port between a probe and the bind.
  const dev = spawn(
    process.execPath,
    [join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js'), 'dev', '-c', join(deployDir, 'wrangler.json'), '--ip', '127.0.0.1', '--port', '0', '--persist-to', join(scratch, 'state'),
      // What deploy uploads as secrets, here as plain vars.
      '--var', 'ADMIN_TOKEN:a'.padEnd(40, 'a'), '--var', 'SESSION_SECRET:s'.padEnd(43, 's'), '--var', 'LINK_SECRET:l'.padEnd(40, 'l'),
      '--show-interactive-dev-session=false', '--log-level', 'info'],
    { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const exited = new Promise((done) => dev.once('exit', done))
  try {
    const url = await new Promise<string>((done, fail) => {
      let output = ''
      const read = (chunk: Buffer) => {
        output += chunk.toString().replace(/\x1b\[[0-9;]*m/g, '')
        const ready = /Ready on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
        if (ready) done(ready[1]!)
      }
      dev.stdout!.on('data', read)
      dev.stderr!.on('data', read)
      dev.once('exit', () => fail(new Error(`wrangler dev exited before it was ready:\n${output}`)))
    })
    let health: Response | undefined
    for (let attempt = 0; attempt < 300 && !health; attempt++) {
      health = await fetch(`${url}/health`).catch(() => undefined)
      if (!health) await new Promise((done) => setTimeout(done, 200))
    }
    expect(await health?.json()).toEqual({ ok: true })
    const loader = await fetch(`${url}/hearken.js`)
    expect(loader.status).toBe(200)
    expect(loader.headers.get('content-type')).toMatch(/javascript/)
    expect((await fetch(`${url}/examples/order-complete.html`)).status).toBe(404)
    expect((await fetch(`${url}/examples/app/`)).status).toBe(404)
    const dashboard = await fetch(`${url}/dashboard`)
    expect(dashboard.status).toBe(200)
    expect(await dashboard.text()).toContain('<form')
  } finally {
    process.kill(-dev.pid!, 'SIGTERM')
    await exited
  }
})
