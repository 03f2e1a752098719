import { cpSync, mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig, type UserConfig } from 'vite'

/**
 * One build per browser entry, chosen by `--mode`:
 * - `loader`: `/hearken.js`, a classic script (IIFE) for the script tag, plus the example pages;
 * - `widget`: `/widget.js`, the Preact card as an ES module the sdk imports lazily;
 * - `sdk`: `sdk/dist/index.js`, the ES module of the `hearken` package (`import { createHearken } from 'hearken'`),
 *   also served as `/hearken-sdk.js`, which the loader imports when a page first needs it;
 * - `example`: the app in `examples/app/`, built against the sdk's source, served at `/examples/app/`;
 * - `link`: `/link.js`, the script of a survey link's page (`/s/{token}`), which shows the widget inline.
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
        // examples/app is built by its own mode, not copied as source.
        closeBundle: () =>
          cpSync('examples', 'dist/public/examples', { recursive: true, filter: (path) => !path.startsWith('examples/app') }),
      },
    ],
  },
  widget: {
    publicDir: false,
    // Classic JSX: Preact's own createElement is in the bundle anyway; the automatic runtime adds a second one.
    oxc: { jsx: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment' }, jsxInject: `import { h, Fragment } from 'preact'` },
    build: {
      outDir: 'dist/public',
      emptyOutDir: false,
      // The card needs adoptedStyleSheets and color-mix() anyway; older CSS targets only add fallbacks.
      cssTarget: ['chrome111', 'firefox113', 'safari16.4'],
      // Not lib mode: lib mode leaves ES output unminified, and this file is shipped to browsers.
      rolldownOptions: {
        input: 'widget/index.tsx',
        preserveEntrySignatures: 'exports-only',
        output: {
          format: 'es',
          entryFileNames: 'widget.js',
          minify: { compress: true, mangle: true, mangleProps: { include: /^(__[a-zA-Z]{0,2}|getDerivedState\w+|component(Did|Will)\w+|shouldComponentUpdate|getSnapshotBeforeUpdate|getChildContext|contextType|debounceRendering|setState|forceUpdate|diffed|vnode|unmount)$/ } },
        },
      },
    },
  },
  sdk: {
    publicDir: false,
    build: {
      // Inside the package (sdk/package.json), which publishes this folder and nothing else.
      outDir: 'sdk/dist',
      emptyOutDir: true,
      // Lib mode, so that the widget's import() gets no preload helper (500 B, nothing to preload);
      // minified explicitly, since lib mode leaves ES output readable and this file goes to browsers.
      lib: { entry: 'sdk/index.ts', formats: ['es'], fileName: () => 'index.js' },
      rolldownOptions: { output: { minify: true } },
    },
    plugins: [
      {
        name: 'hearken:sdk-chunk',
        closeBundle: () => {
          mkdirSync('dist/public', { recursive: true })
          cpSync('sdk/dist/index.js', 'dist/public/hearken-sdk.js')
        },
      },
    ],
  },
  link: {
    publicDir: false,
    build: {
      outDir: 'dist/public',
      emptyOutDir: false,
      // Top-level await for the widget import: every browser that runs module scripts has it.
      target: 'es2022',
      // Lib mode, so the widget's import() gets no preload helper; minified explicitly (see `sdk`).
      lib: { entry: 'widget/link-page.ts', formats: ['es'], fileName: () => 'link.js' },
      rolldownOptions: { output: { minify: true } },
    },
  },
  example: {
    root: 'examples/app',
    base: '/examples/app/',
    publicDir: false,
    resolve: { alias: { hearken: resolve('sdk/index.ts') } },
    build: { outDir: resolve('dist/public/examples/app'), emptyOutDir: true },
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
