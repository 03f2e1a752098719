import { expect, test } from '@playwright/test'
import autocannon from 'autocannon'
import { exportedIds, ownWorker, statsN } from './worker.ts'

test('a burst of 5,000 answers over 50 connections, 10% of them repeats: each stored once, rollups equal a recount, no 5xx', async () => {
  const worker = await ownWorker()
  try {
    const origin = `http://127.0.0.1:${worker.port}`
    const unique = Array.from({ length: 4500 }, (_, index) => ({
      id: crypto.randomUUID(),
      site: 'pk_demo',
      survey: 'post-purchase-nps',
      score: index % 11,
      visitor: `burst${index}`,
      elapsedMs: 4000,
      checkpoint: 'order_completed',
    }))
    // Every tenth request repeats an answer sent before it, as a retrying client would.
    const bodies: string[] = []
    for (let index = 0; bodies.length < 5000; index++) {
      if (bodies.length % 10 === 9) bodies.push(JSON.stringify(unique[Math.floor(index / 2)]))
      else bodies.push(JSON.stringify(unique[bodies.length - Math.floor(bodies.length / 10)]))
    }
    let next = 0
    const statuses = new Map<number, number>()
    const result = await autocannon({
      url: worker.url,
      connections: 50,
      amount: 5000,
      requests: [
        {
          method: 'POST',
          path: '/v1/responses',
          headers: { 'content-type': 'text/plain;charset=UTF-8', origin },
          setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }),
          onResponse: (status) => void statuses.set(status, (statuses.get(status) ?? 0) + 1),
        },
      ],
    })
    test.info().annotations.push({ type: 'burst', description: `${result.requests.average.toFixed(0)} req/s, p99 ${result.latency.p99} ms, statuses ${JSON.stringify(Object.fromEntries(statuses))}` })
    expect(result.errors + result.timeouts).toBe(0)
    expect([...statuses.keys()].filter((status) => status >= 500)).toEqual([])
    expect([...statuses.keys()].every((status) => status === 200 || status === 201)).toBe(true)

    const sentIds = new Set(bodies.map((body) => (JSON.parse(body) as { id: string }).id))
    const stored = await exportedIds(worker.url, 'post-purchase-nps')
    expect(stored.length).toBe(new Set(stored).size)
    expect(new Set(stored)).toEqual(sentIds)
    expect(await statsN(worker.url, 'post-purchase-nps')).toBe(stored.length)
    expect(statuses.get(201)).toBe(sentIds.size)
  } finally {
    await worker.stop()
  }
})
