/**
 * The chunks a page may still ask for after a deploy. The SDK, its courier and the widget are
 * content-named files under /chunks/ (cached a year); /hearken.js, cached five minutes, names
 * its own release's, and a page keeps the names of the release it loaded for as long as it stays
 * open: it imports the widget only when a card is due, and the courier when an answer is.
 * So a deploy serves, beside its own chunks, those of earlier releases that were replaced less
 * than {@link KEEP_DAYS} ago, fetched from the live worker, and lists every chunk it serves in
 * /chunks-manifest.json with when it was first deployed and when a release stopped building it.
 *
 * The manifest is outside /chunks/ because the `_headers` rule for /chunks/* caches a year, and
 * rules must not overlap (worker/public/_headers): the manifest is served `no-store`.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** The manifest's name in the assets (served at /chunks-manifest.json). */
export const MANIFEST = 'chunks-manifest.json'

/**
 * Days a chunk stays after the first release that did not build it: longer than a page
 * plausibly stays open with the SDK loaded (a pinned tab or a single-page app kept open for
 * weeks). A page open longer still asks for a name that is gone and shows no card until it
 * reloads; its answers wait in the outbox, not lost.
 */
export const KEEP_DAYS = 30

const DAY_MS = 24 * 3600 * 1000
/** What a chunk's name may be: a content-hashed file of the build, never a path. */
const CHUNK_NAME = /^[\w-]+(\.[\w-]+)*\.js$/
/** A manifest or chunk larger than this is not one of ours (a chunk is a few KB; Workers assets take 25 MiB a file). */
const MAX_MANIFEST_BYTES = 1 << 20
const MAX_CHUNK_BYTES = 25 << 20

/** One chunk the deployment serves. */
export interface ChunkEntry {
  /** Its name under /chunks/. */
  file: string
  /** When a deploy first served it (ISO 8601). */
  firstDeployed: string
  /** When the first deploy that did not build it went out: from then on only pages opened before ask for it. Absent while the live release builds it. */
  replaced?: string
}

export interface ChunkManifest {
  chunks: ChunkEntry[]
}

const isTime = (value: unknown): value is string => typeof value === 'string' && !Number.isNaN(Date.parse(value))

/**
 * The entries of a live manifest, as text from the network: an entry that names no chunk file
 * or carries no valid dates is left out (and counted). Throws when the text is no manifest at all.
 */
export function parseManifest(text: string): { entries: ChunkEntry[]; rejected: number } {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new Error('it is not JSON')
  }
  const chunks = (parsed as { chunks?: unknown } | null)?.chunks
  if (!Array.isArray(chunks)) throw new Error('it has no "chunks" list')
  const entries: ChunkEntry[] = []
  for (const entry of chunks as Partial<Record<keyof ChunkEntry, unknown>>[]) {
    const { file, firstDeployed, replaced } = entry ?? {}
    if (typeof file !== 'string' || !CHUNK_NAME.test(file) || !isTime(firstDeployed) || (replaced !== undefined && !isTime(replaced))) continue
    entries.push({ file, firstDeployed, ...(replaced === undefined ? {} : { replaced }) })
  }
  return { entries, rejected: chunks.length - entries.length }
}

/** What a deploy does with the chunks: the manifest it serves, what it fetches from the live worker, what it lets go. */
export interface CarryPlan {
  /** Every chunk it serves: its own build's, then those it carries. */
  manifest: ChunkManifest
  /** Earlier releases' chunks to fetch from the live worker. */
  carry: ChunkEntry[]
  /** Earlier releases' chunks replaced {@link KEEP_DAYS} ago or more: no longer served. */
  pruned: string[]
}

/**
 * Decides, from the chunks of the new build and the live manifest's entries, what the new
 * deployment serves. A chunk of the build keeps the date it was first deployed and is never
 * fetched (the build's file is what is served); an earlier one is replaced now unless it was
 * before, and kept while it was replaced less than `keepDays` ago.
 */
export function planCarry(built: readonly string[], live: readonly ChunkEntry[], now: Date, keepDays = KEEP_DAYS): CarryPlan {
  const known = new Map(live.map((entry) => [entry.file, entry]))
  const own = built.map((file): ChunkEntry => ({ file, firstDeployed: known.get(file)?.firstDeployed ?? now.toISOString() }))
  const carry: ChunkEntry[] = []
  const pruned: string[] = []
  for (const entry of known.values()) {
    if (built.includes(entry.file)) continue
    const replaced = entry.replaced ?? now.toISOString()
    if (now.getTime() - Date.parse(replaced) >= keepDays * DAY_MS) pruned.push(entry.file)
    else carry.push({ file: entry.file, firstDeployed: entry.firstDeployed, replaced })
  }
  const byName = (a: ChunkEntry, b: ChunkEntry) => (a.file < b.file ? -1 : 1)
  return { manifest: { chunks: [...own.sort(byName), ...carry.sort(byName)] }, carry: carry.sort(byName), pruned: pruned.sort() }
}

