// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { HearkenEvents } from './events.ts'
import { createHearken, type Hearken } from './hearken.ts'
import type { FatigueResult, Language, PublicSurvey, SiteConfig } from './protocol.ts'
import { WIDGET_CONTRACT, type WidgetModule, type WidgetProps } from './widget-contract.ts'
import { memoryStore, type Store } from './store.ts'

const endpoint = 'https://hearken.test'
const nps: PublicSurvey = { id: 'nps', type: 'nps', checkpoints: ['order_completed'], question: { en: 'How likely…?' } }
const japanese: Language = {
  locale: 'ja',
  dir: 'ltr',
  texts: {
    npsLow: '全く思わない', npsHigh: '非常にそう思う', csatLow: '非常に不満', csatHigh: '非常に満足', cesLow: '非常に難しい', cesHigh: '非常に簡単',
    optional: '任意', send: '送信', close: 'アンケートを閉じる', pickScore: '先に点数を選んでください。', thanks: 'ご意見ありがとうございました。',
    yourScore: 'あなたの点数', change: '変更', neutralFollowUp: 'どうすればもっと良くなりましたか？',
  },
}
const siteConfig = (over: Partial<SiteConfig> = {}): SiteConfig => ({
  site: 'pk_demo', language: japanese, widget: { url: 'chunks/widget.0123abcd.js', contract: WIDGET_CONTRACT }, segments: [], capDays: 0, respectGpc: false, surveys: [nps], ...over,
})

interface FakeWorker {
  /** Everything posted, by path. */
  posts: { path: string; body: Record<string, unknown> }[]
  /** The URLs of config requests. */
  configs: string[]
}

/**
 * A worker in a function: serves the config (or hangs, or fails), answers the fatigue check as
 * told (or fails it), and records every post.
 */
function fakeWorker(config: SiteConfig | 'hang' | 'fail' = siteConfig(), fatigue: FatigueResult | 'fail' = { ask: true }): FakeWorker {
  const worker: FakeWorker = { posts: [], configs: [] }
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    if (init?.method === 'POST') {
      const path = new URL(url).pathname
      worker.posts.push({ path, body: JSON.parse(init.body as string) as Record<string, unknown> })
      if (path === '/v1/fatigue') return fatigue === 'fail' ? new Response('{}', { status: 503 }) : Response.json(fatigue)
      return new Response('{}', { status: 201 })
    }
    worker.configs.push(url)
    if (config === 'hang') return new Promise<Response>(() => {})
    if (config === 'fail') throw new TypeError('Failed to fetch')
    return Response.json(config)
  })
  return worker
}
const posted = (worker: FakeWorker, path: string) => worker.posts.filter((post) => post.path === path).map((post) => post.body)

/** Lets the SDK run every step it can (promise callbacks only) until it waits for something the test holds. */
const idle = () => new Promise((done) => setTimeout(done))

/** A widget that records the props it was mounted with, so tests can play the visitor; `hold` keeps it loading until released. */
function fakeWidget(hold = false) {
  const mounted: WidgetProps[] = []
  let release: () => void = () => {}
  const loaded = new Promise<void>((done) => (release = done))
  if (!hold) release()
  const widget = async (): Promise<WidgetModule> => {
    await loaded
    return {
      mount: (root, props) => {
        mounted.push(props)
        root.innerHTML = '<div role="dialog">card</div>'
        return () => void (root.innerHTML = '')
      },
    }
  }
  return { mounted, widget, release }
}

const instances: Hearken[] = []
/** An instance with every event recorded; without `widget` it imports the card the config names, as an app's bundle does. */
function make(store: Store, widget?: () => Promise<WidgetModule>, locale?: string) {
  const hearken = createHearken<{ order_completed: { orderId?: string | number | boolean; amount?: number } }>({ site: 'pk_demo', endpoint, store, ...(widget && { widget }), ...(locale && { locale }) })
  instances.push(hearken as Hearken)
  const seen: { [E in keyof HearkenEvents]?: HearkenEvents[E][] } = {}
  for (const name of ['show', 'answer', 'submit', 'dismiss', 'skip', 'delivered', 'error'] as const) {
    hearken.on(name, (payload) => void ((seen[name] ??= []) as unknown[]).push(payload))
  }
  return { hearken, seen }
}

