import { test as base, type APIRequestContext } from '@playwright/test'
import type { StatsResult } from '../../worker/src/stats-result.ts'

export const TOKEN = 'dev-operator-token'

/** Tests get `baseURL` pointing at the worker global-setup started. */
export const test = base.extend({
  baseURL: async ({}, use) => {
    const url = process.env.HEARKEN_URL
    if (!url) throw new Error('HEARKEN_URL is not set: run through playwright.config.ts, whose global setup starts the worker')
    await use(url)
  },
})

export { expect } from '@playwright/test'

/** Reads a survey's stats as the demo operator, as the dashboard shows them; `filters` narrows them (e.g. `segment=…`). */
export async function readStats(request: APIRequestContext, survey: string, filters = ''): Promise<StatsResult> {
  const reply = await request.get(`/v1/sites/pk_demo/stats?survey=${survey}${filters ? `&${filters}` : ''}`, { headers: { authorization: `Bearer ${TOKEN}` } })
  if (!reply.ok()) throw new Error(`stats: HTTP ${reply.status()} ${await reply.text()}`)
  return (await reply.json()) as StatsResult
}
