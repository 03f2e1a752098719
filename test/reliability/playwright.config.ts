import { defineConfig } from '@playwright/test'
import base from '../../playwright.config.ts'

/**
 * `npm run test:reliability`: bursts and faults against workers these tests start and stop
 * themselves (each on a free port with a throw-away database).
 */
export default defineConfig({
  ...base,
  testDir: '.',
  globalSetup: undefined,
  timeout: 240_000,
  reporter: [[process.env.CI ? 'list' : 'line'], ['json', { outputFile: '../../reports/reliability.json' }]],
})
