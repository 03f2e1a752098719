import { linkImpressionId, linkResponseId } from './links.ts'
import { maskUserId } from './pii.ts'
import { changeCounted, pruneStatements, ROLLUP_TABLES, type CountedRows } from './rollups.ts'
import type { Site } from './sites.ts'

/**
 * Forgetting: a person, a survey, a whole site, reaching every table named in {@link SITE_DATA}:
 * a table that holds a site's data and is not listed there fails worker/test/erase.test.ts,
 * which compares the list with the schema. A person has few rows: their erasure is one D1 batch
 * (one transaction), with the rollups kept exact (rollups.ts). A survey or a site may have
 * millions: deletions.ts removes what makes it reachable at once and the rest in chunks.
 *
 * Alerts still on the queue for an erased answer are dropped when they arrive: storing one
 * needs its answer (alert-delivery.ts, recordAlert). What went out before the erasure (a chat
 * message, a webhook's payload) is outside the worker's reach.
 */

/** How the rows of one table are erased. */
export interface TableRule {
  /** The column holding the site's id: every row goes with its site. */
  site: string
  /** The column naming the survey a row belongs to: it goes with its survey. */
  survey?: string
  /** The column naming the answer a row belongs to: it goes with its answer (in a person's erasure, or with its survey). */
  answer?: string
  /** Columns holding a visitor or user id: the row goes in that person's erasure. */
  person?: string[]
  /** A rollup: kept exact through rollups.ts, never deleted row by row but with its survey or site. */
  rollup?: true
  /** Why the rows may stay when the answers or people they were about are erased: nothing in them names a person. */
  anonymous?: string
  /**
   * The primary key's columns (`rowid` for a table without one): how a deletion's chunk names the
   * rows it takes, and the order it walks a site's rows in to find a survey's (deletions.ts).
   */
  key: readonly string[]
  /**
   * Few rows a site, or what makes it reachable (its row, origins, sessions; a survey's row): a
   * deletion removes them in its request. The other tables are emptied in chunks after it.
   */
  atOnce?: true
  /** The record of a deletion under way (deletions.ts): its chunks leave it, its last one removes it. */
  tombstone?: true
}

/**
 * Every table that holds a site's data, in the order they are erased (rows that hang off an
 * answer before the answers, the site last). A new table is one line here.
 */
export const SITE_DATA: Readonly<Record<string, TableRule>> = {
  follow_ups: { site: 'site_id', survey: 'survey_id', answer: 'response_id', key: ['site_id', 'response_id'] },
  response_tags: { site: 'site_id', survey: 'survey_id', answer: 'response_id', key: ['site_id', 'response_id', 'tag'] },
  alert_outbox: { site: 'site_id', answer: 'response_id', key: ['site_id', 'webhook_id', 'kind', 'response_id'] },
  links: { site: 'site_id', survey: 'survey_id', person: ['user_id'], key: ['site_id', 'id'] },
  responses: { site: 'site_id', survey: 'survey_id', person: ['visitor_id', 'user_id'], key: ['site_id', 'id'] },
  impressions: { site: 'site_id', survey: 'survey_id', person: ['visitor_id'], key: ['site_id', 'id'] },
  user_asks: { site: 'site_id', survey: 'survey_id', person: ['user_id'], key: ['site_id', 'user_id', 'survey_id', 'channel'] },
  ...Object.fromEntries(ROLLUP_TABLES.map(({ table, key }) => [table, { site: 'site_id', survey: 'survey_id', rollup: true, anonymous: 'counts per day and key', key }])),
  surveys: { site: 'site_id', survey: 'id', key: ['site_id', 'id'], atOnce: true },
  webhook_messages: { site: 'site_id', anonymous: 'how many alerts a message carried and how its delivery went; their answers are read at each attempt', key: ['id'] },
  webhook_attempts: { site: 'site_id', anonymous: 'when a webhook was called and the outcome, for pacing', key: ['rowid'] },
  webhook_state: { site: 'site_id', anonymous: "a webhook's lease, pause and pace", key: ['site_id', 'webhook_id'], atOnce: true },
  tag_jobs: { site: 'site_id', anonymous: "where re-tagging the site's comments stands: a time, an answer id and counts", key: ['site_id'], atOnce: true },
  digests: { site: 'site_id', anonymous: "a period's figures per survey and the follow-up loop; the names in it are staff (assignees), never a visitor's", key: ['site_id', 'webhook_id', 'frequency', 'period_from'] },
  digest_backlog: { site: 'site_id', anonymous: 'which digests wait for a later cron run: a webhook id, a period and times', key: ['site_id', 'webhook_id', 'frequency', 'period_from'] },
  rate_counts: { site: 'site_id', anonymous: 'item counts of the current hour, under a hash of the client address or visitor id', key: ['key'] },
  deletions: { site: 'site_id', survey: 'survey_id', key: ['rowid'], tombstone: true },
  dashboard_sessions: { site: 'site_id', key: ['id_hash'], atOnce: true },
  site_origins: { site: 'site_id', key: ['site_id', 'origin'], atOnce: true },
  sites: { site: 'id', key: ['id'], atOnce: true },
}

const tables = Object.entries(SITE_DATA)

/** A message still waiting to go whose every alert was erased has nothing left to say. */
export const emptiedMessages = (db: D1Database, siteId: string): D1PreparedStatement =>
  db
    .prepare(
      `DELETE FROM webhook_messages WHERE site_id = ? AND test = 0 AND status IN ('retrying', 'sending')
       AND NOT EXISTS (SELECT 1 FROM alert_outbox o WHERE o.message_id = webhook_messages.id)`,
    )
    .bind(siteId)

