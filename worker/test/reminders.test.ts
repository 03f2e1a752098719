import { createScheduledController } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { AlertMessage } from '../src/alerts.ts'
import worker from '../src/index.ts'
import { storeResponse } from '../src/ingest.ts'
import { findSite } from '../src/sites.ts'
import { findSurvey } from '../src/surveys.ts'
import { asOperator, freshSite, recordingQueue } from './helpers.ts'

const HOUR = 3600_000

/**
 * The cron on a clock the test sets (the scheduled time the platform hands it). It is the one
 * test in this file, so the file's own database holds no follow-up but its own: a run never
 * finds another test's.
 */
async function answerAt(site: string, survey: string, at: number, score: number): Promise<string> {
  const id = crypto.randomUUID()
  await storeResponse(env.DB, (await findSite(env.DB, site))!, (await findSurvey(env.DB, site, survey))!, { id, site, survey, score, visitor: `c${id.slice(0, 6)}`, elapsedMs: 3000 }, {}, at)
  return id
}

async function remindedIds(site: string): Promise<string[]> {
  const { results } = await env.DB.prepare('SELECT response_id FROM follow_ups WHERE site_id = ? AND reminded_at IS NOT NULL ORDER BY response_id').bind(site).all<{ response_id: string }>()
  return results.map((row) => row.response_id)
}

describe('the reminder cron', () => {
  it('reminds exactly the overdue, unresolved follow-ups, once each, as of the time the run was scheduled for', async () => {
    const now = Date.UTC(2026, 5, 1)
    const { site, token } = await freshSite()
    await asOperator(`/v1/sites/${site}/webhooks/ops`, token, { method: 'PUT', body: JSON.stringify({ url: 'https://hooks.example.com/ops', format: 'json', events: ['reminder'] }) })
    const overdue = await answerAt(site, 'nps', now - 50 * HOUR, 2)
    const overdueCsat = await answerAt(site, 'csat', now - 49 * HOUR, 1)
    const resolved = await answerAt(site, 'nps', now - 60 * HOUR, 1)
    await answerAt(site, 'csat', now - 47 * HOUR, 1) // due in an hour (48 hours to follow up)
    await answerAt(site, 'nps', now - 70 * HOUR, 9) // happy: no follow-up
    expect((await asOperator(`/v1/sites/${site}/responses/${resolved}`, token, { method: 'PATCH', body: '{"status":"resolved"}' })).status).toBe(200)

    const ALERTS = recordingQueue<AlertMessage>()
    const run = (scheduledTime: number) => worker.scheduled(createScheduledController({ cron: '*/10 * * * *', scheduledTime }), { ...env, ALERTS })
    await run(now)
    expect(await remindedIds(site)).toEqual([overdue, overdueCsat].sort())
    expect(ALERTS.sent.map(({ body }) => body.response).sort()).toEqual([overdue, overdueCsat].sort())
    expect(ALERTS.sent.every(({ body }) => body.kind === 'reminder' && body.site === site && body.webhook === 'ops')).toBe(true)

    // Ten minutes on, the next run reminds nobody twice and nobody new.
    await run(now + 10 * 60_000)
    expect(await remindedIds(site)).toEqual([overdue, overdueCsat].sort())
    expect(ALERTS.sent).toHaveLength(2)
  })
})
