-- Privacy (docs/privacy.md): dashboard sessions that signing out ends, the key each site's masked
-- user ids are tagged with, the indexes erasure and retention read by, and guards that keep rows
-- of a survey that is gone out of the tables that name surveys.

-- A signed-in operator's session, held here so that signing out (or a new operator token) ends
-- it: the cookie alone no longer opens the dashboard.
CREATE TABLE dashboard_sessions (
  id_hash      TEXT PRIMARY KEY,              -- SHA-256 (hex) of the session id in the cookie; the id itself is never stored
  site_id      TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  token_prefix TEXT NOT NULL,                 -- the start of the site's token hash at sign-in: a new token ends the session
  expires_at   INTEGER NOT NULL,
  created_at   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX dashboard_sessions_by_site ON dashboard_sessions (site_id, expires_at);

-- The key a site's masked user ids are tagged with (worker/src/pii.ts, maskUserId): random per
-- site, never shown, so a tag cannot be recomputed from a guessed email or phone number outside
-- the worker, and one person keeps one id. Every new site gets one, however it is inserted.
ALTER TABLE sites ADD COLUMN pseudonym_key TEXT;
UPDATE sites SET pseudonym_key = lower(hex(randomblob(32)));
CREATE TRIGGER sites_get_a_pseudonym_key AFTER INSERT ON sites WHEN NEW.pseudonym_key IS NULL
BEGIN
  UPDATE sites SET pseudonym_key = lower(hex(randomblob(32))) WHERE id = NEW.id;
END;

-- Erasure finds a person's survey links by user, and an answer's queued alerts by answer.
CREATE INDEX links_by_user ON links (site_id, user_id);
CREATE INDEX alert_outbox_by_response ON alert_outbox (site_id, response_id);

-- Retention (worker/src/retention.ts) walks only the rows that still hold text.
CREATE INDEX responses_with_comment ON responses (site_id, created_at) WHERE comment IS NOT NULL;
CREATE INDEX follow_ups_with_notes ON follow_ups (site_id, created_at) WHERE notes != '[]';

-- What foreign keys to surveys would do on insert, without rebuilding these tables: a row for a
-- survey that does not exist (deleted a moment ago, and still in another isolate's cache) is not
-- stored, so re-creating the survey cannot bring it back. The insert is skipped, not failed.
CREATE TRIGGER responses_need_their_survey BEFORE INSERT ON responses
WHEN NOT EXISTS (SELECT 1 FROM surveys WHERE site_id = NEW.site_id AND id = NEW.survey_id)
BEGIN
  SELECT RAISE(IGNORE);
END;
CREATE TRIGGER impressions_need_their_survey BEFORE INSERT ON impressions
WHEN NOT EXISTS (SELECT 1 FROM surveys WHERE site_id = NEW.site_id AND id = NEW.survey_id)
BEGIN
  SELECT RAISE(IGNORE);
END;
CREATE TRIGGER links_need_their_survey BEFORE INSERT ON links
WHEN NOT EXISTS (SELECT 1 FROM surveys WHERE site_id = NEW.site_id AND id = NEW.survey_id)
BEGIN
  SELECT RAISE(IGNORE);
END;
