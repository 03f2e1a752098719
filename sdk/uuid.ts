/**
 * A random UUID v4. `crypto.randomUUID` exists only in secure contexts, and plain-http shop
 * pages exist, so build it from `getRandomValues`, which is everywhere: each template digit
 * becomes random bits, with the version (4) and variant (8–b) digits kept in range.
 */
export function uuid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(31))
  let index = 0
  return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (digit) =>
    (+digit ^ (bytes[index++]! & (15 >> (+digit / 4)))).toString(16),
  )
}
