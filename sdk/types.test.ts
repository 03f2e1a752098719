import { describe, expectTypeOf, it } from 'vitest'
import { createHearken, type Hearken, type HearkenEvents, type SkipReason } from './index.ts'

// These tests are checked by the compiler (`npm run typecheck`); at run time they only show up as passed.
type Checkpoints = {
  order_completed: { orderId: string; amount: number }
  ticket_closed: { ticketId: string; channel?: string }
  page_seen: {}
}
const typed = () => createHearken<Checkpoints>({ site: 'pk_demo', endpoint: 'https://hearken.test' })

describe('typed checkpoints', () => {
  it('accepts declared checkpoints with their props', () => {
    expectTypeOf(typed().checkpoint<'order_completed'>).toBeCallableWith('order_completed', { orderId: 'A-1', amount: 129 })
    expectTypeOf(typed().checkpoint<'ticket_closed'>).toBeCallableWith('ticket_closed', { ticketId: '4821' })
    expectTypeOf(typed().checkpoint<'page_seen'>).toBeCallableWith('page_seen')
    expectTypeOf(typed().checkpoint).returns.toEqualTypeOf<Promise<void>>()
  })

  it('rejects a misspelt checkpoint, a missing or extra prop, and a wrong type', () => {
    const hearken = typed()
    const never = () => {
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
    const loose = createHearken({ site: 'pk_demo', endpoint: 'https://hearken.test' })
    expectTypeOf(loose).toEqualTypeOf<Hearken>()
    expectTypeOf(loose.checkpoint<string>).toBeCallableWith('anything', { a: 1, b: 'x', c: true })
    // @ts-expect-error props are flat values, not objects
    const nested = () => loose.checkpoint('anything', { a: { b: 1 } })
    expectTypeOf(nested).toBeFunction()
  })
})

describe('typed events', () => {
  it('gives each handler its payload', () => {
    const hearken = typed()
    hearken.on('skip', (event) => {
      expectTypeOf(event.reason).toEqualTypeOf<SkipReason>()
    })
    hearken.on('submit', (event) => {
      expectTypeOf(event.score).toBeNumber()
    })
    hearken.on('delivered', async (event) => {
      expectTypeOf(event.kind).toEqualTypeOf<'responses' | 'impressions'>()
    })
    expectTypeOf<HearkenEvents['answer']>().toHaveProperty('id').toBeString()
  })

  it('lets only a show handler veto, sync or async', () => {
    const hearken = typed()
    hearken.on('show', () => false)
    hearken.on('show', async ({ survey }) => survey.type === 'nps')
    // @ts-expect-error only `show` handlers return a verdict
    hearken.on('answer', () => false)
    // @ts-expect-error no such event
    hearken.on('shown', () => {})
    expectTypeOf<SkipReason>().toEqualTypeOf<'no-survey' | 'sampled-out' | 'cooldown' | 'fatigue' | 'opted-out' | 'targeting'>()
  })
})
