-- Survey links for email, SMS and app push: each carries who and what it is about.
CREATE TABLE links (
  site_id     TEXT NOT NULL,
  id          TEXT NOT NULL,               -- random; the token is this id, its expiry and a signature
  survey_id   TEXT NOT NULL,
  user_id     TEXT,
  subject     TEXT,                        -- the order, ticket or delivery it is about
  segment     TEXT,
  checkpoint  TEXT,
  locale      TEXT,
  expires_at  INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (site_id, id)
);
CREATE UNIQUE INDEX links_by_id ON links (id);
