-- Who to call back: the order, ticket or delivery an answer is about (from the survey link, or
-- from the checkpoint prop the site names), beside the user id. Filled by ingest; shown in the
-- feed, alerts, the JSON listing and the CSV.
ALTER TABLE responses ADD COLUMN subject TEXT;
