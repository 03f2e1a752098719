import { describe, expectTypeOf, it } from 'vitest'
import { createHearken, type Hearken, type HearkenEvents, type HearkenOptions, type Locale, type LocalizedText, type SkipReason } from './index.ts'

// The compiler checks these (`npm run typecheck`); nothing here creates an instance, so at
// run time they only count as passed. Calls that must not compile sit in functions never called.
type Checkpoints = {
  order_completed: { orderId: string; amount: number }
  ticket_closed: { ticketId: string; channel?: string }
  page_seen: {}
}
type Typed = Hearken<Checkpoints>
const typed = (): Typed => createHearken<Checkpoints>({ site: 'pk_demo', endpoint: 'https://hearken.test' })

describe('typed checkpoints', () => {
  it('accepts declared checkpoints with their props', () => {
    expectTypeOf(createHearken<Checkpoints>).returns.toEqualTypeOf<Typed>()
    expectTypeOf<Typed['checkpoint']>().toBeCallableWith('order_completed', { orderId: 'A-1', amount: 129 })
    expectTypeOf<Typed['checkpoint']>().toBeCallableWith('ticket_closed', { ticketId: '4821' })
    expectTypeOf<Typed['checkpoint']>().toBeCallableWith('page_seen')
    expectTypeOf<Typed['checkpoint']>().returns.toEqualTypeOf<Promise<void>>()
  })

  it('rejects a misspelt checkpoint, a missing or extra prop, and a wrong type', () => {
    const never = () => {
      const hearken = typed()
      // @ts-expect-error misspelt checkpoint
      void hearken.checkpoint('order_complete', { orderId: 'A-1', amount: 129 })
      // @ts-expect-error missing prop `amount`
      void hearken.checkpoint('order_completed', { orderId: 'A-1' })
      // @ts-expect-error props are required when a prop is
      void hearken.checkpoint('order_completed')
      // @ts-expect-error `amount` is a number
      void hearken.checkpoint('order_completed', { orderId: 'A-1', amount: '129' })
      // @ts-expect-error unknown prop
      void hearken.checkpoint('ticket_closed', { ticketId: '1', agent: 'Mei' })
    }
    expectTypeOf(never).toBeFunction()
  })

  it('takes any name and flat props when no checkpoints are declared', () => {
    expectTypeOf(createHearken).returns.toEqualTypeOf<Hearken>()
    expectTypeOf<Hearken['checkpoint']>().toBeCallableWith('anything', { a: 1, b: 'x', c: true })
    const never = (loose: Hearken) => {
      // @ts-expect-error props are flat values, not objects
      void loose.checkpoint('anything', { a: { b: 1 } })
    }
    expectTypeOf(never).toBeFunction()
  })
})

describe('typed events', () => {
  it('gives each handler its payload', () => {
    const never = (hearken: Typed) => {
      hearken.on('skip', (event) => {
        expectTypeOf(event.reason).toEqualTypeOf<SkipReason>()
      })
      hearken.on('submit', (event) => {
        expectTypeOf(event.score).toBeNumber()
      })
      hearken.on('delivered', async (event) => {
        expectTypeOf(event.kind).toEqualTypeOf<'responses' | 'impressions'>()
      })
    }
    expectTypeOf(never).toBeFunction()
    expectTypeOf<HearkenEvents['answer']>().toHaveProperty('id').toBeString()
  })

  it('lets only a show handler veto, sync or async', () => {
    const never = (hearken: Typed) => {
      hearken.on('show', () => false)
      hearken.on('show', async ({ survey }) => survey.type === 'nps')
      // @ts-expect-error only `show` handlers return a verdict
      hearken.on('answer', () => false)
      // @ts-expect-error no such event
      hearken.on('shown', () => {})
    }
    expectTypeOf(never).toBeFunction()
    expectTypeOf<SkipReason>().toEqualTypeOf<'no-survey' | 'sampled-out' | 'cooldown' | 'fatigue' | 'opted-out' | 'targeting'>()
  })
})

describe('languages', () => {
  it('take any BCP 47 tag from the page, and survey texts only in a language the worker has', () => {
    expectTypeOf<HearkenOptions['locale']>().toEqualTypeOf<string | undefined>()
    expectTypeOf<Locale>().toEqualTypeOf<'en' | 'zh-CN' | 'zh-TW' | 'ja' | 'ko' | 'es' | 'fr' | 'de' | 'ar'>()
    expectTypeOf<{ en: 'Q'; ar: 'س' }>().toExtend<LocalizedText>()
    const never = () => {
      // @ts-expect-error a survey text needs English, the fallback
      const noEnglish: LocalizedText = { ja: '質問' }
      // @ts-expect-error no such language in the worker's tables
      const klingon: LocalizedText = { en: 'Q', tlh: 'Q' }
      return [noEnglish, klingon]
    }
    expectTypeOf(never).toBeFunction()
  })
})
