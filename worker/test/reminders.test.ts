import { createScheduledController } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { AlertMessage } from '../src/alerts.ts'
import worker from '../src/index.ts'
import { storeResponse } from '../src/ingest.ts'
import { remindOverdue } from '../src/reminders.ts'
import { findSite } from '../src/sites.ts'
import { findSurvey } from '../src/surveys.ts'
import { asOperator, freshSite, recordingQueue } from './helpers.ts'

const HOUR = 3600_000

/**
 * The cron runs on a clock each test sets, in an era of its own long before any other row of
 * this database was written: a run only ever finds the follow-ups its test made.
 */
async function answerAt(site: string, survey: string, at: number, score: number): Promise<string> {
  const id = crypto.randomUUID()
  await storeResponse(env.DB, (await findSite(env.DB, site))!, (await findSurvey(env.DB, site, survey))!, { id, site, survey, score, visitor: `c${id.slice(0, 6)}` }, {}, at)
  return id
}

async function remindedIds(site: string): Promise<string[]> {
  const { results } = await env.DB.prepare('SELECT response_id FROM follow_ups WHERE site_id = ? AND reminded_at IS NOT NULL ORDER BY response_id').bind(site).all<{ response_id: string }>()
  return results.map((row) => row.response_id)
}

describe('the reminder cron', () => {
  it('reminds exactly the overdue, unresolved follow-ups, once each', async () => {
    const now = Date.UTC(2001, 5, 1)
    const { site, token } = await freshSite()
    await asOperator(`/v1/sites/${site}/webhooks/ops`, token, { method: 'PUT', body: JSON.stringify({ url: 'https://hooks.example.com/ops', format: 'json', events: ['reminder'] }) })
    const overdue = await answerAt(site, 'nps', now - 50 * HOUR, 2)
    const resolved = await answerAt(site, 'nps', now - 60 * HOUR, 1)
    await answerAt(site, 'nps', now - 10 * HOUR, 0) // due in 38 hours
    await answerAt(site, 'nps', now - 70 * HOUR, 9) // happy: no follow-up
    expect((await asOperator(`/v1/sites/${site}/responses/${resolved}`, token, { method: 'PATCH', body: '{"status":"resolved"}' })).status).toBe(200)

    const ALERTS = recordingQueue<AlertMessage>()
    expect(await remindOverdue({ ...env, ALERTS }, now)).toBe(1)
    expect(await remindedIds(site)).toEqual([overdue])
    expect(ALERTS.sent.map(({ body }) => body)).toEqual([{ kind: 'reminder', site, response: overdue, webhook: 'ops' }])

    // A second run, even later, reminds nobody twice.
    expect(await remindOverdue({ ...env, ALERTS }, now + HOUR)).toBe(0)
    expect(await remindedIds(site)).toEqual([overdue])
    expect(ALERTS.sent).toHaveLength(1)
  })

  it('runs from the scheduled handler, as of the time the run was scheduled for', async () => {
    const scheduledTime = Date.UTC(2000, 5, 1)
    const { site } = await freshSite()
    const late = await answerAt(site, 'csat', scheduledTime - 49 * HOUR, 1)
    await answerAt(site, 'csat', scheduledTime - 47 * HOUR, 1)
    await worker.scheduled(createScheduledController({ cron: '*/10 * * * *', scheduledTime }), { ...env, ALERTS: recordingQueue() })
    // The one due 47 hours before is not overdue yet (48 hours to follow up).
    expect(await remindedIds(site)).toEqual([late])
  })
})
