-- Sites, their surveys, answers and impressions, and the rollups every stats query reads.

CREATE TABLE sites (
  id         TEXT PRIMARY KEY,            -- the public key, pk_…
  name       TEXT NOT NULL,
  token_hash TEXT NOT NULL,               -- SHA-256 (hex) of the operator token; the token itself is never stored
  timezone   TEXT NOT NULL DEFAULT 'UTC', -- days in rollups are counted in this zone
  settings   TEXT NOT NULL DEFAULT '{}',  -- JSON: segments, capDays, respectGpc, maskPii
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
  type        TEXT NOT NULL CHECK (type IN ('nps', 'csat', 'ces')),
  definition  TEXT NOT NULL,              -- JSON: everything else about the survey (see worker/src/surveys.ts)
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (site_id, id)
) WITHOUT ROWID;

CREATE TABLE responses (
  site_id    TEXT NOT NULL,
  id         TEXT NOT NULL,               -- made by the client; a repeat never counts twice
  survey_id  TEXT NOT NULL,
  checkpoint TEXT NOT NULL DEFAULT '',
  segment    TEXT NOT NULL DEFAULT '',
  score      INTEGER NOT NULL,
  comment    TEXT,
  dimensions TEXT,                        -- JSON object: dimension id → 1…5
  visitor_id TEXT,
  user_id    TEXT,
  locale     TEXT,
  flags      TEXT NOT NULL DEFAULT '',    -- space-separated: fast, bot, repeat; flagged answers are left out of scores
  day        TEXT NOT NULL,               -- YYYY-MM-DD in the site's timezone
  created_at INTEGER NOT NULL,            -- ms since epoch
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, id)
);
CREATE INDEX responses_by_time ON responses (site_id, created_at DESC, id DESC);
CREATE INDEX responses_by_visitor ON responses (site_id, visitor_id, survey_id, created_at);
CREATE INDEX responses_by_user ON responses (site_id, user_id);

CREATE TABLE impressions (
  site_id    TEXT NOT NULL,
  id         TEXT NOT NULL,
  survey_id  TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('shown', 'dismissed')),
  checkpoint TEXT NOT NULL DEFAULT '',
  segment    TEXT NOT NULL DEFAULT '',
  visitor_id TEXT,
  day        TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, id)
);
CREATE INDEX impressions_by_visitor ON impressions (site_id, visitor_id);

-- The rollups are kept in step with every insert, update and erasure, in the same D1 batch:
-- stats read these, never the raw rows, so a query costs the same at 10 k answers as at 10 M.
CREATE TABLE score_rollups (
  site_id    TEXT NOT NULL,
  survey_id  TEXT NOT NULL,
  day        TEXT NOT NULL,
  checkpoint TEXT NOT NULL,
  segment    TEXT NOT NULL,
  flagged    INTEGER NOT NULL,            -- 0 or 1
  score      INTEGER NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (site_id, survey_id, day, checkpoint, segment, flagged, score)
) WITHOUT ROWID;

CREATE TABLE dimension_rollups (
  site_id    TEXT NOT NULL,
  survey_id  TEXT NOT NULL,
  day        TEXT NOT NULL,
  checkpoint TEXT NOT NULL,
  segment    TEXT NOT NULL,
  flagged    INTEGER NOT NULL,
  dimension  TEXT NOT NULL,
  n          INTEGER NOT NULL,
  total      INTEGER NOT NULL,            -- sum of the ratings; mean = total / n
  PRIMARY KEY (site_id, survey_id, day, checkpoint, segment, flagged, dimension)
) WITHOUT ROWID;

CREATE TABLE impression_rollups (
  site_id    TEXT NOT NULL,
  survey_id  TEXT NOT NULL,
  day        TEXT NOT NULL,
  checkpoint TEXT NOT NULL,
  segment    TEXT NOT NULL,
  kind       TEXT NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (site_id, survey_id, day, checkpoint, segment, kind)
) WITHOUT ROWID;
