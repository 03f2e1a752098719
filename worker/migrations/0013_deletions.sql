-- Deleting a site or a survey in bounded chunks (worker/src/deletions.ts): the request removes
-- what makes it reachable and records the deletion here; queue messages (and the cron, for one
-- whose message was lost) delete the rest a chunk at a time, each chunk one transaction, and the
-- last one removes this row. While it is here, the same id cannot be created again.

CREATE TABLE deletions (
  site_id    TEXT NOT NULL,
  survey_id  TEXT,                        -- the survey deleted; NULL: the whole site
  token_hash TEXT,                        -- a site's deletion: the hash of its operator token, so its operator can still ask how far it got
  started_at INTEGER NOT NULL,            -- ms since epoch; names this deletion (a chunk checks it is still the one it works for)
  cursor     TEXT,                        -- a survey's deletion: JSON, per table, the key of the last row of the site walked, or "done"; NULL: none walked yet
  removed    INTEGER NOT NULL DEFAULT 0,  -- rows removed so far (answers, impressions, links, rollup rows…; what hangs off an answer goes with it uncounted)
  updated_at INTEGER NOT NULL             -- the last chunk: a deletion idle for long lost its message, and the cron sends another
);
CREATE UNIQUE INDEX deletions_once ON deletions (site_id, ifnull(survey_id, ''));

-- Nothing re-creates a site or a survey while its deletion runs, whatever checks a route made
-- before (a PUT racing the DELETE): the chunks would take the new rows with the old.
CREATE TRIGGER sites_wait_for_their_deletion BEFORE INSERT ON sites
WHEN EXISTS (SELECT 1 FROM deletions WHERE site_id = NEW.id AND survey_id IS NULL)
BEGIN
  SELECT RAISE(ABORT, 'hearken: this site is being deleted');
END;
CREATE TRIGGER surveys_wait_for_their_deletion BEFORE INSERT ON surveys
WHEN EXISTS (SELECT 1 FROM deletions WHERE site_id = NEW.site_id AND (survey_id IS NULL OR survey_id = NEW.id))
BEGIN
  SELECT RAISE(ABORT, 'hearken: this survey is being deleted');
END;

-- As migration 0008 does for answers, impressions and links: an isolate whose cache still holds a
-- deleted survey (up to 15 s) records no fatigue for it, so no row of it is left behind the chunks.
CREATE TRIGGER user_asks_need_their_survey BEFORE INSERT ON user_asks
WHEN NOT EXISTS (SELECT 1 FROM surveys WHERE site_id = NEW.site_id AND id = NEW.survey_id)
BEGIN
  SELECT RAISE(IGNORE);
END;
