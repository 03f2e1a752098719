import { call, callWith } from './helpers.ts'

/** The origin the worker under test sees (helpers.ts calls https://hearken.test). */
export const SELF = 'https://hearken.test'

/**
 * Posts a form the way a dashboard page in a browser does; redirects are returned, not followed.
 * `bindings` replace some of the worker's (a queue the test reads).
 */
export function postForm(path: string, fields: Record<string, string>, headers: Record<string, string> = {}, bindings?: Partial<Env>): Promise<Response> {
  const init: RequestInit = {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: SELF, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  }
  return bindings ? callWith(bindings, path, init) : call(path, init)
}

/** Signs in and returns the `name=value` of the session cookie. */
export async function signIn(site: string, token: string): Promise<string> {
  const reply = await postForm('/dashboard/sign-in', { site, token })
  if (reply.status !== 303) throw new Error(`sign-in: ${reply.status} ${await reply.text()}`)
  return reply.headers.get('set-cookie')!.split(';')[0]!
}

/** A dashboard page as the signed-in browser gets it. */
export async function open(path: string, cookie: string, headers: Record<string, string> = {}): Promise<{ status: number; html: string; headers: Headers }> {
  const reply = await call(path, { redirect: 'manual', headers: { cookie, ...headers } })
  return { status: reply.status, html: await reply.text(), headers: reply.headers }
}

/** The comments of the feed, in page order, as their text (entities as the HTML has them). */
export function feedComments(html: string): string[] {
  return [...html.matchAll(/<p class="comment">([\s\S]*?)<\/p>/g)].map((match) => match[1]!)
}
