import { env } from 'cloudflare:workers'
import { expect } from 'vitest'

/**
 * The rollup invariant checked against an independent count: every rollup row of the site (with
 * counts) equals a GROUP BY over the raw rows it counts, and no raw row goes uncounted.
 */
export async function recountMatchesRollups(siteId: string): Promise<void> {
  const compare = async (rollup: string, recount: string) => {
    const [a, b] = await env.DB.batch([env.DB.prepare(rollup).bind(siteId), env.DB.prepare(recount).bind(siteId)])
    expect(a!.results).toEqual(b!.results)
  }
  await compare(
    `SELECT survey_id, day, checkpoint, segment, flagged, score, n FROM score_rollups WHERE site_id = ? AND n != 0 ORDER BY 1, 2, 3, 4, 5, 6`,
    `SELECT survey_id, day, checkpoint, segment, flags != '' AS flagged, score, COUNT(*) AS n FROM responses WHERE site_id = ?
     GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6`,
  )
  await compare(
    `SELECT survey_id, day, flagged, dimension, n, total FROM dimension_rollups WHERE site_id = ? AND n != 0 ORDER BY 1, 2, 3, 4`,
    `SELECT r.survey_id, r.day, r.flags != '' AS flagged, j.key AS dimension, COUNT(*) AS n, SUM(j.value) AS total
     FROM responses r, json_each(r.dimensions) j WHERE r.site_id = ? GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
  )
  await compare(
    `SELECT survey_id, day, flagged, dimension, score, n, total, squares FROM driver_rollups WHERE site_id = ? AND n != 0 ORDER BY 1, 2, 3, 4, 5`,
    `SELECT r.survey_id, r.day, r.flags != '' AS flagged, j.key AS dimension, r.score, COUNT(*) AS n, SUM(j.value) AS total, SUM(j.value * j.value) AS squares
     FROM responses r, json_each(r.dimensions) j WHERE r.site_id = ? GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
  )
  await compare(
    `SELECT survey_id, day, checkpoint, segment, flagged, tag, score, n FROM tag_rollups WHERE site_id = ? AND n != 0 ORDER BY 1, 2, 3, 4, 5, 6, 7`,
    `SELECT r.survey_id, r.day, r.checkpoint, r.segment, r.flags != '' AS flagged, t.tag, r.score, COUNT(*) AS n
     FROM responses r JOIN response_tags t ON t.site_id = r.site_id AND t.response_id = r.id WHERE r.site_id = ?
     GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7`,
  )
  await compare(
    `SELECT survey_id, day, flagged, kind, n FROM impression_rollups WHERE site_id = ? AND n != 0 ORDER BY 1, 2, 3, 4`,
    `SELECT survey_id, day, flags != '' AS flagged, kind, COUNT(*) AS n FROM impressions WHERE site_id = ? GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
  )
}
