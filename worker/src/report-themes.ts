import type { Period } from './stats.ts'

/**
 * Themes for digests and reports: the tags rising among a survey's unhappy answers, period on
 * period. Tags computed at ingest and kept in their own table, with the themes and hot-issues
 * query over them, are issue 17's (comment tags); until that query exists here, every survey
 * says `available: false`, and digests and reports leave the section out rather than guess from
 * keyword matches at read time.
 */

/** A tag among a survey's unhappy answers: how many carried it in the period and the one before. */
export interface RisingTheme {
  tag: string
  unhappy: number
  previousUnhappy: number
  /** unhappy − previousUnhappy. */
  change: number
}

export type Themes = { available: false } | { available: true; rising: RisingTheme[] }

/** At most this many rising themes are told. */
export const MAX_THEMES = 5

/** The themes rising among `surveyId`'s unhappy answers in `period` against `previous`, most risen first. */
export async function risingThemes(_db: D1Database, _siteId: string, _surveyId: string, _period: Period, _previous: Period): Promise<Themes> {
  return { available: false }
}
