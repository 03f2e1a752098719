import { describe, expect, it } from 'vitest'
import { RequestError } from './errors.ts'
import { parseStatsQuery } from './stats.ts'

const TODAY = '2026-05-20'
const parse = (query: string, options = {}) => parseStatsQuery(new URLSearchParams(query), TODAY, options)

/** The 400 a query gets: its field and message. */
function refusal(query: string, options = {}): { field: string | undefined; message: string } {
  try {
    parse(query, options)
  } catch (error) {
    if (error instanceof RequestError && error.status === 400) return { field: error.field, message: error.message }
    throw error
  }
  throw new Error(`?${query} was accepted`)
}

describe('the stats period: defaults follow what was given, every bad range a 400 naming its field and form', () => {
  it('takes the 30 days up to the given to, never reaching before 2000-01-01', () => {
    expect(parse('')).toMatchObject({ from: '2026-04-21', to: TODAY })
    expect(parse('to=2020-05-31')).toMatchObject({ from: '2020-05-02', to: '2020-05-31' })
    // A to before any data, or at the first day there is: the default from stays in range.
    expect(parse('to=2000-01-01')).toMatchObject({ from: '2000-01-01', to: '2000-01-01' })
    expect(parse('to=2000-01-20')).toMatchObject({ from: '2000-01-01', to: '2000-01-20' })
    expect(parse('from=2026-05-01')).toMatchObject({ from: '2026-05-01', to: TODAY })
  })

  it('names from, and says where to came from, when from is after to or too far before it', () => {
    expect(refusal('from=2026-06-01')).toEqual({ field: 'from', message: 'from must be a date as YYYY-MM-DD no later than 2026-05-20: to, left out, is today (2026-05-20)' })
    expect(refusal('from=2026-02-01&to=2026-01-01')).toEqual({ field: 'from', message: 'from must be a date as YYYY-MM-DD no later than 2026-01-01: to is 2026-01-01' })
    expect(refusal('from=2000-01-01')).toEqual({
      field: 'from',
      message: 'from must be a date as YYYY-MM-DD from 2023-05-19 on: a period spans at most 1098 days, and to, left out, is today (2026-05-20)',
    })
    // The earliest from it names is accepted (2023-05-20 to today, both counted, is 1,097 days: one more), the day before it is not.
    expect(parse('from=2023-05-19')).toMatchObject({ from: '2023-05-19', to: TODAY })
    expect(refusal('from=2023-05-18').field).toBe('from')
    expect(refusal('compareFrom=2026-02-01&compareTo=2026-01-01')).toEqual({ field: 'compareFrom', message: 'compareFrom must be a date as YYYY-MM-DD no later than 2026-01-01: compareTo is 2026-01-01' })
    expect(refusal('compareFrom=2026-01-01').message).toBe('compareTo is needed with compareFrom: a date as YYYY-MM-DD from 2000-01-01 to 2100-12-31')
    expect(refusal('to=garbage').message).toBe('to must be a date as YYYY-MM-DD from 2000-01-01 to 2100-12-31')
  })

  it('compares with the previous period only where it exists: asked for, a 400 naming compare; by default, none', () => {
    expect(parse('to=2000-03-15&compare=previous').comparison).toEqual({ kind: 'previous', from: '2000-01-16', to: '2000-02-14' })
    const early = refusal('to=2000-01-10&compare=previous')
    expect(early.field).toBe('compare')
    expect(early.message).toBe('compare must be left out here, or from be later: the 10 days before 2000-01-01 start before 2000-01-01. To compare, choose compareFrom and compareTo as YYYY-MM-DD')
    // The dashboard and the report compare by default, and say there is nothing to compare with.
    expect(parse('to=2000-01-10', { previousByDefault: true }).comparison).toBeNull()
    expect(parse('from=2000-01-31&to=2000-02-29', { previousByDefault: true }).comparison).toEqual({ kind: 'previous', from: '2000-01-01', to: '2000-01-30' })
    expect(parse('from=2000-01-30&to=2000-02-29', { previousByDefault: true }).comparison).toBeNull()
    expect(parse('compareFrom=2025-01-01&compareTo=2025-01-31', { previousByDefault: true }).comparison).toMatchObject({ kind: 'chosen', from: '2025-01-01' })
  })
})
