import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

/**
 * The worker's benchmarks (`test/bench/*.bench.ts`), inside workerd with a local D1 like the
 * tests, but never part of `vitest run`: scripts/bench-tags.ts runs them and records the figures.
 */
export default defineConfig(async () => ({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: here('./wrangler.jsonc') },
      miniflare: {
        bindings: {
          HEARKEN_ENV: 'development',
          TEST_MIGRATIONS: await readD1Migrations(here('./migrations')),
          BENCH_ROUNDS: process.env.BENCH_ROUNDS ?? '7',
          BENCH_LARGE: process.env.BENCH_LARGE ?? '1000000',
        },
      },
    })),
  ],
  test: {
    name: 'worker-bench',
    root: here('.'),
    include: ['test/bench/**/*.bench.ts'],
    setupFiles: ['./test/setup.ts'],
    testTimeout: 60 * 60_000,
  },
}))
