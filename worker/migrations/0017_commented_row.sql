-- Hot issues' share is of the unhappy answers that came with a comment (worker/src/themes.ts).
-- The tag rollup counts them through a row every commented answer carries besides its tags,
-- tag '*commented' (COMMENTED in worker/src/response-tags.ts): ingest and re-tagging write it
-- from now on, and kept, like the tags, when retention erases the comment.

-- Answers whose comment retention erased keep their tags: they get the row here, with the
-- rollup in step (what each adds: 1 to its day, checkpoint, segment, flagged and score).
INSERT INTO tag_rollups (site_id, survey_id, day, checkpoint, segment, flagged, tag, score, n)
SELECT r.site_id, r.survey_id, r.day, r.checkpoint, r.segment, r.flags != '', '*commented', r.score, COUNT(*)
FROM responses r
WHERE r.comment IS NULL AND EXISTS (SELECT 1 FROM response_tags t WHERE t.site_id = r.site_id AND t.response_id = r.id)
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ON CONFLICT DO UPDATE SET n = n + excluded.n;

INSERT INTO response_tags (site_id, response_id, tag, position, survey_id, created_at)
SELECT r.site_id, r.id, '*commented', (SELECT COUNT(*) FROM response_tags t WHERE t.site_id = r.site_id AND t.response_id = r.id), r.survey_id, r.created_at
FROM responses r
WHERE r.comment IS NULL AND EXISTS (SELECT 1 FROM response_tags t WHERE t.site_id = r.site_id AND t.response_id = r.id);

-- Answers that still have their comment get it by re-tagging, in bounded batches, newest
-- first: a job for every site with comments, from the start (a job already running is
-- restarted), sent on by the next cron run. Until it ends, older periods count fewer commented
-- unhappy answers than they had (themes.tagging says how far it is).
INSERT INTO tag_jobs (site_id, requested_at, not_before, updated_at)
SELECT id, 0, 0, 0 FROM sites s WHERE EXISTS (SELECT 1 FROM responses r WHERE r.site_id = s.id AND r.comment IS NOT NULL)
ON CONFLICT (site_id) DO UPDATE SET requested_at = 0, not_before = 0, cursor_created_at = NULL, cursor_id = NULL, total = NULL, done = 0, changed = 0, updated_at = 0, finished_at = NULL;
