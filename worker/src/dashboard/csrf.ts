/**
 * Whether a state-changing request comes from a page of this worker: browsers send `Origin`
 * on every form POST, so one that is missing or foreign is refused. SameSite=Strict already
 * keeps the cookie off cross-site requests; this holds even where a browser ignores it.
 */
export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get('origin')
  return origin !== null && origin === new URL(request.url).origin
}
