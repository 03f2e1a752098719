/** A number in [0, 1) from a string (FNV-1a, 32 bits): the same key always lands in the same place. */
export function unitHash(key: string): number {
  let hash = 0x811c9dc5
  for (let index = 0; index < key.length; index++) hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193)
  return (hash >>> 0) / 2 ** 32
}

/**
 * Whether this visitor is in the sample of this survey for their segment. Deterministic per
 * visitor and survey, so a reload never re-rolls; rates per segment, `default` for the rest,
 * no rates at all means everyone.
 */
export function inSample(rates: Record<string, number> | undefined, segment: string, visitor: string, survey: string): boolean {
  const rate = rates?.[segment] ?? rates?.default ?? 1
  return unitHash(`${visitor}:${survey}`) < rate
}
