import { scoreBand } from '../../sdk/protocol.ts'
import { addDays, daysBetween } from './dates.ts'
import { COMMENTED } from './response-tags.ts'
import { taggingProgress, taggingProgressStatement, type JobRow } from './retagging.ts'
import { scoreCountsStatement, tagScoreCountsStatement, type RollupQuery, type ScoreCountRow, type TagScoreRow } from './rollups.ts'
import { compareScores, headline, MIN_ANSWERS_PER_PERIOD, proportionChangeZ, summarize, twoSidedP, Z95, type ScoreCounts } from './scores.ts'
import type { Period } from './stats.ts'
import type { HotIssue, Theme, ThemesResult } from './stats-result.ts'
import type { Survey } from './surveys.ts'
import { isKind } from './tags.ts'

/**
 * Themes: per tag of the comments, how many answers carry it, how many of them are unhappy, the
 * score of those answers and its change since the period compared with; hot issues are the
 * topics rising among unhappy answers. Read from the tag rollup alone (rollups.ts), so they
 * cost the same at ten thousand answers as at ten million. docs/tags.md explains each figure.
 */

/** What themes cover: a period, the one it is compared with, and the stats' filters. */
export interface ThemesQuery extends Period {
  /** Default: the same number of days just before `from`. */
  previous?: Period
  checkpoint?: string
  segment?: string
  /** Count flagged answers (fast, bot, repeat) too; default false, like the stats. */
  includeFlagged?: boolean
}

/** The period of the same length just before `period`. */
export const periodBefore = (period: Period): Period => ({ from: addDays(period.from, -daysBetween(period.from, period.to)), to: addDays(period.from, -1) })

/** Unhappy: a detractor (NPS 0–6) or a low score (CSAT 1–3, CES 1–4), the bands the listing filters by. */
const isUnhappy = (survey: Survey, score: number): boolean => ['detractor', 'low'].includes(scoreBand(survey.type, score))

const round1 = (value: number): number => Math.round(value * 10) / 10
const percent = (part: number, whole: number): number | null => (whole ? round1((part / whole) * 100) : null)

/**
 * The statements themes need, to run in a D1 batch of the caller's (the stats put them in
 * theirs), and the function that reads their results, in the same order.
 */
