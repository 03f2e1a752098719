/**
 * A webhook receiver on 127.0.0.1 for the worker tests, started once in Node. The first path
 * segment names the platform it plays (`/wecom/…`, `/dingtalk/signed/…`, `/json/…`); it answers
 * like that platform would (receiver-platforms.ts) unless a test scripted the next replies for
 * a path with `POST /_script`. `GET /_received?path=` lists what arrived there.
 */
import { createServer } from 'node:http'
import type { TestProject } from 'vitest/node'
import { natural, scripted, type Answer, type Format, type Scripted } from './receiver-platforms.ts'

export interface Received {
  path: string
  url: string
  headers: Record<string, string | string[] | undefined>
  body: string
  status: number
  /** What the platform would have answered, code included. */
  answer: string
}

const FORMATS: readonly string[] = ['json', 'slack', 'wecom', 'dingtalk', 'feishu']

export default function setup(project: TestProject) {
  const received: Received[] = []
  const scripts = new Map<string, Scripted[]>()
  const server = createServer((request, response) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => (body += chunk))
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1')
      const send = (answer: Answer) => {
        response.writeHead(answer.status, answer.headers)
        response.end(answer.body)
      }
      if (url.pathname === '/_received') {
        const path = url.searchParams.get('path')
        return send({ status: 200, body: JSON.stringify(received.filter((entry) => path === null || entry.path === path)), headers: { 'content-type': 'application/json' } })
      }
      if (url.pathname === '/_script' && request.method === 'POST') {
        const { path, replies } = JSON.parse(body) as { path: string; replies: Scripted[] }
        scripts.set(path, [...(scripts.get(path) ?? []), ...replies])
        return send({ status: 204, body: '' })
      }
      const format = url.pathname.split('/')[1] ?? ''
      if (!FORMATS.includes(format)) return send({ status: 404, body: 'no such receiver' })
      const next = scripts.get(url.pathname)?.shift()
      const answer = next ? scripted(format as Format, next) : natural(format as Format, url, body, Date.now())
      received.push({ path: url.pathname, url: url.pathname + url.search, headers: request.headers, body, status: answer.status, answer: answer.body })
      if (answer.delayMs === Infinity) return // never answers: the sender's timeout has to end it
      if (answer.delayMs) setTimeout(() => send(answer), answer.delayMs)
      else send(answer)
    })
  })
  return new Promise<() => Promise<void>>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      project.provide('receiverUrl', `http://127.0.0.1:${(server.address() as { port: number }).port}`)
      resolve(
        () =>
          new Promise((done) => {
            server.closeAllConnections()
            server.close(() => done())
          }),
      )
    })
  })
}

declare module 'vitest' {
  export interface ProvidedContext {
    receiverUrl: string
  }
}
