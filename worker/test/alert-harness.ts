import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { expect } from 'vitest'
import { consumeAlerts, consumeDeadLetters, type QueuedWork } from '../src/alert-delivery.ts'
import { storeResponse } from '../src/ingest.ts'
import { findSite } from '../src/sites.ts'
import { findSurvey } from '../src/surveys.ts'
import { asOperator } from './helpers.ts'
import type { Received } from './receiver.global.ts'
import type { Scripted } from './receiver-platforms.ts'

/**
 * Alert tests run the queue by hand on a clock of their own: what the worker puts on the queue
 * is kept with the time it becomes due, and a test hands due messages to the consumer and
 * awaits it. Nothing waits on a timer.
 */
export function alertHarness(start: number) {
  let now = start
  let sequence = 0
  const queued: { body: QueuedWork; dueAt: number; id: string }[] = []
  const ALERTS: Queue<QueuedWork> = {
    send: async (body, options) => {
      queued.push({ body, dueAt: now + (options?.delaySeconds ?? 0) * 1000, id: `m${++sequence}` })
      return { metadata: { metrics: { backlogCount: queued.length, backlogBytes: 0 } } }
    },
    sendBatch: async (messages) => {
      for (const { body, delaySeconds } of messages) queued.push({ body, dueAt: now + (delaySeconds ?? 0) * 1000, id: `m${++sequence}` })
      return { metadata: { metrics: { backlogCount: queued.length, backlogBytes: 0 } } }
    },
    metrics: async () => ({ backlogCount: queued.length, backlogBytes: 0 }),
  }
  const testEnv: Env = { ...env, ALERTS }
  const clock = () => now
  const options = { clock, timeoutMs: 1000 }

  /** One consumer run on these bodies, as one attempt of the queue; returns what was acked and retried. */
  async function consume(bodies: QueuedWork[], attempts = 1, deadLetters = false) {
    const batch = createMessageBatch<QueuedWork>(
      deadLetters ? 'hearken-alerts-dlq' : 'hearken-alerts',
      bodies.map((body, index) => ({ id: `b${++sequence}-${index}`, timestamp: new Date(now), attempts, body })),
    )
    const ctx = createExecutionContext()
    await (deadLetters ? consumeDeadLetters : consumeAlerts)(batch, testEnv, options)
    return getQueueResult(batch, ctx)
  }

  return {
    env: testEnv,
    options,
    queued,
    now: clock,
    advance: (ms: number) => void (now += ms),
    set: (at: number) => void (now = at),
    consume,
    /** Hands every message due by now to the consumer, oldest due first, until none is due. */
    async drain() {
      for (let round = 0; round < 100; round++) {
        const due = queued.filter((message) => message.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt)
        if (due.length === 0) return
        for (const message of due) queued.splice(queued.indexOf(message), 1)
        await consume(due.map((message) => message.body))
      }
      throw new Error('the queue never drained')
    },
    /** Moves the clock to each wake-up in turn and runs it, up to `until`. */
    async runUntil(until: number) {
      await this.drain()
      for (let round = 0; round < 500; round++) {
        const next = queued.map((message) => message.dueAt).sort((a, b) => a - b)[0]
        if (next === undefined || next > until) break
        now = Math.max(now, next)
        await this.drain()
      }
      now = Math.max(now, until)
    },
  }
}

export async function received(path: string): Promise<Received[]> {
  return (await fetch(`${env.RECEIVER_URL}/_received?path=${encodeURIComponent(path)}`)).json<Received[]>()
}

export async function script(path: string, ...replies: Scripted[]): Promise<void> {
  await fetch(`${env.RECEIVER_URL}/_script`, { method: 'POST', body: JSON.stringify({ path, replies }) })
}

/** A receiver path of this test's own. */
export const pathFor = (format: string, label = '') => `/${format}/${label}${label ? '-' : ''}${crypto.randomUUID().slice(0, 8)}`

export async function putWebhook(site: string, token: string, id: string, body: Record<string, unknown>) {
  return asOperator(`/v1/sites/${site}/webhooks/${id}`, token, { method: 'PUT', body: JSON.stringify(body) })
}

/** Adds a webhook posting to the test receiver; returns the secret the worker made, if any. */
export async function addWebhook(site: string, token: string, id: string, format: string, path: string, extra: Record<string, unknown> = {}): Promise<string | undefined> {
  const reply = await putWebhook(site, token, id, { url: `${env.RECEIVER_URL}${path}`, format, ...extra })
  expect(reply.status, await reply.clone().text()).toBe(201)
  return (await reply.json<{ secret?: string }>()).secret
}

/** Stores an answer at a time of the test's choosing, with who it is about. */
export async function answer(
  site: string,
  at: number,
  fields: { survey?: string; score: number; comment?: string; user?: string; subject?: string; visitor?: string; checkpoint?: string },
): Promise<string> {
  const id = crypto.randomUUID()
  const survey = fields.survey ?? 'nps'
  const siteRow = (await findSite(env.DB, site))!
  await storeResponse(env.DB, siteRow, (await findSurvey(env.DB, site, survey))!, {
    id,
    site,
    survey,
    score: fields.score,
    visitor: fields.visitor ?? `v${id.slice(0, 8)}`,
    elapsedMs: 3000,
    ...(fields.comment === undefined ? {} : { comment: fields.comment }),
    ...(fields.user === undefined ? {} : { user: fields.user }),
    ...(fields.checkpoint === undefined ? {} : { checkpoint: fields.checkpoint }),
  }, {}, at)
  // Ingest fills `subject` from a link or a named checkpoint prop; here it is set as ingest would.
  if (fields.subject !== undefined) await env.DB.prepare('UPDATE responses SET subject = ? WHERE site_id = ? AND id = ?').bind(fields.subject, site, id).run()
  return id
}

/**
 * An env whose D1 statements and queue messages are counted, so a test can check what a run
 * spent against its budget by its own count, not the code's: every statement prepared (each one
 * of a batch too) and every send to the queue. Posts to receivers are counted by the receiver.
 */
export function countingEnv(base: Env): { env: Env; counted: { statements: number; queued: number } } {
  const counted = { statements: 0, queued: 0 }
  const DB = new Proxy(base.DB, {
    get(target, property) {
      if (property === 'prepare') {
        return (sql: string) => {
          counted.statements++
          return target.prepare(sql)
        }
      }
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  const ALERTS: Queue<QueuedWork> = {
    send: async (body, options) => {
      counted.queued++
      return base.ALERTS.send(body, options)
    },
    sendBatch: async (messages, options) => {
      counted.queued++
      return base.ALERTS.sendBatch(messages, options)
    },
    metrics: () => base.ALERTS.metrics(),
  }
  return { env: { ...base, DB, ALERTS }, counted }
}

/** A Standard Webhooks secret for a webhook stored without PUT. */
export const whsecSecret = (): string => `whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(24))))}`
