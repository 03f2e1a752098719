/**
 * The cron forgets deliveries once nobody needs them, a bounded amount each run:
 * - a message that ended (delivered, or failed after its retries) more than
 *   {@link DELIVERY_KEEP_MS} ago, with the alerts it carried (`alert_outbox`); a webhook's last
 *   delivered message stays whatever its age, so the operator still sees when it last worked.
 *   An alert's row is what makes a redelivered queue message change nothing; the queue keeps a
 *   message at most 14 days, so none can come back after 30.
 * - attempts older than a day: pacing looks back a minute, a platform's block at most a day.
 * Messages still retrying, or held by a paused webhook, are never pruned.
 */

const DAY_MS = 24 * 3600_000
export const DELIVERY_KEEP_MS = 30 * DAY_MS
const ATTEMPT_KEEP_MS = DAY_MS
/** Rows one run removes at most: a message counts as one plus the alerts it carried. */
const MESSAGE_ROWS_PER_RUN = 1000
const ATTEMPTS_PER_RUN = 5000
/** The D1 statements one run prepares. */
export const PRUNE_CALLS = 3

export interface PruneRun {
  messages: number
  alerts: number
  attempts: number
}

/**
 * The oldest ended messages past the window, up to `?2` rows in all. The first one always fits,
 * however many alerts it carried, so a big merged message cannot stop the pruning.
 */
const ENDED = `SELECT id FROM (
    SELECT id, alerts, SUM(alerts + 1) OVER (ORDER BY last_attempt_at, id) AS upto FROM (
      SELECT id, alerts, last_attempt_at FROM webhook_messages m
      WHERE status IN ('delivered', 'failed') AND last_attempt_at < ?1
        AND NOT (status = 'delivered' AND last_attempt_at = (
          SELECT MAX(l.last_attempt_at) FROM webhook_messages l WHERE l.site_id = m.site_id AND l.webhook_id = m.webhook_id AND l.status = 'delivered'))
      ORDER BY last_attempt_at, id LIMIT ?2))
  WHERE upto <= ?2 OR upto = alerts + 1`

export async function pruneDeliveries(
  db: D1Database,
  now: number,
  { messageRows = MESSAGE_ROWS_PER_RUN, attempts = ATTEMPTS_PER_RUN }: { messageRows?: number; attempts?: number } = {},
): Promise<PruneRun> {
  const before = now - DELIVERY_KEEP_MS
  // One batch is one transaction: both statements pick the same messages, alerts first.
  const [alerts, messages, tried] = await db.batch([
    db.prepare(`DELETE FROM alert_outbox WHERE message_id IN (${ENDED})`).bind(before, messageRows),
    db.prepare(`DELETE FROM webhook_messages WHERE id IN (${ENDED})`).bind(before, messageRows),
    db.prepare('DELETE FROM webhook_attempts WHERE rowid IN (SELECT rowid FROM webhook_attempts WHERE at < ?1 LIMIT ?2)').bind(now - ATTEMPT_KEEP_MS, attempts),
  ])
  return { alerts: alerts!.meta.changes, messages: messages!.meta.changes, attempts: tried!.meta.changes }
}
