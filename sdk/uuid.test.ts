import { afterEach, expect, it, vi } from 'vitest'
import { uuid } from './uuid.ts'

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** Random bytes from a seeded generator (a linear congruential one), so every run checks the same ids. */
function seededBytes(seed: number) {
  let state = seed
  vi.spyOn(crypto, 'getRandomValues').mockImplementation(<T extends ArrayBufferView | null>(array: T): T => {
    const bytes = array as unknown as Uint8Array
    for (let index = 0; index < bytes.length; index++) bytes[index] = (state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 24
    return array
  })
}

afterEach(() => vi.restoreAllMocks())

it('makes distinct RFC 4122 version 4 ids', () => {
  seededBytes(42)
  const ids = new Set(Array.from({ length: 1000 }, uuid))
  expect(ids.size).toBe(1000)
  for (const id of ids) expect(id).toMatch(V4)
})

it('keeps the version and variant digits in range whatever the random bytes are', () => {
  for (const fill of [0x00, 0xff]) {
    vi.spyOn(crypto, 'getRandomValues').mockImplementation(<T extends ArrayBufferView | null>(array: T): T => ((array as unknown as Uint8Array).fill(fill), array))
    expect(uuid()).toMatch(V4)
    vi.restoreAllMocks()
  }
})
