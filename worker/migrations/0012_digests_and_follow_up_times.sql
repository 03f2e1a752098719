-- The follow-up loop measured (worker/src/follow-up-metrics.ts): when an operator first acted on a
-- follow-up (a status, an assignee or a note, set by the PATCH) and when it was resolved (cleared
-- when it is reopened). Rows from before this migration get the best the stored columns say: the
-- earliest note or the last change for the first action, the last change for a resolution.
ALTER TABLE follow_ups ADD COLUMN first_action_at INTEGER;
ALTER TABLE follow_ups ADD COLUMN resolved_at INTEGER;

UPDATE follow_ups SET resolved_at = updated_at WHERE status = 'resolved';
UPDATE follow_ups
SET first_action_at = MIN(updated_at, COALESCE((SELECT MIN(json_extract(value, '$.at')) FROM json_each(notes)), updated_at))
WHERE status != 'open' OR assignee IS NOT NULL OR notes != '[]';

-- Each period's follow-ups: opened, due, first acted on and resolved in it.
CREATE INDEX follow_ups_by_created ON follow_ups (site_id, created_at);
CREATE INDEX follow_ups_by_due ON follow_ups (site_id, due_at);
CREATE INDEX follow_ups_by_first_action ON follow_ups (site_id, first_action_at) WHERE first_action_at IS NOT NULL;
CREATE INDEX follow_ups_by_resolved ON follow_ups (site_id, resolved_at) WHERE resolved_at IS NOT NULL;

-- Digests (worker/src/digests.ts): one row per webhook, frequency and period, claimed in the same
-- batch that opens the message carrying it, so a cron that runs twice or stops half-way never
-- sends a period twice. `data` is what the digest says, computed once: every retry sends the same.
CREATE TABLE digests (
  site_id     TEXT NOT NULL,
  webhook_id  TEXT NOT NULL,
  frequency   TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly', 'monthly')),
  period_from TEXT NOT NULL,               -- first day of the period, in the site's timezone
  period_to   TEXT NOT NULL,               -- last day, included
  lang        TEXT NOT NULL,               -- en | zh-CN | zh-TW
  message_id  TEXT NOT NULL,               -- the webhook_messages row that carries it
  data        TEXT NOT NULL,               -- JSON: worker/src/digests-data.ts
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (site_id, webhook_id, frequency, period_from)
) WITHOUT ROWID;
CREATE INDEX digests_by_message ON digests (message_id);
-- Kept 35 days: long past a period's window and its message's last retry.
CREATE INDEX digests_by_time ON digests (created_at);

-- A message to a webhook may carry a digest instead of alerts.
ALTER TABLE webhook_messages ADD COLUMN digest INTEGER NOT NULL DEFAULT 0;
