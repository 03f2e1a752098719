-- Key drivers: for each dimension and each score, how many ratings, their total and their sum of
-- squares, so the stats can compute the correlation of every rating with the score (and with
-- being a promoter or detractor) from rollups alone. Kept in step by worker/src/rollups.ts like
-- the other rollups; filled here from the answers already stored.
CREATE TABLE driver_rollups (
  site_id    TEXT NOT NULL,
  survey_id  TEXT NOT NULL,
  day        TEXT NOT NULL,
  checkpoint TEXT NOT NULL,
  segment    TEXT NOT NULL,
  flagged    INTEGER NOT NULL,            -- 0 or 1
  dimension  TEXT NOT NULL,
  score      INTEGER NOT NULL,            -- the answer's score
  n          INTEGER NOT NULL,            -- ratings of this dimension given with this score
  total      INTEGER NOT NULL,            -- their sum
  squares    INTEGER NOT NULL,            -- the sum of their squares
  PRIMARY KEY (site_id, survey_id, day, checkpoint, segment, flagged, dimension, score)
) WITHOUT ROWID;

INSERT INTO driver_rollups (site_id, survey_id, day, checkpoint, segment, flagged, dimension, score, n, total, squares)
SELECT r.site_id, r.survey_id, r.day, r.checkpoint, r.segment, r.flags != '', j.key, r.score, COUNT(*), SUM(j.value), SUM(j.value * j.value)
FROM responses r, json_each(r.dimensions) j
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

-- Stored days are counted in the site's timezone at the time of each answer and are never
-- re-bucketed. So that the stats can say from which day a new timezone applies, every change is
-- recorded here, whatever writes it: [{ "at": ms since epoch, "from": zone, "to": zone }, …].
ALTER TABLE sites ADD COLUMN timezone_changes TEXT NOT NULL DEFAULT '[]';

CREATE TRIGGER sites_timezone_changed AFTER UPDATE OF timezone ON sites
WHEN old.timezone IS NOT new.timezone
BEGIN
  UPDATE sites
  SET timezone_changes = json_insert(timezone_changes, '$[#]', json_object('at', new.updated_at, 'from', old.timezone, 'to', new.timezone))
  WHERE id = new.id;
END;
