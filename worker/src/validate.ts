import { RequestError } from './errors.ts'

/**
 * Small validators instead of a schema library: each checks one value and names the
 * field at fault, so every rejection can say exactly what was wrong.
 */
export type Check<T> = (value: unknown, field: string) => T

/** For each key of T, a check producing that key's type; optional keys may be absent. */
export type Schema<T> = { [K in keyof T]-?: Check<T[K]> }

export const reject = (field: string, message: string): never => {
  throw new RequestError(400, 'invalid_field', `${field} ${message}`, field)
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Half of a UTF-16 surrogate pair standing alone: JSON can carry it (`"\ud800"`), UTF-8 cannot store it. */
const LONE_SURROGATE = /\p{Surrogate}/u

/** Refuses a string D1 would store as invalid UTF-8, naming the field; every text check goes through it. */
export const wellFormed = (value: string, field: string): string =>
  LONE_SURROGATE.test(value) ? reject(field, 'holds a lone UTF-16 surrogate (half of an emoji or other character); send valid Unicode text') : value

export const text =
  (max: number, pattern?: RegExp): Check<string> =>
  (value, field) => {
    if (typeof value !== 'string') return reject(field, 'must be a string')
    if (value.length === 0 || value.length > max) return reject(field, `must be 1 to ${max} characters`)
    wellFormed(value, field)
    if (pattern && !pattern.test(value)) return reject(field, 'is not well-formed')
    return value
  }

export const integer =
  (min: number, max: number): Check<number> =>
  (value, field) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      return reject(field, `must be a whole number from ${min} to ${max}`)
    }
    return value
  }

export const number =
  (min: number, max: number): Check<number> =>
  (value, field) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      return reject(field, `must be a number from ${min} to ${max}`)
    }
    return value
  }

export const boolean: Check<boolean> = (value, field) =>
  typeof value === 'boolean' ? value : reject(field, 'must be true or false')

export const oneOf =
  <const T extends string>(...allowed: T[]): Check<T> =>
  (value, field) =>
    allowed.includes(value as T) ? (value as T) : reject(field, `must be one of ${allowed.join(', ')}`)

export const array =
  <T>(max: number, check: Check<T>): Check<T[]> =>
  (value, field) => {
    if (!Array.isArray(value)) return reject(field, 'must be an array')
    if (value.length > max) return reject(field, `may hold at most ${max} items`)
    return value.map((item, index) => check(item, `${field}[${index}]`))
  }

/**
 * True for names every object already has (`toString`, `constructor`, `__proto__`…): as keys of
 * stored JSON they would be shadowed by, or vanish into, the prototype wherever it is read back.
 */
export const isPrototypeName = (key: string): boolean => Object.hasOwn(Object.prototype, key)

/** An id used as an object key: `check`, and not a name every object already has. */
export const keyName =
  (check: Check<string>): Check<string> =>
  (value, field) => {
    const key = check(value, field)
    return isPrototypeName(key) ? reject(field, `may not be "${key}", a name every object already has`) : key
  }

/** An object of at most `maxKeys` entries whose keys match `keyPattern` (and are no prototype name) and values pass `check`. */
export const record =
  <T>(maxKeys: number, keyPattern: RegExp, check: Check<T>): Check<Record<string, T>> =>
  (value, field) => {
    if (!isObject(value)) return reject(field, 'must be an object')
    const entries = Object.entries(value)
    if (entries.length > maxKeys) return reject(field, `may hold at most ${maxKeys} entries`)
    const out: Record<string, T> = {}
    for (const [key, item] of entries) {
      if (!keyPattern.test(key)) return reject(`${field}.${key}`, 'is not a well-formed key')
      if (isPrototypeName(key)) return reject(`${field}.${key}`, `may not be "${key}", a name every object already has`)
      out[key] = check(item, `${field}.${key}`)
    }
    return out
  }

export const optional =
  <T>(check: Check<T>): Check<T | undefined> =>
  (value, field) =>
    value === undefined || value === null ? undefined : check(value, field)

/** A nested object checked against its own schema. */
export const object =
  <T>(schema: Schema<T>): Check<T> =>
  (value, field) =>
    parseObject(schema, value, field)

/** An object where every key is optional: only the keys given are checked and kept. */
export const partial =
  <T>(schema: Schema<T>): Check<Partial<T>> =>
  (value, field) => {
    if (!isObject(value)) return reject(field, 'must be an object')
    const out: Partial<T> = {}
    for (const key of Object.keys(schema) as (keyof T & string)[]) {
      if (value[key] !== undefined) out[key] = schema[key](value[key], `${field}.${key}`)
    }
    return out
  }

export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** Ids of surveys, checkpoints, segments, dimensions: letters, digits and `_ . : -`. */
export const idPattern = /^[A-Za-z0-9_.:-]+$/

/** Checks a plain object against a schema; unknown keys are dropped, never stored. */
export function parseObject<T>(schema: Schema<T>, value: unknown, prefix = ''): T {
  if (!isObject(value)) return reject(prefix || 'body', 'must be a JSON object')
  const out: Partial<T> = {}
  for (const key of Object.keys(schema) as (keyof T & string)[]) {
    const parsed = schema[key](value[key], prefix ? `${prefix}.${key}` : key)
    if (parsed !== undefined) out[key] = parsed
  }
  return out as T
}
