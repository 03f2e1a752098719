import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect, test } from '@playwright/test'

const run = promisify(execFile)
/** What global-setup.ts prepared. */
function env(name: string): string {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set: run through test/install/playwright.config.ts`)
  return value
}

test('the packed SDK holds the built module and its declarations, with no dependencies and no engines', async () => {
  const { stdout } = await run('tar', ['-tzf', env('INSTALL_TARBALL')])
  expect(stdout.split('\n').filter(Boolean).sort()).toEqual(['package/LICENSE', 'package/README.md', 'package/dist/index.d.ts', 'package/dist/index.js', 'package/package.json'])
  const installed = JSON.parse(readFileSync(join(env('INSTALL_APP_DIR'), 'node_modules', 'hearken', 'package.json'), 'utf8')) as Record<string, unknown>
  expect(installed).toMatchObject({ name: 'hearken', type: 'module' })
  for (const field of ['private', 'engines', 'dependencies', 'peerDependencies']) expect(installed, field).not.toHaveProperty(field)
  const declarations = readFileSync(join(env('INSTALL_APP_DIR'), 'node_modules', 'hearken', 'dist', 'index.d.ts'), 'utf8')
  expect(declarations).not.toMatch(/from ['"](?!\.)/) // imports nothing the app would have to install
})

test('the app compiles with strict and skipLibCheck: false, and a misspelt checkpoint does not', async () => {
  const app = env('INSTALL_APP_DIR')
  const tsc = join(app, 'node_modules', 'typescript', 'bin', 'tsc')
  await run(process.execPath, [tsc, '-p', '.', '--pretty', 'false'], { cwd: app }) // throws with the compiler's output on any error
  const wrong = join(app, 'src', 'wrong.ts')
  writeFileSync(wrong, `import { createHearken } from 'hearken'\nconst h = createHearken<{ order_completed: { orderId: string } }>({ site: 'pk_x', endpoint: 'https://x' })\nvoid h.checkpoint('order_complete', { orderId: 'A-1' })\n`)
  try {
    const failed = await run(process.execPath, [tsc, '-p', '.', '--pretty', 'false'], { cwd: app }).then(() => '', (error: { stdout: string }) => error.stdout)
    expect(failed.trim()).toBe("src/wrong.ts(3,19): error TS2345: Argument of type '\"order_complete\"' is not assignable to parameter of type '\"order_completed\"'.")
  } finally {
    rmSync(wrong)
  }
})

test('the built app’s checkpoint shows a card from the local worker, and the answer is stored', async ({ page, request }) => {
  await page.goto(env('INSTALL_APP_URL'))
  await page.getByRole('button', { name: 'Pay now' }).click()
  const card = page.getByRole('dialog')
  await expect(card.getByRole('radiogroup')).toHaveAccessibleName(/How likely are you to recommend Install Shop/)
  // A click records the score at once.
  await card.getByRole('radio', { name: '9', exact: true }).click()
  await expect(page.locator('#log')).toContainText('delivered responses')
  await expect(page.locator('#log')).not.toContainText('error')

  const exported = await request.get(`${env('INSTALL_WORKER_URL')}/v1/sites/${env('INSTALL_SITE')}/responses?format=json`, {
    headers: { authorization: `Bearer ${env('INSTALL_TOKEN')}` },
  })
  expect(exported.status()).toBe(200)
  const { responses } = (await exported.json()) as { responses: { survey: string; score: number; checkpoint: string }[] }
  expect(responses).toEqual([expect.objectContaining({ survey: 'first-nps', score: 9, checkpoint: 'order_completed' })])
})

test('on an origin the site does not list, the error event names the site and the origin, and no card shows', async ({ page }) => {
  const origin = env('INSTALL_UNLISTED_URL')
  await page.goto(origin)
  await page.getByRole('button', { name: 'Pay now' }).click()
  await expect(page.locator('#log')).toContainText(`error Error: site ${env('INSTALL_SITE')} does not allow the origin ${origin}: add it to the site's origins`)
  await expect(page.getByRole('dialog')).toHaveCount(0)
})
