/**
 * Rewrites `./x.ts` imports in the emitted declarations (dist/sdk/*.d.ts) to `./x.js`:
 * `rewriteRelativeImportExtensions` fixes the JavaScript but not the declarations, and
 * API Extractor and consumers' compilers resolve `./x.js` to `./x.d.ts`, never `./x.ts`.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const dir = join(resolve(import.meta.dirname, '..'), 'dist', 'sdk')
for (const name of readdirSync(dir).filter((file) => file.endsWith('.d.ts'))) {
  const file = join(dir, name)
  writeFileSync(file, readFileSync(file, 'utf8').replace(/(from '\.\/[\w.-]+)\.ts'/g, "$1.js'"))
}
