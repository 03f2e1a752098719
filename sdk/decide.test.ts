import { describe, expect, it } from 'vitest'
import { decide, type Moment } from './decide.ts'
import type { PublicSurvey, SiteConfig } from './protocol.ts'

const DAY = 864e5
const now = Date.UTC(2026, 5, 1)
const nps: PublicSurvey = { id: 'nps', type: 'nps', checkpoints: ['order_completed'], question: { en: 'Q' } }
const config = (surveys: PublicSurvey[], site: Partial<SiteConfig> = {}): SiteConfig => ({
  site: 'pk_demo',
  language: { locale: 'en', dir: 'ltr', texts: {} as SiteConfig['language']['texts'] },
  widget: { url: 'chunks/widget.0123abcd.js', contract: 1 },
  segments: [{ id: 'key', when: [{ prop: 'plan', op: 'eq', value: 'enterprise' }] }],
  capDays: 0,
  respectGpc: false,
  surveys,
  ...site,
})
const moment = (over: Partial<Moment> = {}): Moment => ({
  checkpoint: 'order_completed',
  facts: {},
  path: '/thanks',
  visitor: 'visitor-1',
  seen: {},
  now,
  optedOut: false,
  ...over,
})

describe('deciding whether to ask', () => {
  it('shows the survey a checkpoint names, with the visitor’s segment', () => {
    expect(decide(config([nps]), moment({ facts: { plan: 'enterprise' } }))).toEqual({ survey: nps, segment: 'key' })
  })
  it('skips with no-survey when no survey names the checkpoint', () => {
    expect(decide(config([nps]), moment({ checkpoint: 'ticket_closed' }))).toEqual({ reason: 'no-survey' })
  })
  it('skips with targeting when the visitor is outside it', () => {
    const targeted = { ...nps, targeting: { segments: ['key'] } }
    expect(decide(config([targeted]), moment())).toEqual({ reason: 'targeting' })
  })
  it('skips with cooldown until the survey’s cooldown has passed', () => {
    const survey = { ...nps, cooldownDays: 30 }
    expect(decide(config([survey]), moment({ seen: { nps: now - 29 * DAY } }))).toEqual({ reason: 'cooldown' })
    expect(decide(config([survey]), moment({ seen: { nps: now - 31 * DAY } }))).toMatchObject({ survey })
  })
  it('skips with fatigue while the site’s cap since any survey holds', () => {
    const other = { ...nps, id: 'csat', checkpoints: ['ticket_closed'] }
    const capped = config([nps, other], { capDays: 7 })
    expect(decide(capped, moment({ seen: { csat: now - 2 * DAY } }))).toEqual({ reason: 'fatigue' })
    expect(decide(capped, moment({ seen: { csat: now - 8 * DAY } }))).toMatchObject({ survey: nps })
  })
  it('skips with sampled-out when the visitor’s segment rate leaves them out', () => {
    expect(decide(config([{ ...nps, sampling: { key: 1, default: 0 } }]), moment())).toEqual({ reason: 'sampled-out' })
    expect(decide(config([{ ...nps, sampling: { key: 1, default: 0 } }]), moment({ facts: { plan: 'enterprise' } }))).toMatchObject({
      segment: 'key',
    })
  })
  it('skips with opted-out before anything else', () => {
    expect(decide(config([nps]), moment({ optedOut: true }))).toEqual({ reason: 'opted-out' })
  })
  it('takes the first survey that passes, in site order', () => {
    const first = { ...nps, id: 'first', targeting: { urlPattern: '/cart' } }
    expect(decide(config([first, nps]), moment())).toMatchObject({ survey: nps })
  })
})
