import { constantTimeEqual, hmacSha256, sha256Hex, toBase64url, toHex } from '../crypto.ts'
import type { Site } from '../sites.ts'

/**
 * Dashboard sessions, held server-side (migration 0008, `dashboard_sessions`): the cookie
 * carries a random session id, signed with SESSION_SECRET, and D1 keeps only the id's hash. So
 * signing out ends the session for good (a copied cookie opens nothing afterwards), a new
 * operator token ends every session opened with the old one, and deleting the site ends them all.
 */

/** The cookie holding a signed-in operator's session. */
export const SESSION_COOKIE = 'hearken_session'

/** How long a sign-in lasts. */
export const SESSION_MS = 12 * 3600 * 1000

/**
 * How long the browser keeps the cookie: a day longer than the session itself, so a session
 * that ran out still arrives and can be told apart from never having signed in.
 */
export const COOKIE_MAX_AGE_S = (SESSION_MS + 24 * 3600 * 1000) / 1000

/** Hex characters of the site's token hash kept with a session: a new token ends old sessions. */
const TOKEN_HASH_PREFIX = 16

/** Why a session does not open the dashboard; `none` when no cookie came at all, `ended` when it was signed out or its site deleted. */
export type SessionProblem = 'none' | 'invalid' | 'expired' | 'revoked' | 'ended'

export type SessionCheck = { ok: true; site: Site } | { ok: false; problem: SessionProblem }

const hmacHex = async (secret: string, message: string): Promise<string> => toHex(await hmacSha256(secret, message))

/**
 * Opens a session for a site that just signed in, forgetting the site's sessions that ran out.
 * Returns the cookie value `site.expiry.sessionId.signature` (site keys and ids hold no dots).
 */
export async function openSession(db: D1Database, secret: string, site: Site, now = Date.now()): Promise<string> {
  const id = toBase64url(crypto.getRandomValues(new Uint8Array(32)))
  const expiresAt = now + SESSION_MS
  await db.batch([
    db.prepare('DELETE FROM dashboard_sessions WHERE site_id = ? AND expires_at <= ?').bind(site.id, now),
    db
      .prepare('INSERT INTO dashboard_sessions (id_hash, site_id, token_prefix, expires_at, created_at) VALUES (?, ?, ?, ?, ?)')
      .bind(await sha256Hex(id), site.id, site.tokenHash.slice(0, TOKEN_HASH_PREFIX), expiresAt, now),
  ])
  const payload = `${site.id}.${expiresAt}.${id}`
  return `${payload}.${await hmacHex(secret, payload)}`
}

/** The parts of a cookie value whose signature holds, or null. */
async function signedParts(secret: string, value: string): Promise<{ siteId: string; expiresAt: number; id: string } | null> {
  const parts = value.split('.')
  if (parts.length !== 4) return null
  const [siteId, expiry, id, signature] = parts as [string, string, string, string]
  if (!constantTimeEqual(signature, await hmacHex(secret, `${siteId}.${expiry}.${id}`))) return null
  return { siteId, expiresAt: Number(expiry), id }
}

/**
 * Checks a cookie value: its signature first (so nothing unsigned reaches D1), then its expiry,
 * then that the session is still held for that site, then that the site still has the token the
 * session was opened with.
 */
export async function verifySession(
  db: D1Database,
  secret: string,
  value: string | undefined,
  findSite: (id: string) => Promise<Site | null>,
  now = Date.now(),
): Promise<SessionCheck> {
  if (!value) return { ok: false, problem: 'none' }
  const signed = await signedParts(secret, value)
  if (!signed) return { ok: false, problem: 'invalid' }
  if (!Number.isSafeInteger(signed.expiresAt) || signed.expiresAt <= now) return { ok: false, problem: 'expired' }
  const held = await db
    .prepare('SELECT site_id, token_prefix FROM dashboard_sessions WHERE id_hash = ? AND expires_at > ?')
    .bind(await sha256Hex(signed.id), now)
    .first<{ site_id: string; token_prefix: string }>()
  if (!held || held.site_id !== signed.siteId) return { ok: false, problem: 'ended' }
  const site = await findSite(signed.siteId)
  if (!site) return { ok: false, problem: 'ended' }
  if (!constantTimeEqual(site.tokenHash.slice(0, TOKEN_HASH_PREFIX), held.token_prefix)) return { ok: false, problem: 'revoked' }
  return { ok: true, site }
}

/** Ends the session a cookie value names (signing out); a cookie that is not genuinely ours ends nothing. */
export async function endSession(db: D1Database, secret: string, value: string | undefined): Promise<void> {
  const signed = value ? await signedParts(secret, value) : null
  if (signed) await db.prepare('DELETE FROM dashboard_sessions WHERE id_hash = ?').bind(await sha256Hex(signed.id)).run()
}
