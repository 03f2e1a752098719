import type { SkipReason } from './events.ts'
import type { PublicSurvey, SiteConfig } from './protocol.ts'
import { segmentOf, targets, type Facts } from './rules.ts'
import { inSample } from './sampling.ts'

const DAY = 864e5

/** What one visitor has been asked: survey id → when it last showed (ms since the epoch). */
export type Seen = Record<string, number>

/** Everything a decision depends on, gathered by the caller so that deciding is a pure function. */
export interface Moment {
  checkpoint: string
  facts: Facts
  path: string
  visitor: string
  seen: Seen
  now: number
  /** Opted out, or sending Global Privacy Control to a site that respects it. */
  optedOut: boolean
}

/** A survey to show (and the visitor's segment), or why none is shown. */
export type Verdict = { survey: PublicSurvey; segment: string } | { reason: SkipReason }

/**
 * Picks the survey a checkpoint shows: the first, in site order, that names the checkpoint,
 * targets the visitor, is past the site's cap and its own cooldown, and samples the visitor in.
 * When none does, the reason is the first candidate's.
 */
export function decide(config: SiteConfig, moment: Moment): Verdict {
  if (moment.optedOut) return { reason: 'opted-out' }
  const candidates = config.surveys.filter((survey) => survey.checkpoints.includes(moment.checkpoint))
  const segment = segmentOf(config.segments, moment.facts)
  const last = Math.max(0, ...Object.values(moment.seen))
  const verdicts = candidates.map((survey): Verdict => {
    if (!targets(survey.targeting, segment, moment.facts, moment.path)) return { reason: 'targeting' }
    if (config.capDays > 0 && moment.now - last < config.capDays * DAY) return { reason: 'fatigue' }
    const shown = moment.seen[survey.id]
    if (shown !== undefined && moment.now - shown < (survey.cooldownDays ?? 0) * DAY) return { reason: 'cooldown' }
    if (!inSample(survey.sampling, segment, moment.visitor, survey.id)) return { reason: 'sampled-out' }
    return { survey, segment }
  })
  return verdicts.find((verdict) => 'survey' in verdict) ?? verdicts[0] ?? { reason: 'no-survey' }
}
