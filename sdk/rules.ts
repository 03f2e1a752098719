import type { Condition, PropValue, SegmentRule, Targeting } from './protocol.ts'

/** What targeting sees: `identify` traits overlaid with the checkpoint's props. */
export type Facts = Record<string, PropValue | undefined>

/** Whether one condition holds for these facts; a missing fact fails every test but `neq`. */
export function holds(condition: Condition, facts: Facts): boolean {
  const actual = facts[condition.prop]
  switch (condition.op) {
    case 'exists':
      return actual !== undefined
    case 'eq':
      return actual === condition.value
    case 'neq':
      return actual !== condition.value
    case 'in':
      return actual !== undefined && condition.value.includes(actual)
    default:
      if (typeof actual !== 'number') return false
      if (condition.op === 'lt') return actual < condition.value
      if (condition.op === 'lte') return actual <= condition.value
      if (condition.op === 'gt') return actual > condition.value
      return actual >= condition.value
  }
}

/** The first segment whose conditions all hold, in site order; `other` when none does. */
export function segmentOf(rules: SegmentRule[], facts: Facts): string {
  return rules.find((rule) => rule.when.every((condition) => holds(condition, facts)))?.id ?? 'other'
}

/** Whether a path matches a URL pattern, where `*` is any run of characters and everything else is literal. */
export function pathMatches(pattern: string, path: string): boolean {
  const literal = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
  return new RegExp(`^${literal.join('.*')}$`).test(path)
}

/** Whether a survey's targeting lets this visitor in; no targeting lets everyone in. */
export function targets(targeting: Targeting | undefined, segment: string, facts: Facts, path: string): boolean {
  if (!targeting) return true
  const { segments, conditions, urlPattern } = targeting
  return (
    (!segments || segments.includes(segment)) &&
    (conditions ?? []).every((condition) => holds(condition, facts)) &&
    (urlPattern === undefined || pathMatches(urlPattern, path))
  )
}
