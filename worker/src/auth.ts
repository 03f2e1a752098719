import { constantTimeEqual, sha256Hex } from './crypto.ts'
import { RequestError } from './errors.ts'
import { clientAddress, slowTokenCheck } from './rate-limit.ts'

/** The token `npm start` seeds; a deployed worker refuses it whatever the database says. */
export const DEMO_TOKEN = 'dev-operator-token'

/** The bearer token of a request; a token in the query string is never read (it ends up in logs). */
export function bearerToken(header: string | undefined): string {
  const token = /^Bearer (\S+)$/i.exec(header ?? '')?.[1]
  if (!token) throw new RequestError(401, 'unauthorized', 'send the operator token as Authorization: Bearer <token>')
  return token
}

/** True when `token` is the worker's admin token (the ADMIN_TOKEN secret), which may create sites. */
export async function isAdminToken(env: Env, token: string): Promise<boolean> {
  return Boolean(env.ADMIN_TOKEN) && constantTimeEqual(await sha256Hex(token), await sha256Hex(env.ADMIN_TOKEN!))
}

/** True when `token` is this site's operator token. */
export async function isSiteToken(env: Env, tokenHash: string, token: string): Promise<boolean> {
  if (token === DEMO_TOKEN && env.HEARKEN_ENV !== 'development') return false
  return constantTimeEqual(await sha256Hex(token), tokenHash)
}

/**
 * Runs a token check for the client at `addressHeader` (`cf-connecting-ip`) against `target` (the
 * site the token should open, or {@link ADMIN_TARGET}), slowed down per address: after a few wrong
 * tokens or sign-ins a minute it is a 429 with Retry-After whatever the token, so a guesser learns
 * nothing by trying on. True when the token is right. Every route that reads a token goes through
 * here (worker/test/token-guessing.test.ts walks them all).
 */
export function checkTokenSlowly(db: D1Database, addressHeader: string | undefined, target: string, check: () => Promise<boolean>, now = Date.now()): Promise<boolean> {
  return slowTokenCheck(db, clientAddress(addressHeader), target, check, now)
}

/** The target of a token that can only be the admin's: creating a site. */
export const ADMIN_TARGET = 'admin'
