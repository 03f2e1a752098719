/**
 * `npm run --silent seed-sql -- my-site.json > site.sql`: the SQL that creates or refreshes a
 * site from a seed file (like worker/seed/demo-site.json), for `wrangler d1 execute --file`.
 */
import { readFileSync } from 'node:fs'
import { seedStatements, toSqlScript, type SiteSeed } from '../worker/src/seed.ts'

const file = process.argv[2]
if (!file) {
  console.error('usage: npm run --silent seed-sql -- <site.json> > site.sql')
  process.exit(2)
}
console.log(toSqlScript(await seedStatements(JSON.parse(readFileSync(file, 'utf8')) as SiteSeed)))
