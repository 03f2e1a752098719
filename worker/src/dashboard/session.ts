import { constantTimeEqual, hmacSha256, toHex } from '../crypto.ts'
import type { Site } from '../sites.ts'

/** The cookie holding a signed-in operator's session. */
export const SESSION_COOKIE = 'hearken_session'

/** How long a sign-in lasts. */
export const SESSION_MS = 12 * 3600 * 1000

/**
 * How long the browser keeps the cookie: a day longer than the session itself, so a session
 * that ran out still arrives and can be told apart from never having signed in.
 */
export const COOKIE_MAX_AGE_S = (SESSION_MS + 24 * 3600 * 1000) / 1000

/** Hex characters of the site's token hash bound into a session: a new token ends old sessions. */
const TOKEN_HASH_PREFIX = 16

/** Why a session does not open the dashboard; `none` when no cookie came at all. */
export type SessionProblem = 'none' | 'invalid' | 'expired' | 'revoked'

export type SessionCheck = { ok: true; site: Site } | { ok: false; problem: SessionProblem }

const hmacHex = async (secret: string, message: string): Promise<string> => toHex(await hmacSha256(secret, message))

/** A cookie value `site.expiry.tokenHashPrefix.signature`; site keys hold no dots. */
export async function signSession(secret: string, site: Site, now = Date.now()): Promise<string> {
  const payload = `${site.id}.${now + SESSION_MS}.${site.tokenHash.slice(0, TOKEN_HASH_PREFIX)}`
  return `${payload}.${await hmacHex(secret, payload)}`
}

/**
 * Checks a cookie value: its signature first (so nothing unsigned is believed), then its
 * expiry, then that the site still has the token the session was opened with.
 */
export async function verifySession(
  secret: string,
  value: string | undefined,
  findSite: (id: string) => Promise<Site | null>,
  now = Date.now(),
): Promise<SessionCheck> {
  if (!value) return { ok: false, problem: 'none' }
  const parts = value.split('.')
  if (parts.length !== 4) return { ok: false, problem: 'invalid' }
  const [siteId, expiry, hashPrefix, signature] = parts as [string, string, string, string]
  const expected = await hmacHex(secret, `${siteId}.${expiry}.${hashPrefix}`)
  if (!constantTimeEqual(signature, expected)) return { ok: false, problem: 'invalid' }
  const expiresAt = Number(expiry)
  if (!Number.isSafeInteger(expiresAt) || expiresAt <= now) return { ok: false, problem: 'expired' }
  const site = await findSite(siteId)
  if (!site || !constantTimeEqual(site.tokenHash.slice(0, TOKEN_HASH_PREFIX), hashPrefix)) return { ok: false, problem: 'revoked' }
  return { ok: true, site }
}
