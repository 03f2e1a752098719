import { defineConfig } from '@playwright/test'
import base from '../../playwright.config.ts'

/**
 * `npm run test:install`: the SDK packed, installed into a fresh app outside the repository,
 * compiled strictly, built, and shown in Chromium against a local worker (global-setup.ts).
 */
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: '*.spec.ts',
  globalSetup: './global-setup.ts',
  // Packing, installing and building the app happen once, in the global setup.
  globalTimeout: 600_000,
  timeout: 60_000,
  outputDir: '../../test-results/install',
  reporter: [[process.env.CI ? 'list' : 'line'], ['json', { outputFile: '../../reports/install.json' }]],
})
