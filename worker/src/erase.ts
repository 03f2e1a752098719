import { linkImpressionId, linkResponseId } from './links.ts'
import { maskUserId } from './pii.ts'
import { changeCounted, deleteStatements, pruneStatements, ROLLUP_TABLES, type CountedRows } from './rollups.ts'
import { forgetSite, type Site } from './sites.ts'

/**
 * Forgetting: a person, a survey, a whole site. Each runs in one D1 batch (one transaction),
 * with the rollups kept exact (rollups.ts), and reaches every table named in {@link SITE_DATA}:
 * a table that holds a site's data and is not listed there fails worker/test/erase.test.ts,
 * which compares the list with the schema.
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
}

/**
 * Every table that holds a site's data, in the order a batch erases them (rows that hang off an
 * answer before the answers, the site last). A new table is one line here.
 */
export const SITE_DATA: Readonly<Record<string, TableRule>> = {
  follow_ups: { site: 'site_id', survey: 'survey_id', answer: 'response_id' },
  response_tags: { site: 'site_id', survey: 'survey_id', answer: 'response_id' },
  alert_outbox: { site: 'site_id', answer: 'response_id' },
  links: { site: 'site_id', survey: 'survey_id', person: ['user_id'] },
  responses: { site: 'site_id', survey: 'survey_id', person: ['visitor_id', 'user_id'] },
  impressions: { site: 'site_id', survey: 'survey_id', person: ['visitor_id'] },
  user_asks: { site: 'site_id', survey: 'survey_id', person: ['user_id'] },
  ...Object.fromEntries(ROLLUP_TABLES.map((table) => [table, { site: 'site_id', survey: 'survey_id', rollup: true, anonymous: 'counts per day and key' }])),
  surveys: { site: 'site_id', survey: 'id' },
  webhook_messages: { site: 'site_id', anonymous: 'how many alerts a message carried and how its delivery went; their answers are read at each attempt' },
  webhook_attempts: { site: 'site_id', anonymous: 'when a webhook was called and the outcome, for pacing' },
  webhook_state: { site: 'site_id', anonymous: "a webhook's lease, pause and pace" },
  tag_jobs: { site: 'site_id', anonymous: "where re-tagging the site's comments stands: a time, an answer id and counts" },
  digests: { site: 'site_id', anonymous: "a period's figures per survey and the follow-up loop; the names in it are staff (assignees), never a visitor's" },
  rate_counts: { site: 'site_id', anonymous: 'item counts of the current hour, under a hash of the client address or visitor id' },
  dashboard_sessions: { site: 'site_id' },
  site_origins: { site: 'site_id' },
  sites: { site: 'id' },
}

const tables = Object.entries(SITE_DATA)

/** A message still waiting to go whose every alert was erased has nothing left to say. */
const emptiedMessages = (db: D1Database, siteId: string): D1PreparedStatement =>
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

/** Deletes a survey with everything stored for it: answers, impressions, follow-ups and notes, links, queued alerts and rollups. */
export async function eraseSurvey(db: D1Database, siteId: string, surveyId: string): Promise<void> {
  const statements: D1PreparedStatement[] = []
  for (const [table, rule] of tables) {
    if (rule.survey) {
      statements.push(...(rule.rollup ? [] : [db.prepare(`DELETE FROM ${table} WHERE ${rule.site} = ? AND ${rule.survey} = ?`).bind(siteId, surveyId)]))
    } else if (rule.answer) {
      statements.push(db.prepare(`DELETE FROM ${table} WHERE ${rule.site} = ?1 AND ${rule.answer} IN (SELECT id FROM responses WHERE site_id = ?1 AND survey_id = ?2)`).bind(siteId, surveyId))
    }
  }
  await db.batch([...statements, ...deleteStatements(db, siteId, surveyId), emptiedMessages(db, siteId)])
  forgetSite(siteId)
}

/** Deletes a site with everything stored for it, its sessions and webhook deliveries included. */
export async function eraseSite(db: D1Database, siteId: string): Promise<void> {
  await db.batch([
    ...deleteStatements(db, siteId),
    ...tables.filter(([, rule]) => !rule.rollup).map(([table, rule]) => db.prepare(`DELETE FROM ${table} WHERE ${rule.site} = ?`).bind(siteId)),
  ])
  forgetSite(siteId)
}
