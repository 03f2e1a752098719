// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createHearken, type Hearken } from './hearken.ts'
import type { HearkenEvents } from './events.ts'
import type { PublicSurvey, SiteConfig } from './protocol.ts'
import type { WidgetProps } from './widget-contract.ts'
import { memoryStore, type Store } from './store.ts'

const endpoint = 'https://hearken.test'
const nps: PublicSurvey = { id: 'nps', type: 'nps', checkpoints: ['order_completed'], question: { en: 'How likely…?' } }
const siteConfig = (over: Partial<SiteConfig> = {}): SiteConfig => ({ site: 'pk_demo', segments: [], capDays: 0, respectGpc: false, surveys: [nps], ...over })

/** A worker in a function: serves the config (or hangs, or fails) and records every post. */
function fakeWorker(config: SiteConfig | 'hang' | 'fail' = siteConfig()) {
  const posts: { path: string; body: Record<string, unknown> }[] = []
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    if (init?.method === 'POST') {
      posts.push({ path: new URL(url).pathname, body: JSON.parse(init.body as string) as Record<string, unknown> })
      return new Response('{}', { status: 201 })
    }
    if (config === 'hang') return new Promise<Response>(() => {})
    if (config === 'fail') throw new TypeError('Failed to fetch')
    return Response.json(config)
  })
  return posts
}

/** A widget that records the props it was mounted with, so tests can play the visitor. */
function fakeWidget() {
  const mounted: WidgetProps[] = []
  const widget = async () => ({
    mount: (root: ShadowRoot, props: WidgetProps) => {
      mounted.push(props)
      root.innerHTML = '<div role="dialog">card</div>'
      return () => void (root.innerHTML = '')
    },
  })
  return { mounted, widget }
}

const instances: Hearken[] = []
function make(store: Store, widget: ReturnType<typeof fakeWidget>['widget']) {
  const hearken = createHearken<{ order_completed: { orderId?: string; amount?: number } }>({ site: 'pk_demo', endpoint, store, widget })
  instances.push(hearken as Hearken)
  const seen: { [E in keyof HearkenEvents]?: HearkenEvents[E][] } = {}
  for (const name of ['show', 'answer', 'submit', 'dismiss', 'skip', 'delivered', 'error'] as const) {
    hearken.on(name, (payload) => void ((seen[name] ??= []) as unknown[]).push(payload))
  }
  return { hearken, seen }
}

const settle = () => new Promise((done) => setTimeout(done, 10))

