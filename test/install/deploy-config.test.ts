import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { expect, it } from 'vitest'
import { SECRETS, deployConfig, parseJsonc, queueNames, type WranglerConfig } from '../../scripts/deploy-config.ts'

const root = resolve(import.meta.dirname, '../..')
const wranglerJsonc = join(root, 'worker', 'wrangler.jsonc')
const source = parseJsonc(wranglerJsonc, readFileSync(wranglerJsonc, 'utf8')) as WranglerConfig

it('makes every secret the worker documents in worker/src/env.ts, and no other', () => {
  const documented = [...readFileSync(join(root, 'worker', 'src', 'env.ts'), 'utf8').matchAll(/Secret \(`wrangler secret put (\w+)`\)/g)].map((match) => match[1])
  expect(documented.length).toBeGreaterThan(0)
  expect([...SECRETS].sort()).toEqual(documented.sort())
})

it('reads wrangler.jsonc with its comments, and finds each queue once', () => {
  expect(source.name).toBe('hearken')
  expect(queueNames(source)).toEqual(['hearken-alerts', 'hearken-alerts-dlq'])
  expect(() => parseJsonc('broken.jsonc', '{ "name": "x", ')).toThrow(/broken\.jsonc/)
})

it('writes the database id, the staged assets and PUBLIC_URL, with paths from the deploy folder', () => {
  const config = deployConfig(
    source,
    { from: '/repo/worker', to: '/repo/dist/deploy', assets: '/repo/dist/deploy/public' },
    { databaseId: 'db-1', publicUrl: 'https://hearken.example.workers.dev' },
  )
  expect(config.main).toBe('../../worker/src/index.ts')
  expect(config.assets).toEqual({ ...source.assets, directory: 'public' })
  expect(config.d1_databases).toEqual([{ ...source.d1_databases[0], database_id: 'db-1', migrations_dir: '../../worker/migrations' }])
  expect(config.vars).toEqual({ ...source.vars, PUBLIC_URL: 'https://hearken.example.workers.dev' })
  expect(config.queues).toEqual(source.queues)
  expect(config).not.toHaveProperty('$schema')
})