/** What a person's erasure removed. */
export interface ErasedPerson {
  responses: number
  impressions: number
  followUps: number
  links: number
  alerts: number
}

const inJson = (column: string) => `${column} IN (SELECT value FROM json_each(?))`

/**
 * Who a person is in the rows: their user id (also as stored masked), the visitor ids their
 * answers came from, and their survey links (made for their user id, answered as them: a link's
 * answer carries the visitor id `link-{id}`, or named by that visitor id itself).
 */
async function identify(db: D1Database, site: Pick<Site, 'id' | 'pseudonymKey'>, person: string): Promise<{ users: string[]; devices: string[]; links: string[] }> {
  const users = [...new Set([person, await maskUserId(site.pseudonymKey, person)])]
  const [devices, links] = await db.batch<{ id: string }>([
    db
      .prepare('SELECT DISTINCT visitor_id AS id FROM responses WHERE site_id = ? AND user_id IN (SELECT value FROM json_each(?)) AND visitor_id IS NOT NULL')
      .bind(site.id, JSON.stringify(users)),
    db
      .prepare(
        `SELECT id FROM links WHERE site_id = ?1 AND (user_id IN (SELECT value FROM json_each(?2))
           OR id = substr(?3, 6) AND substr(?3, 1, 5) = 'link-'
           OR id IN (SELECT substr(visitor_id, 6) FROM responses WHERE site_id = ?1 AND substr(visitor_id, 1, 5) = 'link-'
             AND (visitor_id = ?3 OR user_id IN (SELECT value FROM json_each(?2)))))`,
      )
      .bind(site.id, JSON.stringify(users), person),
  ])
  return { users, devices: devices!.results.map((row) => row.id), links: links!.results.map((row) => row.id) }
}

/**
 * Erases a person, named by a visitor id or a user id (as the site sends it: a masked user id is
 * found from the address it masks):
 * - every answer with that visitor or user id, and the answers without a user id from the
 *   devices (visitor ids) that user answered from, with what hangs off them (follow-up and
 *   notes, queued alerts);
 * - every impression of that visitor or of those devices;
 * - every survey link made for or answered by them, withdrawn so it no longer opens and cannot
 *   bring an answer back, with the link's own answer and impression.
 * Answers another user id gave from the same device stay theirs. The rollups lose the erased
 * counts in the same batch.
 */
export async function erasePerson(db: D1Database, site: Pick<Site, 'id' | 'pseudonymKey'>, person: string): Promise<ErasedPerson> {
  const siteId = site.id
  const { users, devices, links } = await identify(db, site, person)
  const linked = await Promise.all(links.map(async (id) => ({ response: await linkResponseId({ site: siteId, id }), impression: await linkImpressionId({ site: siteId, id }) })))
  const [usersJson, devicesJson] = [JSON.stringify(users), JSON.stringify(devices)]
  const answers: CountedRows = {
    table: 'responses',
    siteId,
    where: `r.visitor_id = ? OR ${inJson('r.user_id')} OR (${inJson('r.visitor_id')} AND r.user_id IS NULL) OR ${inJson('r.id')}`,
    params: [person, usersJson, devicesJson, JSON.stringify(linked.map((link) => link.response))],
  }
  const shown: CountedRows = {
    table: 'impressions',
    siteId,
    where: `r.visitor_id = ? OR ${inJson('r.visitor_id')} OR ${inJson('r.id')}`,
    params: [person, devicesJson, JSON.stringify(linked.map((link) => link.impression))],
  }
  const counted = { responses: answers, impressions: shown } as Record<string, CountedRows>

  const changes: { table: string; statement: D1PreparedStatement }[] = []
  for (const [table, rule] of tables) {
    if (rule.rollup) continue
    if (rule.answer) {
      changes.push({
        table,
        statement: db
          .prepare(`DELETE FROM ${table} WHERE ${rule.site} = ? AND ${rule.answer} IN (SELECT r.id FROM responses r WHERE r.site_id = ? AND (${answers.where}))`)
          .bind(siteId, siteId, ...answers.params),
      })
    }
    const rows = counted[table]
    if (rows) {
      changes.push({ table, statement: db.prepare(`DELETE FROM ${table} AS r WHERE r.${rule.site} = ? AND (${rows.where})`).bind(siteId, ...rows.params) })
    } else if (rule.person) {
      // Links are found by `identify` (by user id and by the answers given through them).
      const where = table === 'links' ? inJson('id') : rule.person.map((column) => `${column} = ? OR ${inJson(column)}`).join(' OR ')
      const params = table === 'links' ? [JSON.stringify(links)] : rule.person.flatMap(() => [person, usersJson])
      changes.push({ table, statement: db.prepare(`DELETE FROM ${table} WHERE ${rule.site} = ? AND (${where})`).bind(siteId, ...params) })
    }
  }
  const results = await changeCounted(db, [answers, shown], [...changes.map((change) => change.statement), emptiedMessages(db, siteId), ...pruneStatements(db, siteId)])
  const removed = (table: string) => changes.reduce((sum, change, index) => sum + (change.table === table ? (results[index]?.meta.changes ?? 0) : 0), 0)
  return { responses: removed('responses'), impressions: removed('impressions'), followUps: removed('follow_ups'), links: removed('links'), alerts: removed('alert_outbox') }
}
