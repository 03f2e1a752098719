import { applyD1Migrations } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import demo from '../seed/demo-site.json'
import { seedStatements, type SiteSeed } from '../src/seed.ts'

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: import('cloudflare:test').D1Migration[]
      /** The Node webhook receiver of receiver.global.ts. */
      RECEIVER_URL: string
    }
  }
}

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS)
const statements = await seedStatements(demo as SiteSeed)
await env.DB.batch(statements.map(({ sql, params }) => env.DB.prepare(sql).bind(...params)))
