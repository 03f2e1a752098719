/**
 * A webhook receiver on 127.0.0.1 for the worker tests, started once in Node. It checks each
 * format's signature with Node's own crypto (not the worker's code), records what arrived, and
 * answers 500 to the first two posts to a path under /flaky/ to play a receiver that is down.
 */
import { createHmac } from 'node:crypto'
import { createServer } from 'node:http'
import type { TestProject } from 'vitest/node'
import { SECRETS } from './receiver-secrets.ts'


interface Received {
  path: string
  headers: Record<string, string | string[] | undefined>
  body: string
  verified: boolean | null
  status: number
}

function verify(path: string, url: URL, headers: Received['headers'], body: string): boolean | null {
  if (path.startsWith('/json')) {
    const key = Buffer.from(SECRETS.json.slice('whsec_'.length), 'base64')
    const expected = createHmac('sha256', key).update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`).digest('base64')
    return headers['webhook-signature'] === `v1,${expected}`
  }
  if (path.startsWith('/dingtalk')) {
    const timestamp = url.searchParams.get('timestamp')
    const expected = createHmac('sha256', SECRETS.dingtalk).update(`${timestamp}\n${SECRETS.dingtalk}`).digest('base64')
    return url.searchParams.get('sign') === expected && Math.abs(Date.now() - Number(timestamp)) < 3600_000
  }
  if (path.startsWith('/feishu')) {
    const { timestamp, sign } = JSON.parse(body) as { timestamp: string; sign: string }
    const expected = createHmac('sha256', `${timestamp}\n${SECRETS.feishu}`).update('').digest('base64')
    return sign === expected
  }
  return null
}

export default function setup(project: TestProject) {
  const received: Received[] = []
  const failures = new Map<string, number>()
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk))
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1')
      if (request.method === 'GET' && url.pathname === '/_received') {
        response.setHeader('content-type', 'application/json')
        return response.end(JSON.stringify(received))
      }
      let status = 200
      if (url.pathname.startsWith('/flaky/')) {
        const seen = failures.get(url.pathname) ?? 0
        failures.set(url.pathname, seen + 1)
        if (seen < 2) status = 500
      }
      received.push({ path: url.pathname, headers: request.headers, body, verified: verify(url.pathname, url, request.headers, body), status })
      response.statusCode = status
      response.end(status === 200 ? 'ok' : 'down')
    })
  })
  return new Promise<() => Promise<void>>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      project.provide('receiverUrl', `http://127.0.0.1:${(server.address() as { port: number }).port}`)
      resolve(() => new Promise((done) => server.close(() => done())))
    })
  })
}

declare module 'vitest' {
  export interface ProvidedContext {
    receiverUrl: string
  }
}
