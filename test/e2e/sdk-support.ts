/** Helpers for the sdk-*.spec.ts files: a site of the test's own, a shop page with the snippet, the outbox, the worker's stored rows. */
import type { APIRequestContext, Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { PublicSurvey } from '../../sdk/protocol.ts'
import { expect, TOKEN } from './fixtures.ts'


/** The build's chunk names (vite.config.ts writes them). */
export const chunks = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'dist', 'chunks.json'), 'utf8')) as { sdk: string; courier: string; widget: string }

export const nps = (overrides: Partial<PublicSurvey> = {}): PublicSurvey => ({
  id: 'nps',
  type: 'nps',
  checkpoints: ['order_completed'],
  question: { en: 'How likely are you to recommend us?' },
  followUp: { promoter: { en: 'What did you like?' }, detractor: { en: 'What went wrong?' } },
  ...overrides,
})

/**
 * A site of this test's own, allowed on the test worker's origin, with `surveys` (answers at
 * any speed count, as in global-setup), so its numbers start at zero and its settings are the test's.
 */
export async function newSite(request: APIRequestContext, baseURL: string, options: { capDays?: number; surveys?: PublicSurvey[] } = {}): Promise<{ site: string; token: string }> {
  const site = `pk_e2e${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`
  const created = await request.put(`/v1/sites/${site}`, {
    // The admin token this run's worker was started with (global-setup.ts).
    headers: { authorization: `Bearer ${process.env.HEARKEN_ADMIN_TOKEN}` },
    data: { name: 'E2E shop', origins: [new URL(baseURL).origin], timezone: 'UTC', settings: { capDays: options.capDays ?? 0 } },
  })
  expect(created.status()).toBe(201)
  const { operatorToken: token } = (await created.json()) as { operatorToken: string }
  for (const survey of options.surveys ?? [nps()]) {
    const put = await request.put(`/v1/sites/${site}/surveys/${survey.id}`, { headers: { authorization: `Bearer ${token}` }, data: { ...survey, minAnswerMs: 0 } })
    expect(put.status()).toBe(201)
  }
  return { site, token }
}

/**
 * Opens a shop page on the worker's origin with the Hearken snippet for `site`; `script` runs
 * after the stub (calls are queued until the loader arrives). Every event the SDK emits is
 * recorded in `window.seen`.
 */
export async function openShop(page: Page, site: string, script: string, path = '/e2e/shop.html'): Promise<void> {
  await page.route(`**${path}`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Shop</title>
<script>
  window.hearken = window.hearken || function () { (hearken.q = hearken.q || []).push(arguments) }
  window.seen = []
  for (const name of ['show', 'answer', 'submit', 'dismiss', 'skip', 'delivered', 'error']) hearken('on', name, (event) => window.seen.push([name, event]))
</script>
<script async src="/hearken.js" data-site="${site}"></script></head>
<body><main><h1>Thank you for your order!</h1></main><script>${script}</script></body></html>`,
    }),
  )
  await page.goto(path)
}

/** The events of one kind the page's SDK emitted so far. */
export function seen<T = Record<string, unknown>>(page: Page, name: string): Promise<T[]> {
  return page.evaluate((wanted) => (window as unknown as { seen: [string, unknown][] }).seen.filter(([event]) => event === wanted).map(([, payload]) => payload), name) as Promise<T[]>
}

/** What waits in the page's outbox (IndexedDB `hearken`, store `kv`, key `outbox`), oldest first. */
export function outbox(page: Page): Promise<{ kind: string; attempts: number; body: { id: string; score?: number } }[]> {
  return page.evaluate(
    () =>
      new Promise((done, fail) => {
        const open = indexedDB.open('hearken')
        open.onerror = () => fail(open.error)
        open.onupgradeneeded = () => open.result.createObjectStore('kv')
        open.onsuccess = () => {
          const read = open.result.transaction('kv').objectStore('kv').get('outbox')
          read.onsuccess = () => {
            open.result.close()
            done(read.result ?? [])
          }
        }
      }),
  )
}

/** The answers the worker stored for a site, as its operator exports them. */
export async function storedAnswers(request: APIRequestContext, site = 'pk_demo', token = TOKEN): Promise<{ id: string; score: number; comment?: string }[]> {
  const reply = await request.get(`/v1/sites/${site}/responses?format=json&limit=1000`, { headers: { authorization: `Bearer ${token}` } })
  if (!reply.ok()) throw new Error(`responses: HTTP ${reply.status()} ${await reply.text()}`)
  return ((await reply.json()) as { responses: { id: string; score: number; comment?: string }[] }).responses
}

/** How many stored rows the operator's export holds for one response id. */
export async function storedCopies(request: APIRequestContext, id: string, site = 'pk_demo', token = TOKEN): Promise<number> {
  return (await storedAnswers(request, site, token)).filter((stored) => stored.id === id).length
}
