import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig, type Plugin, type UserConfig } from 'vite'
import type { WidgetChunk } from './sdk/protocol.ts'
import { WIDGET_CONTRACT } from './sdk/widget-contract.ts'

/** Where the build records the chunks' content-hashed names: read by the loader and link builds, and by scripts/sizes.ts. */
export const CHUNKS_MANIFEST = 'dist/chunks.json'
export type Chunks = { sdk: string; courier: string; widget: string }

const readChunks = (): Chunks => {
  if (!existsSync(CHUNKS_MANIFEST)) throw new Error(`${CHUNKS_MANIFEST} is missing: build the widget and sdk modes first (npm run build)`)
  return JSON.parse(readFileSync(CHUNKS_MANIFEST, 'utf8')) as Chunks
}

const recordChunk = (name: keyof Chunks, file: string): void => {
  const known = existsSync(CHUNKS_MANIFEST) ? (JSON.parse(readFileSync(CHUNKS_MANIFEST, 'utf8')) as Partial<Chunks>) : {}
  writeFileSync(CHUNKS_MANIFEST, `${JSON.stringify({ ...known, [name]: file }, null, 2)}\n`)
}

/** The asset in which the worker finds the card to name in the site config (worker/src/widget-chunk.ts). */
const WIDGET_ASSET = 'widget.json'

/**
 * Copies the built widget to `dist/public/chunks/widget.<hash>.js`, named by its content, and
 * records the name. Workers assets serve `/chunks/*` for a year (worker/public/_headers):
 * a new release is new names, so a browser never mixes one release's SDK with another's widget.
 * `dist/public/widget.json` holds the name and the contract version for the worker, which
 * names them in the site config to an SDK bundled by an app.
 */
function hashedWidget(): Plugin {
  return {
    name: 'hearken:hashed-widget',
    closeBundle() {
      const bytes = readFileSync('dist/public/widget.js')
      const file = `chunks/widget.${createHash('sha256').update(bytes).digest('hex').slice(0, 8)}.js`
      mkdirSync('dist/public/chunks', { recursive: true })
      writeFileSync(`dist/public/${file}`, bytes)
      recordChunk('widget', file)
      const chunk: WidgetChunk = { url: file, contract: WIDGET_CONTRACT }
      writeFileSync(`dist/public/${WIDGET_ASSET}`, `${JSON.stringify(chunk)}\n`)
    },
  }
}

/** The package's folder starts afresh once per build (the hooks run once per output), so it never ships an old chunk. */
let packageCleaned = false

/** Records the served SDK's names (the courier's is written into the SDK chunk by rolldown, which names both by content). */
function recordSdkChunks(): Plugin {
  return {
    name: 'hearken:record-sdk',
    buildStart() {
      if (!packageCleaned) rmSync('sdk/dist', { recursive: true, force: true })
      packageCleaned = true
    },
    writeBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk' || !file.fileName.startsWith('chunks/')) continue
        if (file.isEntry) recordChunk('sdk', file.fileName)
        else if (file.name === 'courier') recordChunk('courier', file.fileName)
      }
    },
  }
}

/** The chunks' hashed names as compile-time constants. */
const chunkNames = (): Record<string, string> => {
  const { sdk, widget } = readChunks()
  return { __HEARKEN_SDK__: JSON.stringify(sdk), __HEARKEN_WIDGET__: JSON.stringify(widget) }
}

/**
 * One build per browser entry, chosen by `--mode`, in this order (`npm run build`):
 * - `widget`: the Preact card as an ES module the sdk imports lazily: `/chunks/widget.<hash>.js`,
 *   and `/widget.js` for pages that import the card themselves (a bundled SDK loads the hashed file the config names); also copies worker/public and the
 *   example pages (this build empties dist/public);
 * - `sdk`: `sdk/dist/index.js`, the ES module of the `hearken` package (`import { createHearken } from 'hearken'`),
 *   also served as `/chunks/hearken-sdk.<hash>.js`, which the loader imports when a page first needs it;
 *   served, the courier that delivers the outbox is a chunk of its own (`chunks/courier.<hash>.js`);
 * - `loader`: `/hearken.js`, a classic script (IIFE) for the script tag, with both hashed names built in;
 * - `example`: the app in `examples/app/`, built against the sdk's source, served at `/examples/app/`;
 * - `link`: `/link.js`, the script of a survey link's page (`/s/{token}`), which shows the widget inline.
 */
