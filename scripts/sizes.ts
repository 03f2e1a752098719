/** Gzip and brotli sizes of the browser bundles, against the budgets in DESIGN.md. */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const publicDir = join(resolve(import.meta.dirname, '..'), 'dist', 'public')

/** Budgets in gzip bytes. */
export const budgets = {
  /** What every page loads. */
  loader: 2 * 1024,
  /** The loader plus the SDK chunk it imports when a page first needs it. */
  loaderAndSdk: 4700,
  /** The survey card, Preact included; the loader and sdk get the rest of `toVisibleSurvey`. */
  widget: 7500,
  /** Everything up to a visible survey: loader, sdk, widget, Preact. */
  toVisibleSurvey: 12 * 1024,
  /**
   * The courier, which delivers the outbox: loaded only when something waits to be sent, never
   * waited for by a card (the SDK writes each answer to the outbox itself first).
   */
  courier: 1500,
} as const

export interface BundleSize {
  file: string
  raw: number
  gzip: number
  brotli: number
}

function measure(file: string): BundleSize {
  const bytes = readFileSync(join(publicDir, file))
  return {
    file,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  }
}

/** Sizes of the built loader, SDK chunk and widget, as the loader names them (run `npm run build` first). */
export function bundleSizes() {
  const chunks = JSON.parse(readFileSync(join(publicDir, '..', 'chunks.json'), 'utf8')) as { sdk: string; courier: string; widget: string }
  const loader = measure('hearken.js')
  const sdk = measure(chunks.sdk)
  const courier = measure(chunks.courier)
  const widget = measure(chunks.widget)
  const toVisibleSurveyGzip = loader.gzip + sdk.gzip + widget.gzip
  return { loader, sdk, courier, widget, loaderAndSdkGzip: loader.gzip + sdk.gzip, toVisibleSurveyGzip, answeredGzip: toVisibleSurveyGzip + courier.gzip }
}
