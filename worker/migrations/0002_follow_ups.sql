-- The closed loop: every unhappy answer opens a follow-up that a team must handle before it is due.
CREATE TABLE follow_ups (
  site_id     TEXT NOT NULL,
  response_id TEXT NOT NULL,
  survey_id   TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'resolved')),
  assignee    TEXT,
  notes       TEXT NOT NULL DEFAULT '[]',  -- JSON: [{ "at": ms, "text": "…" }]
  due_at      INTEGER NOT NULL,            -- ms since epoch: the answer's time plus the survey's SLA
  reminded_at INTEGER,                     -- when the overdue reminder went out (once)
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (site_id, response_id)
);
CREATE INDEX follow_ups_overdue ON follow_ups (due_at) WHERE status != 'resolved' AND reminded_at IS NULL;
CREATE INDEX follow_ups_by_status ON follow_ups (site_id, status, due_at);
