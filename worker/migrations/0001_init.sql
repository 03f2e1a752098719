-- Sites, their surveys, the answers, and the rollups every stats query reads.

CREATE TABLE sites (
  id         TEXT PRIMARY KEY,            -- the public key, pk_…
  name       TEXT NOT NULL,
  token_hash TEXT NOT NULL,               -- SHA-256 (hex) of the operator token; the token itself is never stored
  timezone   TEXT NOT NULL DEFAULT 'UTC', -- days in rollups are counted in this zone
  updated_at INTEGER NOT NULL
);

-- One row per allowed origin, so a CORS preflight is one indexed lookup.
CREATE TABLE site_origins (
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  origin  TEXT NOT NULL,
  PRIMARY KEY (site_id, origin)
) WITHOUT ROWID;
CREATE INDEX site_origins_by_origin ON site_origins (origin);

CREATE TABLE surveys (
  site_id     TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  id          TEXT NOT NULL,
  type        TEXT NOT NULL CHECK (type IN ('nps', 'csat')),
  definition  TEXT NOT NULL,              -- JSON: question texts, checkpoints
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (site_id, id)
) WITHOUT ROWID;

CREATE TABLE responses (
  site_id    TEXT NOT NULL,
  id         TEXT NOT NULL,               -- made by the client; a repeat is ignored
  survey_id  TEXT NOT NULL,
  checkpoint TEXT NOT NULL DEFAULT '',
  segment    TEXT NOT NULL DEFAULT '',
  score      INTEGER NOT NULL,
  comment    TEXT,
  visitor_id TEXT,
  locale     TEXT,
  day        TEXT NOT NULL,               -- YYYY-MM-DD in the site's timezone
  created_at INTEGER NOT NULL,            -- ms since epoch
  PRIMARY KEY (site_id, id)
);
CREATE INDEX responses_by_survey_time ON responses (site_id, survey_id, created_at);

-- Kept in step with every insert, in the same batch: stats read these, never the raw rows.
CREATE TABLE rollups (
  site_id    TEXT NOT NULL,
  survey_id  TEXT NOT NULL,
  checkpoint TEXT NOT NULL,
  segment    TEXT NOT NULL,
  day        TEXT NOT NULL,
  score      INTEGER NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (site_id, survey_id, day, checkpoint, segment, score)
) WITHOUT ROWID;
