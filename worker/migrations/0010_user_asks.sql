-- When each identified user was last asked each survey, per channel: the worker's memory for
-- fatigue across devices and survey links (the SDK's own memory lives in one browser). A card
-- shown, an answer, and a survey link's page shown all count. `channel` is 'web' for the SDK
-- and 'link:<link id>' for a survey link, so reopening one's own link is never refused.
CREATE TABLE user_asks (
  site_id   TEXT NOT NULL,
  user_id   TEXT NOT NULL,
  survey_id TEXT NOT NULL,
  channel   TEXT NOT NULL,
  asked_at  INTEGER NOT NULL,              -- ms since epoch, the latest ask
  PRIMARY KEY (site_id, user_id, survey_id, channel)
) WITHOUT ROWID;
