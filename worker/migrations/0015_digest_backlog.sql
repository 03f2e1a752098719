-- Digests a cron run found due but left for later runs, past its ceiling of digests a run
-- (worker/src/digests.ts), or because preparing one failed. A period's digest is due for 24 hours
-- after its hour; one recorded here stays due until a run claims it, so the ceiling never skips a
-- period. A claimed digest's row is deleted; one still here after 30 days is dropped with a log
-- line (before the 35 days its digest row would be kept, so it can never be sent twice).
CREATE TABLE digest_backlog (
  site_id     TEXT NOT NULL,
  webhook_id  TEXT NOT NULL,
  frequency   TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly', 'monthly')),
  period_from TEXT NOT NULL,               -- first day of the period, in the site's timezone
  period_to   TEXT NOT NULL,               -- last day, included
  due_at      INTEGER NOT NULL,            -- ms: when its hour came
  deferred_at INTEGER NOT NULL,            -- ms: the run that first left it for later
  PRIMARY KEY (site_id, webhook_id, frequency, period_from)
) WITHOUT ROWID;
CREATE INDEX digest_backlog_by_due ON digest_backlog (due_at);
