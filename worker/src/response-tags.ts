import type { CountedRows } from './rollups.ts'
import type { Site } from './sites.ts'
import { builtInTopics, classifyComment, isBuiltInTag, kinds, siteAdditions, type TagRule } from './tags.ts'

/**
 * The tags of stored comments (table `response_tags`, migration 0011): computed once by the
 * classifier when a comment is stored or changes, and again by re-tagging (retagging.ts) when a
 * site's rules change; read by the listing's filter (an index lookup) and shown from there, so
 * what a filter finds and what a listing shows always agree. The tag rollup (rollups.ts) joins
 * this table, so every write here is a change given to `changeCounted` with its answers.
 */

/**
 * A row every commented answer carries besides its tags, so the tag rollup also counts the
 * answers that came with a comment, tagged or not: the base of a hot issue's share (themes.ts).
 * Not a tag anyone sees or filters by: `*` is in no tag a site's rules may name (`idPattern`, validate.ts), and
 * {@link storedTags} leaves it out. Kept, like the tags, when retention erases the comment.
 */
export const COMMENTED = '*commented'

/** New tags for a stored answer, written only if the answer is still what they were computed from. */
export type TagWrite =
  /** At ingest: the comment as stored (masked), written only where the stored comment is this one. */
  | { id: string; tags: readonly string[]; comment: string }
  /** Re-tagging: written only where the answer has not changed since it was read (its updated_at). */
  | { id: string; tags: readonly string[]; updatedAt: number }

/**
 * SQL over the item `j` and the stored answer `r`: true when the tags of `j` belong to `r` as it
 * is. The items are joined first (`CROSS JOIN` keeps SQLite from reordering), so each finds its
 * answer by primary key; the other way round SQLite walks every answer of the site.
 */
const STILL_THE_SAME = `CASE WHEN j.value ->> 'updatedAt' IS NOT NULL THEN r.updated_at = j.value ->> 'updatedAt' ELSE r.comment IS j.value ->> 'comment' END`

/**
 * Statements that make the stored tags of these answers the given ones: tags no longer earned
 * are deleted, new ones inserted, moved ones renumbered; a tag that stays is not written again.
 * They must run inside `changeCounted` with the same answers (see {@link answersWithIds}).
 */
export function writeTagsStatements(db: D1Database, siteId: string, writes: readonly TagWrite[]): D1PreparedStatement[] {
  if (writes.length === 0) return []
  const items = JSON.stringify(writes.map((write) => ({ ...write, tags: withCommented(write.tags) })))
  return [
    db
      .prepare(
        `DELETE FROM response_tags WHERE site_id = ?1 AND (response_id, tag) IN (
           SELECT r.id, t.tag FROM json_each(?2) j
             CROSS JOIN responses r ON r.site_id = ?1 AND r.id = j.value ->> 'id'
             CROSS JOIN response_tags t ON t.site_id = ?1 AND t.response_id = r.id
           WHERE ${STILL_THE_SAME} AND NOT EXISTS (SELECT 1 FROM json_each(j.value -> 'tags') x WHERE x.value = t.tag))`,
      )
      .bind(siteId, items),
    db
      .prepare(
        `INSERT INTO response_tags (site_id, response_id, tag, position, survey_id, created_at)
         SELECT ?1, r.id, x.value, x.key, r.survey_id, r.created_at
         FROM json_each(?2) j CROSS JOIN responses r ON r.site_id = ?1 AND r.id = j.value ->> 'id' JOIN json_each(j.value -> 'tags') x
         WHERE ${STILL_THE_SAME}
         ON CONFLICT (site_id, response_id, tag) DO UPDATE SET position = excluded.position WHERE position != excluded.position`,
      )
      .bind(siteId, items),
  ]
}

/**
 * The statements that tag comments as ingest stores them (`comment` as stored: masked, and null
 * when the post brought none, which leaves the stored tags alone). Run them inside the
 * `changeCounted` that stores the answers, after the insert and the merge.
 */
export function tagCommentsStatements(db: D1Database, site: Site, answers: readonly { id: string; comment: string | null }[]): D1PreparedStatement[] {
  const writes = answers.flatMap(({ id, comment }) => (comment === null ? [] : [{ id, comment, tags: classifyComment(comment, site.settings.tagRules).tags }]))
  return writeTagsStatements(db, site.id, writes)
}

/** What a commented answer's rows hold: its tags, then {@link COMMENTED}. */
export const withCommented = (tags: readonly string[]): string[] => [...tags, COMMENTED]

/** The answers with these ids, any number of them (one bound JSON list), for `changeCounted`. */
export const answersWithIds = (siteId: string, ids: readonly string[]): CountedRows => ({
  table: 'responses',
  siteId,
  where: 'r.id IN (SELECT value FROM json_each(?))',
  params: [JSON.stringify(ids)],
})

/**
 * SQL over an answer `r`: its stored tags as a JSON list of [position, tag] (an aggregate's
 * order is not promised, so {@link storedTags} sorts them).
 */
export const STORED_TAGS_SQL = `(SELECT json_group_array(json_array(x.position, x.tag)) FROM response_tags x WHERE x.site_id = r.site_id AND x.response_id = r.id)`

/** The rows of an answer in order, {@link COMMENTED} included, from what {@link STORED_TAGS_SQL} gives. */
export function storedRows(value: string | null | undefined): string[] {
  const pairs = value ? (JSON.parse(value) as [number, string][]) : []
  return pairs.sort((a, b) => a[0] - b[0]).map(([, tag]) => tag)
}

/** Tags in order, as a listing shows them, from what {@link STORED_TAGS_SQL} gives. */
export const storedTags = (value: string | null | undefined): string[] => storedRows(value).filter((tag) => tag !== COMMENTED)

/**
 * The tags a site's answers can carry, as its tag list and filter offer them: the kinds, the
 * built-in topics, then the site's own topics in rule order.
 */
export function knownTags(rules: readonly TagRule[]): string[] {
  const own = siteAdditions(rules).map((rule) => rule.tag).filter((tag) => !isBuiltInTag(tag))
  return [...new Set([...kinds, ...builtInTopics, ...own])]
}