/** What carrying the chunks came to, for the deploy's output. */
export interface CarryReport {
  built: number
  carried: string[]
  pruned: string[]
  /** Why some or all of the live release's chunks are not carried: the deploy goes on, the operator should know. */
  warnings: string[]
}

/** A body read with a cap: the live worker is trusted to serve its own files, not to be small. */
async function readCapped(response: Response, limit: number): Promise<Uint8Array | null> {
  if (Number(response.headers.get('content-length') ?? 0) > limit) return null
  const bytes = new Uint8Array(await response.arrayBuffer())
  return bytes.byteLength > limit ? null : bytes
}

/**
 * Stages the live release's chunks beside the new build's in `assetsDir` and writes the
 * manifest. Never throws for what the live worker does: a missing or broken manifest, or a chunk
 * it cannot give, is a warning and the deploy goes on. `liveUrl` undefined: no deployment is
 * known (the first deploy), so there is nothing to carry.
 */
export async function carryChunks(options: { liveUrl?: string; assetsDir: string; now: Date; keepDays?: number; fetch?: typeof fetch }): Promise<CarryReport> {
  const { liveUrl, assetsDir, now } = options
  const get = options.fetch ?? fetch
  const chunksDir = join(assetsDir, 'chunks')
  const built = existsSync(chunksDir) ? readdirSync(chunksDir).filter((file) => CHUNK_NAME.test(file)) : []
  const warnings: string[] = []
  const loss = 'pages opened before this deploy may show no card until they reload'
  let live: ChunkEntry[] = []

  if (liveUrl !== undefined) {
    const url = `${liveUrl}/${MANIFEST}`
    try {
      // Chunks go to customers' pages: never fetched over a network that could change them.
      if (!/^https:\/\//.test(liveUrl) && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(liveUrl)) throw new Error('it is not https')
      const response = await get(url, { headers: { 'cache-control': 'no-cache' }, signal: AbortSignal.timeout(15_000) })
      if (!response.ok) throw new Error(`it answered ${response.status}${response.status === 404 ? ' (deployed before manifests, or not a Hearken worker)' : ''}`)
      const body = await readCapped(response, MAX_MANIFEST_BYTES)
      if (!body) throw new Error('it is larger than a manifest can be')
      const parsed = parseManifest(new TextDecoder().decode(body))
      if (parsed.rejected) warnings.push(`${url}: ${parsed.rejected} entries name no chunk file and were left out`)
      live = parsed.entries
    } catch (error) {
      const why = error instanceof Error ? (error.cause instanceof Error ? `it cannot be reached (${error.cause.message})` : error.message) : String(error)
      warnings.push(`no chunk manifest from ${url}: ${why}; the chunks the live release serves are not carried forward, and ${loss}`)
    }
  }

  const plan = planCarry(built, live, now, options.keepDays)
  const carried: string[] = []
  for (const entry of plan.carry) {
    const target = join(chunksDir, entry.file)
    // Never over a file of the new build (planCarry leaves those out; a name is never staged twice).
    if (existsSync(target)) continue
    const url = `${liveUrl}/chunks/${entry.file}`
    try {
      const response = await get(url, { signal: AbortSignal.timeout(15_000) })
      if (!response.ok) throw new Error(`it answered ${response.status}`)
      if (!/javascript/.test(response.headers.get('content-type') ?? '')) throw new Error(`it is ${response.headers.get('content-type') ?? 'untyped'}, not JavaScript`)
      const body = await readCapped(response, MAX_CHUNK_BYTES)
      if (!body) throw new Error('it is larger than a chunk can be')
      writeFileSync(target, body, { flag: 'wx' })
      carried.push(entry.file)
    } catch (error) {
      warnings.push(`${url} not carried forward: ${error instanceof Error ? error.message : String(error)}; ${loss}`)
    }
  }
  const served = new Set([...built, ...carried])
  const manifest: ChunkManifest = { chunks: plan.manifest.chunks.filter((entry) => served.has(entry.file)) }
  writeFileSync(join(assetsDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`)
  return { built: built.length, carried, pruned: plan.pruned, warnings }
}
