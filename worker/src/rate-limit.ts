import { RequestError } from './errors.ts'

/** Seconds a limited client is asked to wait: the limiter's period. */
const RETRY_AFTER_SECONDS = 60

/**
 * Abuse control, not accounting: Workers rate limits are approximate and per location.
 * The key is the site and the visitor (the SDK's opaque id), or the client address when
 * there is no visitor id, so one noisy visitor never throttles a whole site.
 */
export async function assertWithinLimits(env: Env, siteId: string, visitor: string | undefined, address: string | undefined): Promise<void> {
  const who = visitor ? `v:${visitor}` : `a:${address ?? 'unknown'}`
  const { success } = await env.VISITOR_LIMITER.limit({ key: `${siteId}|${who}` })
  if (!success) {
    throw new RequestError(429, 'rate_limited', `too many requests; retry after ${RETRY_AFTER_SECONDS} s`, undefined, {
      'retry-after': String(RETRY_AFTER_SECONDS),
    })
  }
}
