import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { consumeRetagging, type RetagMessage } from '../src/retagging.ts'
import { recordingQueue } from './helpers.ts'

/**
 * Re-tagging runs by hand in tests, on the test's clock: a test gets the message a rules change
 * sent (a recording queue), hands it to the consumer and awaits it. Nothing waits on a timer.
 */

/** One consumer run of these messages at `now`; what it acked and retried, and the messages it sent on. */
export async function consumeRetag(bodies: RetagMessage[], now: number, batchSize = 2, batches = 1) {
  const TAGS = recordingQueue<RetagMessage>()
  const batch = createMessageBatch<RetagMessage>('hearken-tags', bodies.map((body, index) => ({ id: `m${index}`, timestamp: new Date(now), attempts: 1, body })))
  const ctx = createExecutionContext()
  await consumeRetagging(batch, { ...env, TAGS }, { clock: () => now, batchSize, batches })
  return { result: await getQueueResult(batch, ctx), sent: TAGS.sent.map((message) => message.body) }
}

/** Hands a job's message on, run after run, until it sends none (the job is done); returns how many runs it took. */
export async function drainRetag(first: RetagMessage, now = first.notBefore + 1, batchSize = 2): Promise<number> {
  let pending = [first]
  let runs = 0
  while (pending.length) {
    pending = (await consumeRetag(pending, now, batchSize)).sent
    if (++runs > 50) throw new Error('re-tagging never finished')
  }
  return runs
}
