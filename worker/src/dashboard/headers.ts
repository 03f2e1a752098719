import { createMiddleware } from 'hono/factory'

/**
 * Dashboard pages run no script and load only their own stylesheet, so the policy allows
 * nothing else: even if some visitor text slipped through unescaped it could not run.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ')

/** Headers on every dashboard response; pages are private, so none is cached unless a route says so. */
export const securityHeaders = createMiddleware(async (c, next) => {
  await next()
  c.res.headers.set('content-security-policy', CONTENT_SECURITY_POLICY)
  c.res.headers.set('x-content-type-options', 'nosniff')
  c.res.headers.set('x-frame-options', 'DENY')
  c.res.headers.set('referrer-policy', 'same-origin')
  if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store')
})
