import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

/** Worker tests run inside workerd with a real local D1, migrated and seeded before each file. */
export default defineConfig(async () => ({
  plugins: [
    cloudflareTest(async ({ inject }) => ({
      wrangler: { configPath: here('./wrangler.jsonc') },
      miniflare: {
        bindings: {
          RECEIVER_URL: inject('receiverUrl'),
          ALERT_DELAY_SECONDS: '0',
          HEARKEN_ENV: 'development',
          ADMIN_TOKEN: 'test-admin-token',
          SESSION_SECRET: 'test-session-secret',
          LINK_SECRET: 'test-link-secret',
          TEST_MIGRATIONS: await readD1Migrations(here('./migrations')),
        },
      },
    })),
  ],
  test: {
    name: 'worker',
    root: here('.'),
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['./test/setup.ts'],
    globalSetup: ['./test/receiver.global.ts'],
  },
}))