const builds: Record<string, () => UserConfig> = {
  widget: () => ({
    publicDir: 'worker/public',
    // Classic JSX: Preact's own createElement is in the bundle anyway; the automatic runtime adds a second one.
    oxc: { jsx: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment' }, jsxInject: `import { h, Fragment } from 'preact'` },
    build: {
      outDir: 'dist/public',
      emptyOutDir: true,
      // The card needs adoptedStyleSheets and color-mix() anyway; older CSS targets only add fallbacks.
      cssTarget: ['chrome111', 'firefox113', 'safari16.4'],
      // Not lib mode: lib mode leaves ES output unminified, and this file is shipped to browsers.
      rolldownOptions: {
        input: 'widget/index.tsx',
        preserveEntrySignatures: 'exports-only',
        output: {
          format: 'es',
          entryFileNames: 'widget.js',
          comments: false,
          minify: { compress: true, mangle: true, mangleProps: { include: /^(__[a-zA-Z]{0,2}|getDerivedState\w+|component(Did|Will)\w+|shouldComponentUpdate|getSnapshotBeforeUpdate|getChildContext|contextType|debounceRendering|setState|forceUpdate|diffed|vnode|unmount)$/ } },
        },
      },
    },
    plugins: [
      {
        name: 'hearken:examples',
        // The first build starts the chunk names afresh (dist/public is emptied by emptyOutDir).
        buildStart: () => rmSync(CHUNKS_MANIFEST, { force: true }),
        // examples/app is built by its own mode, not copied as source.
        closeBundle: () =>
          cpSync('examples', 'dist/public/examples', { recursive: true, filter: (path) => !path.startsWith('examples/app') }),
      },
      hashedWidget(),
    ],
  }),
  sdk: () => ({
    publicDir: false,
    build: {
      // Inside the package (sdk/package.json), which publishes this folder and nothing else.
      outDir: 'sdk/dist',
      emptyOutDir: false,
      // Lib mode, so that the widget's import() gets no preload helper (500 B, nothing to preload);
      // minified explicitly, since lib mode leaves ES output readable and this file goes to browsers.
      // No comments: pure annotations help only a bundler, and these files go to browsers as they are.
      lib: { entry: 'sdk/index.ts' },
      rolldownOptions: {
        // What the entry shares with the courier stays in the entry (the page has it already),
        // exported under extra names, instead of a third chunk the entry would have to wait for.
        preserveEntrySignatures: 'allow-extension',
        output: [
          // The package is one file: an app's bundler splits the courier off again if it wants to.
          { dir: 'sdk/dist', entryFileNames: 'index.js', codeSplitting: false, minify: true, comments: false },
          { dir: 'dist/public', entryFileNames: 'chunks/hearken-sdk.[hash].js', chunkFileNames: 'chunks/[name].[hash].js', minify: true, comments: false },
        ],
      },
    },
    plugins: [recordSdkChunks()],
  }),
  loader: () => ({
    publicDir: false,
    define: chunkNames(),
    build: {
      outDir: 'dist/public',
      emptyOutDir: false,
      lib: { entry: 'sdk/loader.ts', formats: ['iife'], name: 'hearkenLoader', fileName: () => 'hearken.js' },
      rolldownOptions: { output: { comments: false } },
    },
  }),
  link: () => ({
    publicDir: false,
    define: chunkNames(),
    build: {
      outDir: 'dist/public',
      emptyOutDir: false,
      // Top-level await for the widget import: every browser that runs module scripts has it.
      target: 'es2022',
      // Lib mode, so the widget's import() gets no preload helper; minified explicitly (see `sdk`).
      lib: { entry: 'widget/link-page.ts', formats: ['es'], fileName: () => 'link.js' },
      // One file: the page always delivers, so the courier goes in with it.
      rolldownOptions: { output: { minify: true, comments: false, codeSplitting: false } },
    },
  }),
  example: () => ({
    root: 'examples/app',
    base: '/examples/app/',
    publicDir: false,
    resolve: { alias: { hearken: resolve('sdk/index.ts') } },
    build: { outDir: resolve('dist/public/examples/app'), emptyOutDir: true },
  }),
}

export default defineConfig(({ mode }) => {
  const build = builds[mode]?.()
  if (!build) throw new Error(`vite build --mode must be one of ${Object.keys(builds).join(', ')}`)
  return {
    ...build,
    build: { target: 'es2020', minify: true, reportCompressedSize: false, ...build.build },
  }
})