export function themesStatements(
  db: D1Database,
  siteId: string,
  survey: Survey,
  query: ThemesQuery,
): { statements: D1PreparedStatement[]; read: (results: D1Result[]) => ThemesResult } {
  const { from, to } = query.previous ?? periodBefore(query)
  const previous = { from, to }
  const base = { siteId, surveyId: survey.id, checkpoint: query.checkpoint, segment: query.segment, includeFlagged: query.includeFlagged ?? false }
  const now: RollupQuery = { ...base, from: query.from, to: query.to }
  const then: RollupQuery = { ...base, from: previous.from, to: previous.to }
  const statements = [
    tagScoreCountsStatement(db, now),
    tagScoreCountsStatement(db, then),
    scoreCountsStatement(db, now),
    taggingProgressStatement(db, siteId),
  ]
  const read = (results: D1Result[]): ThemesResult => {
    const rows = <T>(index: number) => (results[index]?.results ?? []) as T[]
    const nowTags = countsPerTag(rows<TagScoreRow>(0))
    const thenTags = countsPerTag(rows<TagScoreRow>(1))
    const unhappyOf = (counts: ScoreCounts) => [...counts].reduce((sum, [score, n]) => sum + (isUnhappy(survey, score) ? n : 0), 0)
    const totalOf = (counts: ScoreCounts) => [...counts.values()].reduce((sum, n) => sum + n, 0)
    const answersNow = countsOf(rows<ScoreCountRow>(2))
    // A hot issue's share is of the unhappy answers that came with a comment: only they could
    // carry a topic, so a period in which fewer unhappy answers write one does not read as
    // every topic falling. The COMMENTED row counts them, tagged or not (response-tags.ts).
    const commentedNow = nowTags.get(COMMENTED) ?? new Map<number, number>()
    const commentedThen = thenTags.get(COMMENTED) ?? new Map<number, number>()
    const unhappyCommentedNow = unhappyOf(commentedNow)
    const unhappyCommentedThen = unhappyOf(commentedThen)
    const tags = [...new Set([...nowTags.keys(), ...thenTags.keys()])].filter((tag) => tag !== COMMENTED)

    const themes: Theme[] = tags.map((tag) => {
      const counts = nowTags.get(tag) ?? new Map<number, number>()
      const earlier = thenTags.get(tag) ?? new Map<number, number>()
      const summary = summarize(survey.type, counts)
      const previousSummary = summarize(survey.type, earlier)
      const [n, unhappy, nThen, unhappyEarlier] = [totalOf(counts), unhappyOf(counts), totalOf(earlier), unhappyOf(earlier)]
      return {
        tag,
        type: isKind(tag) ? 'kind' : 'topic',
        n,
        unhappy,
        unhappyShare: percent(unhappy, n),
        ...summary,
        previous: { n: nThen, unhappy: unhappyEarlier, unhappyShare: percent(unhappyEarlier, nThen), ...previousSummary },
        change: compareScores(summary, previousSummary),
      }
    })

    const hotIssues = themes
      .filter((theme) => theme.type === 'topic' && theme.unhappy > 0)
      .map((theme): HotIssue => {
        const share = percent(theme.unhappy, unhappyCommentedNow) ?? 0
        const previousShare = percent(theme.previous.unhappy, unhappyCommentedThen)
        const rise = round1(share - (previousShare ?? 0))
        const enough = unhappyCommentedNow >= MIN_ANSWERS_PER_PERIOD && unhappyCommentedThen >= MIN_ANSWERS_PER_PERIOD
        const z = enough
          ? proportionChangeZ({ satisfied: theme.unhappy, n: unhappyCommentedNow }, { satisfied: theme.previous.unhappy, n: unhappyCommentedThen })
          : null
        return {
          tag: theme.tag,
          unhappy: theme.unhappy,
          share,
          previousUnhappy: theme.previous.unhappy,
          previousShare,
          rise,
          verdict: z === null ? 'directional' : z > Z95 ? 'significant' : 'not_significant',
          pValue: z === null ? null : Math.round(twoSidedP(z) * 10000) / 10000,
          minAnswers: MIN_ANSWERS_PER_PERIOD,
        }
      })
      .filter((issue) => issue.rise > 0)
      .sort((a, b) => Number(b.verdict === 'significant') - Number(a.verdict === 'significant') || b.rise - a.rise || b.unhappy - a.unhappy || a.tag.localeCompare(b.tag))

    return {
      from: query.from,
      to: query.to,
      previous,
      answers: totalOf(answersNow),
      unhappy: unhappyOf(answersNow),
      unhappyCommented: unhappyCommentedNow,
      previousUnhappyCommented: unhappyCommentedThen,
      themes: worstFirst(themes),
      hotIssues,
      tagging: taggingProgress(rows<JobRow>(3)[0]),
    }
  }
  return { statements, read }
}

/** Themes and hot issues of one survey in a period, in one D1 batch: what digests and other modules call. */
export async function themesFor(db: D1Database, siteId: string, survey: Survey, query: ThemesQuery): Promise<ThemesResult> {
  const { statements, read } = themesStatements(db, siteId, survey, query)
  return read(await db.batch(statements))
}

function countsOf(rows: { score: number; n: number }[]): Map<number, number> {
  const counts = new Map<number, number>()
  for (const { score, n } of rows) counts.set(Number(score), (counts.get(Number(score)) ?? 0) + Number(n))
  return counts
}

function countsPerTag(rows: TagScoreRow[]): Map<string, Map<number, number>> {
  const tags = new Map<string, Map<number, number>>()
  for (const { tag, score, n } of rows) {
    if (Number(n) === 0) continue
    const counts = tags.get(tag) ?? new Map<number, number>()
    counts.set(Number(score), (counts.get(Number(score)) ?? 0) + Number(n))
    tags.set(tag, counts)
  }
  return tags
}

/**
 * Worst first by the upper end of the score's 95% interval, as the stats order checkpoints: a
 * tag on one unhappy answer (whose interval reaches far up) does not lead. Tags of the period
 * compared with only (no interval now) come last. Ties: lower score, more answers, then the tag.
 */
function worstFirst(themes: Theme[]): Theme[] {
  const upper = (theme: Theme) => headline(theme).interval?.[1] ?? Infinity
  const score = (theme: Theme) => headline(theme).score ?? Infinity
  return themes.sort((a, b) => upper(a) - upper(b) || score(a) - score(b) || b.n - a.n || a.tag.localeCompare(b.tag))
}
