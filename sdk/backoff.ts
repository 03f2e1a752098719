const BASE_MS = 1000
const CAP_MS = 5 * 60_000

/**
 * How long to wait before retry number `attempt` (0 for the first): doubling from 1 s up to
 * 5 min, each wait drawn from its upper half so that tabs which failed together spread out.
 */
export function backoff(attempt: number, random: () => number = Math.random): number {
  return Math.min(CAP_MS, BASE_MS * 2 ** attempt) * (0.5 + random() / 2)
}

/** A `Retry-After` header (seconds, or an HTTP date) in ms from `now`; undefined when absent or unreadable. */
export function retryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined
  const ms = /^\d+$/.test(header) ? Number(header) * 1000 : Date.parse(header) - now
  return Number.isNaN(ms) ? undefined : Math.min(CAP_MS * 12, Math.max(0, ms))
}