afterEach(() => {
  instances.splice(0).forEach((instance) => instance.destroy())
  document.body.innerHTML = ''
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

describe('a checkpoint', () => {
  it('shows the matching survey in an open shadow root and records an impression', async () => {
    const posts = fakeWorker()
    const { mounted, widget } = fakeWidget()
    const { hearken, seen } = make(memoryStore(), widget)
    await hearken.checkpoint('order_completed', { orderId: 'A-1' })
    const host = document.querySelector('[data-hearken="nps"]')!
    expect(host.shadowRoot?.mode).toBe('open')
    expect(mounted).toHaveLength(1)
    expect(seen.show).toEqual([{ survey: nps, segment: 'other', checkpoint: 'order_completed' }])
    await settle()
    expect(posts).toEqual([{ path: '/v1/impressions', body: expect.objectContaining({ kind: 'shown', survey: 'nps', site: 'pk_demo' }) }])
  })

  it('counts the score the moment it is chosen, then re-sends the same response with comment and ratings', async () => {
    const posts = fakeWorker()
    const { mounted, widget } = fakeWidget()
    const { hearken, seen } = make(memoryStore(), widget)
    await hearken.checkpoint('order_completed')
    mounted[0]!.onAnswer(3)
    await settle()
    const answer = posts.find((post) => post.path === '/v1/responses')!.body
    expect(answer).toMatchObject({ score: 3, survey: 'nps', checkpoint: 'order_completed', segment: 'other' })
    expect(seen.answer).toEqual([{ survey: nps, id: answer.id, score: 3 }])

    mounted[0]!.onComplete({ score: 3, comment: 'late parcel', dimensions: { delivery: 2 } })
    await settle()
    const responses = posts.filter((post) => post.path === '/v1/responses').map((post) => post.body)
    expect(responses).toHaveLength(2)
    expect(responses[1]).toEqual({ ...answer, comment: 'late parcel', dimensions: { delivery: 2 } })
    expect(seen.submit).toEqual([{ survey: nps, id: answer.id, score: 3, comment: 'late parcel', dimensions: { delivery: 2 } }])
  })

  it('lets an async show handler veto the card', async () => {
    fakeWorker()
    const { mounted, widget } = fakeWidget()
    const { hearken } = make(memoryStore(), widget)
    hearken.on('show', async () => false)
    await hearken.checkpoint('order_completed')
    expect(mounted).toHaveLength(0)
    expect(document.querySelector('[data-hearken]')).toBeNull()
  })

  it('records a dismissal and frees the page for the next survey', async () => {
    const posts = fakeWorker()
    const { mounted, widget } = fakeWidget()
    const { hearken, seen } = make(memoryStore(), widget)
    await hearken.checkpoint('order_completed')
    await hearken.checkpoint('order_completed')
    expect(seen.skip).toEqual([{ reason: 'fatigue', checkpoint: 'order_completed' }])
    mounted[0]!.onDismiss()
    await settle()
    expect(seen.dismiss).toEqual([{ survey: nps }])
    expect(document.querySelector('[data-hearken]')).toBeNull()
    expect(posts.map((post) => post.body.kind)).toEqual(['shown', 'dismissed'])
    await hearken.checkpoint('order_completed')
    expect(mounted).toHaveLength(2)
  })

  it('skips with a reason when no survey names the checkpoint', async () => {
    fakeWorker()
    const { hearken, seen } = make(memoryStore(), fakeWidget().widget)
    await hearken.checkpoint('cart_viewed' as 'order_completed')
    expect(seen.skip).toEqual([{ reason: 'no-survey', checkpoint: 'cart_viewed' }])
  })

  it('puts an inline survey inside its container', async () => {
    fakeWorker(siteConfig({ surveys: [{ ...nps, placement: 'inline', container: '#feedback' }] }))
    document.body.innerHTML = '<section id="feedback"></section>'
    const { hearken } = make(memoryStore(), fakeWidget().widget)
    await hearken.checkpoint('order_completed')
    expect(document.querySelector('#feedback > [data-hearken="nps"]')).not.toBeNull()
  })

  it('waits delayMs before showing', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    fakeWorker(siteConfig({ surveys: [{ ...nps, delayMs: 3000 }] }))
    const { mounted, widget } = fakeWidget()
    const { hearken } = make(memoryStore(), widget)
    void hearken.checkpoint('order_completed')
    await vi.advanceTimersByTimeAsync(2999)
    expect(mounted).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(mounted).toHaveLength(1)
  })

  it('targets on identify traits remembered from an earlier page', async () => {
    fakeWorker(siteConfig({ segments: [{ id: 'key', when: [{ prop: 'plan', op: 'eq', value: 'enterprise' }] }], surveys: [{ ...nps, targeting: { segments: ['key'] } }] }))
    const store = memoryStore()
    const first = make(store, fakeWidget().widget)
    await first.hearken.checkpoint('order_completed')
    expect(first.seen.skip).toEqual([{ reason: 'targeting', checkpoint: 'order_completed' }])
    await first.hearken.identify('u-1', { plan: 'enterprise' })
    first.hearken.destroy()
    const next = make(store, fakeWidget().widget)
    await next.hearken.checkpoint('order_completed')
    expect(next.seen.show).toEqual([expect.objectContaining({ segment: 'key' })])
  })
})

describe('privacy and fatigue', () => {
  it('remembers optOut across pages', async () => {
    fakeWorker()
    const store = memoryStore()
    const first = make(store, fakeWidget().widget)
    await first.hearken.optOut()
    first.hearken.destroy()
    const next = make(store, fakeWidget().widget)
    await next.hearken.checkpoint('order_completed')
    await next.hearken.show('nps')
    expect(next.seen.skip).toEqual([
      { reason: 'opted-out', checkpoint: 'order_completed' },
      { reason: 'opted-out', survey: 'nps' },
    ])
  })

  it('respects Global Privacy Control when the site asks for it', async () => {
    vi.stubGlobal('navigator', { ...navigator, globalPrivacyControl: true })
    fakeWorker(siteConfig({ respectGpc: true }))
    const { hearken, seen } = make(memoryStore(), fakeWidget().widget)
    await hearken.checkpoint('order_completed')
    expect(seen.skip).toEqual([{ reason: 'opted-out', checkpoint: 'order_completed' }])
  })

  it('holds a survey back for its cooldown after it showed, and reset() forgets that', async () => {
    fakeWorker(siteConfig({ surveys: [{ ...nps, cooldownDays: 90 }] }))
    const store = memoryStore()
    const { mounted, widget } = fakeWidget()
    const { hearken, seen } = make(store, widget)
    await hearken.checkpoint('order_completed')
    mounted[0]!.onClose()
    await hearken.checkpoint('order_completed')
    expect(seen.skip).toEqual([{ reason: 'cooldown', checkpoint: 'order_completed' }])
    await hearken.reset()
    await hearken.checkpoint('order_completed')
    expect(mounted).toHaveLength(2)
  })
})

describe('config and failures', () => {
  it('shows to a returning visitor from the kept config, without waiting for the network', async () => {
    const store = memoryStore()
    fakeWorker()
    const first = make(store, fakeWidget().widget)
    await first.hearken.checkpoint('order_completed')
    first.hearken.destroy()
    document.body.innerHTML = ''

    fakeWorker('hang')
    const { mounted, widget } = fakeWidget()
    const next = make(store, widget)
    await next.hearken.checkpoint('order_completed')
    expect(mounted).toHaveLength(1)
  })

  it('never throws into the page: a failed config is an error event', async () => {
    fakeWorker('fail')
    const { hearken, seen } = make(memoryStore(), fakeWidget().widget)
    await expect(hearken.checkpoint('order_completed')).resolves.toBeUndefined()
    expect(seen.error).toEqual([{ message: expect.stringContaining('Failed to fetch') }])
  })

  it('never throws into the page: a missing inline container is an error event, and the next survey may show', async () => {
    fakeWorker(siteConfig({ surveys: [{ ...nps, placement: 'inline', container: '#nowhere' }] }))
    const { hearken, seen } = make(memoryStore(), fakeWidget().widget)
    await hearken.checkpoint('order_completed')
    await hearken.checkpoint('order_completed')
    expect(seen.error).toHaveLength(2)
    expect(seen.skip).toBeUndefined()
  })
})
