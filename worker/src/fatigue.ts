import type { FatigueResult } from '../../sdk/protocol.ts'
import type { Site } from './sites.ts'
import type { Survey } from './surveys.ts'

const DAY_MS = 864e5

/**
 * Fatigue for identified users, across their devices and channels: the SDK asks before it
 * shows a card to a user, and a survey link's page asks before it shows one. The user id is
 * whatever the page claims (evidence, not proof): this answers only whether that id was asked
 * recently, and the rows it reads are written by the same public ingest any page can post to.
 */

/** Where a user was asked: a page with the SDK, or one survey link. */
export type Channel = 'web' | `link:${string}`

/** Records that `user` (as the site stores user ids: pii.ts, storedUserId) was asked `survey` on `channel` at `at` (a card shown, an answer, a link's page shown). */
export function askedStatement(db: D1Database, siteId: string, user: string, surveyId: string, channel: Channel, at: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO user_asks (site_id, user_id, survey_id, channel, asked_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET asked_at = max(asked_at, excluded.asked_at)`,
    )
    .bind(siteId, user, surveyId, channel, at)
}

/**
 * Whether `user` may be asked `survey` now: no survey of the site within its cap (`capDays`),
 * and not this survey within its cooldown, counting every channel but `except` (a link's own
 * page may be opened again, to answer or change the answer). One indexed read.
 */
export async function fatigueVerdict(
  db: D1Database,
  site: Site,
  survey: Survey,
  user: string,
  now: number,
  except?: Channel,
): Promise<FatigueResult> {
  const { results } = await db
    .prepare('SELECT survey_id AS survey, MAX(asked_at) AS at FROM user_asks WHERE site_id = ? AND user_id = ? AND channel != ? GROUP BY survey_id')
    .bind(site.id, user, except ?? '')
    .all<{ survey: string; at: number }>()
  const last = Math.max(0, ...results.map((row) => row.at))
  if (site.settings.capDays > 0 && now - last < site.settings.capDays * DAY_MS) return { ask: false, reason: 'fatigue' }
  const thisSurvey = results.find((row) => row.survey === survey.id)?.at
  if (thisSurvey !== undefined && now - thisSurvey < (survey.cooldownDays ?? 0) * DAY_MS) return { ask: false, reason: 'cooldown' }
  return { ask: true }
}