afterEach(() => {
  instances.splice(0).forEach((instance) => instance.destroy())
  document.body.innerHTML = ''
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

describe('a checkpoint', () => {
  it('shows the matching survey in an open shadow root, in the config’s language, and records an impression', async () => {
    const worker = fakeWorker()
    const { mounted, widget } = fakeWidget()
    const { hearken, seen } = make(memoryStore(), widget, 'ja-JP')
    await hearken.checkpoint('order_completed', { orderId: 'A-1' })
    const host = document.querySelector('[data-hearken="nps"]')!
    expect(host.shadowRoot?.mode).toBe('open')
    expect(mounted.map((props) => props.language)).toEqual([japanese])
    expect(worker.configs).toEqual([`${endpoint}/v1/sites/pk_demo/config?lang=ja-JP`])
    expect(seen.show).toEqual([{ survey: nps, segment: 'other', checkpoint: 'order_completed' }])
    await hearken.flush()
    expect(worker.posts).toEqual([{ path: '/v1/impressions', body: expect.objectContaining({ kind: 'shown', survey: 'nps', site: 'pk_demo' }) }])
  })

  it('counts the score the moment it is chosen, then re-sends the same response with a changed score, comment and ratings', async () => {
    const worker = fakeWorker()
    const { mounted, widget } = fakeWidget()
    const { hearken, seen } = make(memoryStore(), widget)
    await hearken.checkpoint('order_completed')
    mounted[0]!.onAnswer(3)
    await hearken.flush()
    const [answer] = posted(worker, '/v1/responses')
    expect(answer).toMatchObject({ score: 3, survey: 'nps', checkpoint: 'order_completed', segment: 'other', locale: 'ja' })
    expect(seen.answer).toEqual([{ survey: nps, id: answer!.id, score: 3 }])

    mounted[0]!.onAnswer(4)
    mounted[0]!.onComplete({ score: 4, comment: 'late parcel', dimensions: { delivery: 2 } })
    await hearken.flush()
    const responses = posted(worker, '/v1/responses')
    expect(responses.at(-1)).toEqual({ ...answer, score: 4, comment: 'late parcel', dimensions: { delivery: 2 } })
    expect(new Set(responses.map((response) => response.id))).toEqual(new Set([answer!.id]))
    expect(seen.submit).toEqual([{ survey: nps, id: answer!.id, score: 4, comment: 'late parcel', dimensions: { delivery: 2 } }])
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
    const worker = fakeWorker()
    const { mounted, widget } = fakeWidget()
    const { hearken, seen } = make(memoryStore(), widget)
    await hearken.checkpoint('order_completed')
    await hearken.checkpoint('order_completed')
    expect(seen.skip).toEqual([{ reason: 'fatigue', checkpoint: 'order_completed' }])
    mounted[0]!.onDismiss()
    await hearken.flush()
    expect(seen.dismiss).toEqual([{ survey: nps }])
    expect(document.querySelector('[data-hearken]')).toBeNull()
    expect(worker.posts.map((post) => post.body.kind)).toEqual(['shown', 'dismissed'])
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

describe('the subject of an answer', () => {
  const answerTo = async (props: { orderId?: string | number | boolean; amount?: number }) => {
    const worker = fakeWorker(siteConfig({ subjectProps: ['orderId', 'amount'] }))
    const { mounted, widget } = fakeWidget()
    const { hearken } = make(memoryStore(), widget)
    await hearken.checkpoint('order_completed', props)
    mounted[0]!.onAnswer(9)
    await hearken.flush()
    return posted(worker, '/v1/responses')[0]!
  }

  it('is the first subject prop the checkpoint carries, 0 and false included', async () => {
    expect((await answerTo({ orderId: 0, amount: 5 })).subject).toBe(0)
    expect((await answerTo({ orderId: false, amount: 5 })).subject).toBe(false)
    expect((await answerTo({ orderId: 'A-1', amount: 5 })).subject).toBe('A-1')
  })

  it('passes over a prop that is missing or empty, and is absent when none is given', async () => {
    expect((await answerTo({ amount: 0 })).subject).toBe(0)
    expect((await answerTo({ orderId: '', amount: 7 })).subject).toBe(7)
    expect(await answerTo({})).not.toHaveProperty('subject')
  })
})

describe('the card it loads', () => {
  it('refuses a card of another contract version, with an error naming both, and shows nothing', async () => {
    const worker = fakeWorker(siteConfig({ widget: { url: 'chunks/widget.9999abcd.js', contract: WIDGET_CONTRACT + 1 } }))
    const { hearken, seen } = make(memoryStore())
    await hearken.checkpoint('order_completed')
    await hearken.flush()
    expect(seen.error).toEqual([{ message: expect.stringContaining(`widget contract ${WIDGET_CONTRACT + 1}, SDK's ${WIDGET_CONTRACT}: deploy worker and SDK together`) }])
    expect(seen.show).toBeUndefined()
    expect(document.querySelector('[data-hearken]')).toBeNull()
    expect(worker.posts).toEqual([])
  })

  it('refuses a config that names no card (a worker older than the contract), and says so at every checkpoint', async () => {
    const { widget: _none, ...older } = siteConfig()
    fakeWorker(older as SiteConfig)
    const { hearken, seen } = make(memoryStore())
    await hearken.checkpoint('order_completed')
    await hearken.checkpoint('order_completed')
    expect(seen.error).toEqual([
      { message: expect.stringContaining(`widget contract undefined, SDK's ${WIDGET_CONTRACT}: deploy worker and SDK together`) },
      { message: expect.stringContaining(`widget contract undefined, SDK's ${WIDGET_CONTRACT}: deploy worker and SDK together`) },
    ])
    expect(seen.skip).toBeUndefined()
  })

  it('on the script-tag path loads the loader’s own card (of the SDK’s release), whatever the config names', async () => {
    fakeWorker(siteConfig({ widget: { url: 'chunks/widget.9999abcd.js', contract: WIDGET_CONTRACT + 1 } }))
    const { mounted, widget } = fakeWidget()
    const { hearken, seen } = make(memoryStore(), widget)
    await hearken.checkpoint('order_completed')
    expect(mounted).toHaveLength(1)
    expect(seen.error).toBeUndefined()
  })
})

describe('a card on its way', () => {
  it('never appears after optOut() during its delay, and records no impression', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const worker = fakeWorker(siteConfig({ surveys: [{ ...nps, delayMs: 3000 }] }))
    const { mounted, widget } = fakeWidget()
    const { hearken, seen } = make(memoryStore(), widget)
    const shown = hearken.checkpoint('order_completed')
    await vi.advanceTimersByTimeAsync(1000)
    await hearken.optOut()
    await vi.advanceTimersByTimeAsync(2000)
    await shown
    await hearken.flush()
    expect(mounted).toHaveLength(0)
    expect(document.querySelector('[data-hearken]')).toBeNull()
    expect(seen.skip).toEqual([{ reason: 'opted-out', checkpoint: 'order_completed' }])
    expect(worker.posts).toEqual([])
  })

  it('never appears when another tab opted out during its delay', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    fakeWorker(siteConfig({ surveys: [{ ...nps, delayMs: 3000 }] }))
    const store = memoryStore()
    const { mounted, widget } = fakeWidget()
    const { hearken, seen } = make(store, widget)
    const shown = hearken.checkpoint('order_completed')
    await vi.advanceTimersByTimeAsync(1000)
    await make(store, fakeWidget().widget).hearken.optOut()
    await vi.advanceTimersByTimeAsync(2000)
    await shown
    expect(mounted).toHaveLength(0)
    expect(seen.skip).toEqual([{ reason: 'opted-out', checkpoint: 'order_completed' }])
  })

  it('never appears when another tab opted out while the widget loaded, and records no impression', async () => {
    const worker = fakeWorker()
    const store = memoryStore()
    const { mounted, widget, release } = fakeWidget(true)
    const { hearken, seen } = make(store, widget)
    const show = new Promise<void>((done) => hearken.on('show', () => done()))
    const shown = hearken.checkpoint('order_completed')
    await show
    await idle()
    await make(store, fakeWidget().widget).hearken.optOut()
    release()
    await shown
    await hearken.flush()
    expect(mounted).toHaveLength(0)
    expect(document.querySelector('[data-hearken]')).toBeNull()
    expect(seen.skip).toEqual([{ reason: 'opted-out', checkpoint: 'order_completed' }])
    expect(worker.posts).toEqual([])
  })

  it('never appears when another tab opted out while a show handler ran', async () => {
    fakeWorker()
    const store = memoryStore()
    const { mounted, widget } = fakeWidget()
    const { hearken, seen } = make(store, widget)
    hearken.on('show', () => make(store, fakeWidget().widget).hearken.optOut())
    await hearken.checkpoint('order_completed')
    expect(mounted).toHaveLength(0)
    expect(seen.skip).toEqual([{ reason: 'opted-out', checkpoint: 'order_completed' }])
  })

  it('never appears when another tab opted out while the worker was asked about fatigue', async () => {
    let answer: (reply: Response) => void = () => {}
    vi.stubGlobal('fetch', async (url: string) =>
      url.endsWith('/v1/fatigue') ? new Promise<Response>((done) => (answer = done)) : Response.json(siteConfig()),
    )
    const store = memoryStore()
    const { mounted, widget } = fakeWidget()
    const { hearken, seen } = make(store, widget)
    await hearken.identify('u-1')
    const shown = hearken.checkpoint('order_completed')
    await idle()
    await make(store, fakeWidget().widget).hearken.optOut()
    answer(Response.json({ ask: true }))
    await shown
    expect(mounted).toHaveLength(0)
    expect(seen.skip).toEqual([{ reason: 'opted-out', checkpoint: 'order_completed' }])
  })

  it('never appears after destroy() while the widget loads, and records no impression', async () => {
    const worker = fakeWorker()
    const { mounted, widget, release } = fakeWidget(true)
    const { hearken } = make(memoryStore(), widget)
    const show = new Promise<void>((done) => hearken.on('show', () => done()))
    const shown = hearken.checkpoint('order_completed')
    await show
    await idle()
    hearken.destroy()
    release()
    await shown
    expect(mounted).toHaveLength(0)
    expect(document.querySelector('[data-hearken]')).toBeNull()
    expect(worker.posts).toEqual([])
  })

  it('never appears after optOut() while the widget loads', async () => {
    fakeWorker()
    const { mounted, widget, release } = fakeWidget(true)
    const { hearken, seen } = make(memoryStore(), widget)
    const show = new Promise<void>((done) => hearken.on('show', () => done()))
    const shown = hearken.checkpoint('order_completed')
    await show
    await idle()
    await hearken.optOut()
    release()
    await shown
    expect(mounted).toHaveLength(0)
    expect(seen.skip).toEqual([{ reason: 'opted-out', checkpoint: 'order_completed' }])
  })

  it('holds the place: a second checkpoint while the first card loads is skipped, and one card shows', async () => {
    fakeWorker()
    const { mounted, widget, release } = fakeWidget(true)
    const { hearken, seen } = make(memoryStore(), widget)
    const first = hearken.checkpoint('order_completed')
    await hearken.checkpoint('order_completed')
    expect(seen.skip).toEqual([{ reason: 'fatigue', checkpoint: 'order_completed' }])
    release()
    await first
    expect(mounted).toHaveLength(1)
    expect(document.querySelectorAll('[data-hearken]')).toHaveLength(1)
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

  it('asks the worker before showing to an identified user, and does not ask one it saw asked on another device', async () => {
    const worker = fakeWorker(siteConfig(), { ask: false, reason: 'fatigue' })
    const { mounted, widget } = fakeWidget()
    const { hearken, seen } = make(memoryStore(), widget)
    await hearken.identify('user-42')
    await hearken.checkpoint('order_completed')
    expect(posted(worker, '/v1/fatigue')).toEqual([{ site: 'pk_demo', user: 'user-42', survey: 'nps' }])
    expect(mounted).toHaveLength(0)
    expect(seen.skip).toEqual([{ reason: 'fatigue', checkpoint: 'order_completed' }])
    await hearken.flush()
    expect(posted(worker, '/v1/impressions')).toEqual([])
  })

  it('tells the worker whom it showed a card to, so their other devices know', async () => {
    const worker = fakeWorker()
    const { mounted, widget } = fakeWidget()
    const { hearken } = make(memoryStore(), widget)
    await hearken.identify('user-42')
    await hearken.checkpoint('order_completed')
    mounted[0]!.onAnswer(9)
    await hearken.flush()
    expect(posted(worker, '/v1/impressions')).toEqual([expect.objectContaining({ kind: 'shown', user: 'user-42' })])
    expect(posted(worker, '/v1/responses')).toEqual([expect.objectContaining({ score: 9, user: 'user-42' })])
  })

  it('shows the card when the worker cannot answer the fatigue check, and asks nothing about an anonymous visitor', async () => {
    const worker = fakeWorker(siteConfig(), 'fail')
    const identified = fakeWidget()
    const { hearken } = make(memoryStore(), identified.widget)
    await hearken.identify('user-42')
    await hearken.checkpoint('order_completed')
    expect(identified.mounted).toHaveLength(1)

    const anonymous = fakeWidget()
    await make(memoryStore(), anonymous.widget).hearken.checkpoint('order_completed')
    expect(anonymous.mounted).toHaveLength(1)
    expect(posted(worker, '/v1/fatigue')).toHaveLength(1)
  })

  it('does not ask the worker about fatigue for show(), which is past fatigue', async () => {
    const worker = fakeWorker(siteConfig(), { ask: false, reason: 'fatigue' })
    const { mounted, widget } = fakeWidget()
    const { hearken } = make(memoryStore(), widget)
    await hearken.identify('user-42')
    await hearken.show('nps')
    expect(mounted).toHaveLength(1)
    expect(posted(worker, '/v1/fatigue')).toEqual([])
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
