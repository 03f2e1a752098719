import { env } from 'cloudflare:workers'
import { sweepDeliveries } from '../src/alert-delivery.ts'
import { sendDueDigests } from '../src/digests.ts'
import { storeImpression, storeResponse } from '../src/ingest.ts'
import { findSite } from '../src/sites.ts'
import { findSurvey } from '../src/surveys.ts'
import { alertHarness } from './alert-harness.ts'
import { ADMIN, asOperator } from './helpers.ts'

/**
 * Digest tests run the cron by hand on a clock of their own (the alert harness's queue and
 * clock), with the `send_email` binding wrapped so every message the simulator accepts is kept
 * as the raw MIME text it was given.
 */

/** The sender the tests give the worker (the simulator checks that From matches it). */
export const EMAIL_FROM = 'hearken@mail.hearken.test'

/** An email as handed to the binding. */
export interface SentEmail {
  from: string
  to: string
  raw: string
}

/** The raw text of an EmailMessage: Miniflare's simulator keeps it under this key (there is no public getter). */
const rawOf = (message: EmailMessage): string => String((message as unknown as Record<string, unknown>)['EmailMessage::raw'])

export function digestHarness(start: number, overrides: Partial<Env> = {}) {
  const h = alertHarness(start)
  const emails: SentEmail[] = []
  const failures: unknown[] = []
  const EMAIL: SendEmail = {
    send: async (message: EmailMessage | EmailMessageBuilder) => {
      const next = failures.shift()
      if (next !== undefined) throw next
      const result = await env.EMAIL.send(message as EmailMessage)
      emails.push({ from: message.from as string, to: (message as EmailMessage).to, raw: rawOf(message as EmailMessage) })
      return result
    },
  }
  Object.assign(h.env, { EMAIL, EMAIL_FROM, PUBLIC_URL: 'https://hearken.test', ...overrides })
  return {
    ...h,
    emails,
    /** Makes the next sends throw these errors, in order (what the binding throws when it refuses). */
    failNextEmails: (...errors: unknown[]) => void failures.push(...errors),
    /**
     * One cron run at `at`, as index.ts runs it: the delivery sweep and the digests side by side.
     * Every due digest goes unless a test passes the per-run ceiling (`perRun`; its own test): the
     * cron serves every site of a file's database, other tests' too, so in a shuffled order the
     * ceiling would hold one test's digest back behind another test's.
     */
    async cron(at: number, perRun = 1000) {
      h.set(at)
      const [, digests] = await Promise.all([sweepDeliveries(h.env, at, h.options), sendDueDigests(h.env, at, { ...h.options, perRun })])
      await h.drain()
      return digests
    },
  }
}

/** Sets a site's timezone (and keeps the rest) as its operator would. */
export async function setTimezone(site: string, timezone: string): Promise<void> {
  const reply = await asOperator(`/v1/sites/${site}`, ADMIN, { method: 'PUT', body: JSON.stringify({ name: 'Test shop', origins: ['http://127.0.0.1:8787'], timezone }) })
  if (!reply.ok) throw new Error(`timezone: ${reply.status} ${await reply.text()}`)
}

/** Stores an answer at `at` as ingest would, with the fields a test chooses. */
export async function storeAnswer(site: string, at: number, fields: { survey: string; score: number; checkpoint?: string; segment?: string; bot?: boolean; comment?: string }): Promise<string> {
  const id = crypto.randomUUID()
  const siteRow = (await findSite(env.DB, site))!
  const survey = (await findSurvey(env.DB, site, fields.survey))!
  await storeResponse(
    env.DB,
    siteRow,
    survey,
    {
      id,
      site,
      survey: fields.survey,
      score: fields.score,
      visitor: `v${id.slice(0, 8)}`,
      elapsedMs: 3000,
      ...(fields.checkpoint ? { checkpoint: fields.checkpoint } : {}),
      ...(fields.segment ? { segment: fields.segment } : {}),
      ...(fields.comment ? { comment: fields.comment } : {}),
    },
    fields.bot ? { userAgent: 'curl/8.5.0' } : {},
    at,
  )
  return id
}

export async function storeShown(site: string, at: number, survey: string): Promise<void> {
  const siteRow = (await findSite(env.DB, site))!
  const id = crypto.randomUUID()
  await storeImpression(env.DB, siteRow, (await findSurvey(env.DB, site, survey))!, { id, site, survey, kind: 'shown', visitor: `v${id.slice(0, 8)}` }, at)
}

/** The day an instant falls on in a zone, by Intl alone: the tests' own reading of the calendar. */
export const localDay = (zone: string, at: number): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at)
