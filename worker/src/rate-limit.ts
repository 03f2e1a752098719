import { RequestError } from './errors.ts'

/** Seconds a limited client is asked to wait: the limiters' period. */
const RETRY_AFTER_SECONDS = 60

/**
 * Abuse control, not accounting: Workers rate limits are approximate and per location.
 * A visitor is keyed by the SDK's visitor id, or by address when there is none.
 */
export async function assertWithinLimits(env: Env, siteId: string, visitor: string | undefined, address: string | undefined): Promise<void> {
  const who = visitor ? `v:${visitor}` : `a:${address ?? 'unknown'}`
  const [perVisitor, perSite] = await Promise.all([
    env.VISITOR_LIMITER.limit({ key: `${siteId}|${who}` }),
    env.SITE_LIMITER.limit({ key: siteId }),
  ])
  if (!perVisitor.success || !perSite.success) {
    throw new RequestError(429, 'rate_limited', `too many requests; retry after ${RETRY_AFTER_SECONDS} s`, undefined, {
      'retry-after': String(RETRY_AFTER_SECONDS),
    })
  }
}
