-- Comment tags, computed once by the worker's classifier (worker/src/tags/) and stored: when an
-- answer's comment is stored or changes (worker/src/response-tags.ts), and again, in batches,
-- after a site's tag rules change (worker/src/retagging.ts). The tag filter of the listing, the
-- CSV and the dashboard is a lookup in this table's indexes; themes read tag_rollups.

-- One row per tag of an answer's comment.
CREATE TABLE response_tags (
  site_id     TEXT NOT NULL,
  response_id TEXT NOT NULL,
  tag         TEXT NOT NULL,
  position    INTEGER NOT NULL,            -- 0, 1, …: the order a listing shows them in (the kind, then the topics)
  survey_id   TEXT NOT NULL,               -- the answer's survey, and
  created_at  INTEGER NOT NULL,            -- its time (neither ever changes): a listing's order, read from the index
  PRIMARY KEY (site_id, response_id, tag)
) WITHOUT ROWID;
CREATE INDEX response_tags_by_tag ON response_tags (site_id, tag, created_at DESC, response_id DESC);
CREATE INDEX response_tags_by_survey ON response_tags (site_id, survey_id, tag, created_at DESC, response_id DESC);

-- Answers per tag and score, kept in step by worker/src/rollups.ts like every rollup: per tag,
-- its count, its share of unhappy answers, the score of the answers that carry it, and how
-- these changed, at a cost that does not grow with the answers.
CREATE TABLE tag_rollups (
  site_id    TEXT NOT NULL,
  survey_id  TEXT NOT NULL,
  day        TEXT NOT NULL,
  checkpoint TEXT NOT NULL,
  segment    TEXT NOT NULL,
  flagged    INTEGER NOT NULL,            -- 0 or 1
  tag        TEXT NOT NULL,
  score      INTEGER NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (site_id, survey_id, day, checkpoint, segment, flagged, tag, score)
) WITHOUT ROWID;

-- The answers with a comment, newest first: what re-tagging walks through.
CREATE INDEX responses_commented ON responses (site_id, created_at DESC, id DESC) WHERE comment IS NOT NULL;

-- Re-tagging a site's comments after its rules changed: one row per site, newest answer first,
-- a batch at a time (a queue message each, the cron picking up a stalled one).
CREATE TABLE tag_jobs (
  site_id           TEXT PRIMARY KEY,
  requested_at      INTEGER NOT NULL,     -- when the rules changed: names this run of the job
  not_before        INTEGER NOT NULL,     -- no batch earlier: by then no isolate still holds the old rules
  cursor_created_at INTEGER,              -- the last answer re-tagged (created_at, id); NULL: none yet
  cursor_id         TEXT,
  total             INTEGER,              -- answers with a comment when the first batch ran
  done              INTEGER NOT NULL DEFAULT 0, -- answers re-tagged so far
  changed           INTEGER NOT NULL DEFAULT 0, -- of which the tags changed
  updated_at        INTEGER NOT NULL,     -- the last batch (a job idle for long is picked up by the cron)
  finished_at       INTEGER
);
CREATE INDEX tag_jobs_unfinished ON tag_jobs (updated_at) WHERE finished_at IS NULL;

-- The comments stored before this migration are tagged by the same job: one per site that has
-- any, started by the first cron run (tags need the classifier, which SQL does not have).
INSERT INTO tag_jobs (site_id, requested_at, not_before, updated_at)
SELECT id, 0, 0, 0 FROM sites s WHERE EXISTS (SELECT 1 FROM responses r WHERE r.site_id = s.id AND r.comment IS NOT NULL);
