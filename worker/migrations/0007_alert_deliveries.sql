-- Alerts on their way to webhooks (worker/src/alert-delivery.ts). The queue delivers at least
-- once; these tables make each alert reach its webhook in exactly one message, paced, retried
-- and visible to the operator.

-- Each alert once per webhook, whatever the queue redelivers; message_id is NULL while it waits.
CREATE TABLE alert_outbox (
  site_id     TEXT NOT NULL,
  webhook_id  TEXT NOT NULL,
  kind        TEXT NOT NULL,               -- negative | high_risk | reminder
  response_id TEXT NOT NULL,
  event_at    INTEGER NOT NULL,            -- when it happened: the answer's time, a reminder's due time
  queued_at   INTEGER NOT NULL,
  message_id  TEXT,                        -- the message it went out in
  PRIMARY KEY (site_id, webhook_id, kind, response_id)
) WITHOUT ROWID;
CREATE INDEX alert_outbox_waiting ON alert_outbox (site_id, webhook_id, queued_at) WHERE message_id IS NULL;
CREATE INDEX alert_outbox_by_message ON alert_outbox (message_id) WHERE message_id IS NOT NULL;

-- One message to a webhook: one alert, a merged burst, or a test. Its id is the Standard
-- Webhooks webhook-id, the same on every attempt.
CREATE TABLE webhook_messages (
  id              TEXT PRIMARY KEY,
  site_id         TEXT NOT NULL,
  webhook_id      TEXT NOT NULL,
  alerts          INTEGER NOT NULL,        -- how many alerts it carries (0 for a test)
  test            INTEGER NOT NULL DEFAULT 0,
  status          TEXT NOT NULL CHECK (status IN ('sending', 'retrying', 'delivered', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,                 -- when a retrying message goes again
  last_attempt_at INTEGER,
  last_status     INTEGER,                 -- the receiver's HTTP status; NULL when it did not answer
  last_error      TEXT,                    -- what the platform said, for the operator
  note            TEXT,                    -- how it came about, when unusual (the dead-letter queue)
  created_at      INTEGER NOT NULL
);
CREATE INDEX webhook_messages_by_webhook ON webhook_messages (site_id, webhook_id, created_at DESC);
CREATE INDEX webhook_messages_due ON webhook_messages (site_id, webhook_id, next_attempt_at) WHERE status = 'retrying';
CREATE INDEX webhook_messages_stuck ON webhook_messages (next_attempt_at) WHERE status IN ('retrying', 'sending');

-- Every attempt, for pacing: robot is a hash of the format and URL, so webhooks that share a
-- robot share its limits. Kept a day.
CREATE TABLE webhook_attempts (
  robot      TEXT NOT NULL,
  at         INTEGER NOT NULL,
  message_id TEXT NOT NULL,
  site_id    TEXT NOT NULL,
  outcome    TEXT NOT NULL                 -- delivered | retry | rejected | config | gone
);
CREATE INDEX webhook_attempts_by_robot ON webhook_attempts (robot, at);
CREATE INDEX webhook_attempts_by_time ON webhook_attempts (at);

-- Per webhook: who is sending (a lease), what the platform asked (wait until), whether it is
-- paused (a configuration error or 410: nothing goes until the operator acts), pacing.
CREATE TABLE webhook_state (
  site_id         TEXT NOT NULL,
  webhook_id      TEXT NOT NULL,
  lease_until     INTEGER NOT NULL DEFAULT 0,
  lease_id        TEXT,
  blocked_until   INTEGER NOT NULL DEFAULT 0,
  paused_reason   TEXT,
  paused_at       INTEGER,
  last_message_at INTEGER NOT NULL DEFAULT 0, -- when the last new message went (the merge window starts here)
  wake_at         INTEGER,                    -- a wake-up is queued for this time
  PRIMARY KEY (site_id, webhook_id)
) WITHOUT ROWID;
