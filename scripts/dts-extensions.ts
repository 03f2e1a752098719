/**
 * Rewrites `./x.ts` and `../x.ts` imports in the emitted declarations (every .d.ts under sdk/dist/types) to `.js`:
 * `rewriteRelativeImportExtensions` fixes the JavaScript but not the declarations, and
 * API Extractor and consumers' compilers resolve `./x.js` to `./x.d.ts`, never `./x.ts`.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const dir = join(resolve(import.meta.dirname, '..'), 'sdk', 'dist', 'types')
for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.d.ts'))) {
  const file = join(dir, name)
  writeFileSync(file, readFileSync(file, 'utf8').replace(/((?:from |import\()'\.{1,2}\/[\w./-]+)\.ts'/g, "$1.js'"))
}
