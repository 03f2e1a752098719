import type { DigestLang } from './digests-messages.ts'
import { FREQUENCIES, type DigestFrequency } from './report-period.ts'
import { array, idPattern, integer, oneOf, optional, parseObject, text, type Check } from './validate.ts'
import type { Webhook } from './webhooks.ts'

/**
 * A site's digest settings (`settings.digests` of `PUT /v1/sites/{site}`): the digests every
 * webhook gets unless it names its own (`webhook.digests`), their language unless the webhook
 * names one (`webhook.lang`), the local hour they go out, and which surveys they cover.
 */
export interface DigestSettings {
  /** Digests for every webhook that names none itself; none by default. */
  frequencies: DigestFrequency[]
  lang: DigestLang
  /** The hour (0–23, the site's timezone) after a period ends at which its digest goes out; default 8. */
  hour: number
  /** The surveys a digest covers, in this order; every survey of the site (first 20) when missing. */
  surveys?: string[]
}

export const defaultDigestSettings: DigestSettings = { frequencies: [], lang: 'en', hour: 8 }

/** A digest covers at most this many surveys; a site with more names the ones that matter in `surveys`. */
export const MAX_DIGEST_SURVEYS = 20

export const digestLangs: readonly DigestLang[] = ['en', 'zh-CN', 'zh-TW']

/** What `settings.digests` of a PUT may hold: any of the fields; those left out keep what the site has. */
export type DigestSettingsInput = Partial<DigestSettings>

/** Checks `settings.digests`, keeping only the fields given (see {@link mergeDigestSettings}). */
export const digestSettings: Check<DigestSettingsInput> = (value, field) => {
  const given = parseObject(
    {
      frequencies: optional(array(FREQUENCIES.length, oneOf<DigestFrequency>(...FREQUENCIES))),
      lang: optional(oneOf<DigestLang>(...digestLangs)),
      hour: optional(integer(0, 23)),
      surveys: optional(array(MAX_DIGEST_SURVEYS, text(64, idPattern))),
    },
    value,
    field,
  )
  return {
    ...(given.frequencies ? { frequencies: [...new Set(given.frequencies)] } : {}),
    ...(given.lang ? { lang: given.lang } : {}),
    ...(given.hour !== undefined ? { hour: given.hour } : {}),
    ...(given.surveys ? { surveys: [...new Set(given.surveys)] } : {}),
  }
}

/**
 * A site's digest settings after a PUT: each field given replaces the site's, each left out
 * keeps it (so `{"frequencies":["weekly"]}` keeps the language and the hour chosen before);
 * `surveys: []` goes back to every survey.
 */
export function mergeDigestSettings(existing: DigestSettings, given: DigestSettingsInput | undefined): DigestSettings {
  const { surveys, ...merged } = { ...defaultDigestSettings, ...existing, ...given }
  return surveys && surveys.length > 0 ? { ...merged, surveys } : merged
}

/** The digests a webhook gets, and in which language. */
export const webhookDigests = (webhook: Webhook, settings: DigestSettings): { frequencies: DigestFrequency[]; lang: DigestLang } => ({
  frequencies: webhook.digests ?? settings.frequencies,
  lang: webhook.lang ?? settings.lang,
})
