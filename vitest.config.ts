import { defineConfig } from 'vitest/config'

/** `vitest run`: unit tests beside the browser code in Node, and the worker's tests inside workerd. */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['sdk/**/*.test.ts', 'widget/**/*.test.{ts,tsx}', 'test/unit/**/*.test.ts', 'test/install/**/*.test.ts'],
          environment: 'node',
        },
      },
      'worker/vitest.config.ts',
    ],
  },
})
