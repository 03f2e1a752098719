/** Prints one closing line for the whole `npm test`: vitest's and Playwright's counts added up. */
import { readFileSync } from 'node:fs'

const vitest = JSON.parse(readFileSync('reports/vitest.json', 'utf8')) as {
  numPassedTests: number
  numFailedTests: number
  numPendingTests: number
}
const playwright = JSON.parse(readFileSync('reports/playwright.json', 'utf8')) as {
  stats: { expected: number; unexpected: number; flaky: number; skipped: number }
}
const passed = vitest.numPassedTests + playwright.stats.expected
const failed = vitest.numFailedTests + playwright.stats.unexpected + playwright.stats.flaky
const skipped = vitest.numPendingTests + playwright.stats.skipped
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(failed ? 1 : 0)
