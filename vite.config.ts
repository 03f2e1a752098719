import { cpSync } from 'node:fs'
import { defineConfig, type UserConfig } from 'vite'

/**
 * One build per browser entry, chosen by `--mode`:
 * - `loader`: `/hearken.js`, a classic script (IIFE) for the script tag, plus the example pages;
 * - `widget`: `/widget.js`, the Preact card as an ES module the sdk imports lazily;
 * - `sdk`: `dist/sdk/index.js`, the ES module behind `import { createHearken } from 'hearken'`.
 */
const builds: Record<string, UserConfig> = {
  loader: {
    publicDir: 'worker/public',
    build: {
      outDir: 'dist/public',
      lib: { entry: 'sdk/loader.ts', formats: ['iife'], name: 'hearkenLoader', fileName: () => 'hearken.js' },
    },
    plugins: [
      {
        name: 'hearken:examples',
        closeBundle: () => cpSync('examples', 'dist/public/examples', { recursive: true }),
      },
    ],
  },
  widget: {
    publicDir: false,
    build: {
      outDir: 'dist/public',
      emptyOutDir: false,
      // Not lib mode: lib mode leaves ES output unminified, and this file is shipped to browsers.
      rolldownOptions: {
        input: 'widget/index.tsx',
        preserveEntrySignatures: 'exports-only',
        output: { format: 'es', entryFileNames: 'widget.js' },
      },
    },
  },
  sdk: {
    publicDir: false,
    build: {
      outDir: 'dist/sdk',
      emptyOutDir: false,
      lib: { entry: 'sdk/index.ts', formats: ['es'], fileName: () => 'index.js' },
    },
  },
}

export default defineConfig(({ mode }) => {
  const build = builds[mode]
  if (!build) throw new Error(`vite build --mode must be one of ${Object.keys(builds).join(', ')}`)
  return {
    ...build,
    build: { target: 'es2020', minify: true, reportCompressedSize: false, ...build.build },
  }
})
