-- Abuse-resistant ingest: item counters for rate limits and failed sign-ins, flagged impressions
-- (so a response rate leaves out the same visitors on both sides), and the index the repeat
-- check of impressions reads.

-- One row per limited key (site + client address or visitor, for answers or impressions; or an
-- address's failed tokens, with site ''): how many items it sent in the current minute and hour,
-- and the caps that held when they were counted. The key is a SHA-256 of what it counts, so no
-- address or visitor id is stored. Rows of past hours are pruned by the cron, which scans the
-- table: an index on the hour would double the rows every answer writes, the cost that matters.
CREATE TABLE rate_counts (
  key        TEXT PRIMARY KEY,
  site_id    TEXT NOT NULL,
  minute     INTEGER NOT NULL,            -- the minute counted (ms since epoch / 60,000)
  minute_n   INTEGER NOT NULL,
  minute_cap INTEGER NOT NULL,
  hour       INTEGER NOT NULL,            -- the hour counted (ms since epoch / 3,600,000)
  hour_n     INTEGER NOT NULL,
  hour_cap   INTEGER NOT NULL
) WITHOUT ROWID;

-- Impressions are flagged like answers (bot, incomplete, repeat), space-separated.
ALTER TABLE impressions ADD COLUMN flags TEXT NOT NULL DEFAULT '';

-- The repeat check and erasure read a visitor's impressions of one survey and kind by time.
DROP INDEX impressions_by_visitor;
CREATE INDEX impressions_by_visitor ON impressions (site_id, visitor_id, survey_id, kind, created_at);

-- Impression rollups gain the flagged key (part of the primary key, so the table is rebuilt).
CREATE TABLE impression_rollups_flagged (
  site_id    TEXT NOT NULL,
  survey_id  TEXT NOT NULL,
  day        TEXT NOT NULL,
  checkpoint TEXT NOT NULL,
  segment    TEXT NOT NULL,
  flagged    INTEGER NOT NULL,            -- 0 or 1
  kind       TEXT NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (site_id, survey_id, day, checkpoint, segment, flagged, kind)
) WITHOUT ROWID;
INSERT INTO impression_rollups_flagged (site_id, survey_id, day, checkpoint, segment, flagged, kind, n)
  SELECT site_id, survey_id, day, checkpoint, segment, 0, kind, n FROM impression_rollups;
DROP TABLE impression_rollups;
ALTER TABLE impression_rollups_flagged RENAME TO impression_rollups;
