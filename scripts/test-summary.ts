/** Prints one closing line for the whole `npm test`: vitest's and the Playwright suites' counts added up. */
import { readFileSync } from 'node:fs'

const vitest = JSON.parse(readFileSync('reports/vitest.json', 'utf8')) as {
  numPassedTests: number
  numFailedTests: number
  numPendingTests: number
}
type PlaywrightReport = { stats: { expected: number; unexpected: number; flaky: number; skipped: number } }
const playwright = ['reports/playwright.json', 'reports/reliability.json', 'reports/install.json'].map(
  (file) => JSON.parse(readFileSync(file, 'utf8')) as PlaywrightReport,
)
const sum = (key: keyof PlaywrightReport['stats']) => playwright.reduce((total, report) => total + report.stats[key], 0)
const passed = vitest.numPassedTests + sum('expected')
const failed = vitest.numFailedTests + sum('unexpected') + sum('flaky')
const skipped = vitest.numPendingTests + sum('skipped')
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(failed ? 1 : 0)
