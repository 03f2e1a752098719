import { constantTimeEqual, hmacSha256, sha256Hex, toBase64url } from './crypto.ts'
import { RequestError } from './errors.ts'
import { idPattern, integer, oneOf, optional, parseObject, text } from './validate.ts'

/**
 * Survey links: `/s/{token}`, where the token is a random id, its expiry and an HMAC of both
 * with the LINK_SECRET. A tampered or foreign token fails the signature before any lookup;
 * an expired one says so; the rest (who and what the link is about) lives in D1.
 */
export interface Link {
  site: string
  id: string
  survey: string
  user: string | null
  subject: string | null
  segment: string | null
  checkpoint: string | null
  locale: string | null
  expiresAt: number
}

export interface LinkInput {
  survey: string
  user?: string
  subject?: string
  segment?: string
  checkpoint?: string
  locale?: 'en' | 'zh-CN' | 'zh-TW' | 'ja'
  expiresInDays?: number
}

export function parseLinkInput(value: unknown): LinkInput {
  return parseObject(
    {
      survey: text(64, /^[a-z0-9][a-z0-9_-]*$/),
      user: optional(text(128)),
      subject: optional(text(128)),
      segment: optional(text(64, idPattern)),
      checkpoint: optional(text(64, idPattern)),
      locale: optional(oneOf('en', 'zh-CN', 'zh-TW', 'ja')),
      expiresInDays: optional(integer(1, 365)),
    },
    value,
  )
}

async function signature(secret: string, id: string, expires: string): Promise<string> {
  return toBase64url((await hmacSha256(secret, `${id}.${expires}`)).slice(0, 16))
}

function linkSecret(env: Env): string {
  if (!env.LINK_SECRET) throw new RequestError(503, 'links_disabled', 'survey links need the LINK_SECRET secret (wrangler secret put LINK_SECRET)')
  return env.LINK_SECRET
}

/** Makes a link and stores what it is about; returns its token. */
export async function mintLink(env: Env, site: string, input: LinkInput, now = Date.now()): Promise<{ token: string; expiresAt: number }> {
  const id = toBase64url(crypto.getRandomValues(new Uint8Array(12)))
  const expiresAt = now + (input.expiresInDays ?? 30) * 24 * 3600 * 1000
  const expires = Math.floor(expiresAt / 1000).toString(36)
  await env.DB.prepare(
    `INSERT INTO links (site_id, id, survey_id, user_id, subject, segment, checkpoint, locale, expires_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
    .bind(site, id, input.survey, input.user ?? null, input.subject ?? null, input.segment ?? null, input.checkpoint ?? null, input.locale ?? null, expiresAt, now)
    .run()
  return { token: `${id}.${expires}.${await signature(linkSecret(env), id, expires)}`, expiresAt }
}

/** Why a token opens nothing: each gets its own page. */
export type LinkProblem = 'invalid' | 'expired' | 'unknown'

/** The link a token stands for, or why there is none. */
export async function openLink(env: Env, token: string, now = Date.now()): Promise<Link | LinkProblem> {
  const [id, expires, given] = token.split('.')
  if (!id || !expires || !given || token.split('.').length !== 3) return 'invalid'
  if (!constantTimeEqual(given, await signature(linkSecret(env), id, expires))) return 'invalid'
  if (parseInt(expires, 36) * 1000 < now) return 'expired'
  const row = await env.DB.prepare('SELECT * FROM links WHERE id = ?').bind(id).first<Record<string, string | number | null>>()
  if (!row) return 'unknown'
  return {
    site: String(row.site_id),
    id,
    survey: String(row.survey_id),
    user: row.user_id as string | null,
    subject: row.subject as string | null,
    segment: row.segment as string | null,
    checkpoint: row.checkpoint as string | null,
    locale: row.locale as string | null,
    expiresAt: Number(row.expires_at),
  }
}

/** A UUID (v4-shaped) derived from a name, so a link's answer and impression have fixed ids. */
export async function derivedUuid(name: string): Promise<string> {
  const hex = (await sha256Hex(name)).slice(0, 32).split('')
  hex[12] = '4'
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)
  const joined = hex.join('')
  return `${joined.slice(0, 8)}-${joined.slice(8, 12)}-${joined.slice(12, 16)}-${joined.slice(16, 20)}-${joined.slice(20)}`
}

/** The one response id a link's answers share: a second answer updates the first. */
export const linkResponseId = (link: Link): Promise<string> => derivedUuid(`response:${link.site}:${link.id}`)
export const linkImpressionId = (link: Link): Promise<string> => derivedUuid(`impression:${link.site}:${link.id}`)
