-- Popularity: a time-decayed view score per article (see store.DecayKey)
-- and, for a few hours only, which opaque client hashes viewed what, so
-- that reloads are not counted. No address or cookie is ever stored.
CREATE TABLE article_views (
    article_id   INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    views        INTEGER NOT NULL DEFAULT 0,
    rank_key     REAL    NOT NULL,
    last_view_at INTEGER NOT NULL -- unix ms
);
CREATE INDEX article_views_rank ON article_views (rank_key DESC);

CREATE TABLE view_clients (
    article_id INTEGER NOT NULL,
    client     TEXT    NOT NULL,
    seen_at    INTEGER NOT NULL, -- unix ms
    PRIMARY KEY (article_id, client)
) WITHOUT ROWID;
CREATE INDEX view_clients_client ON view_clients (client, seen_at);
CREATE INDEX view_clients_seen ON view_clients (seen_at);

-- Document frequencies of indexed terms, for picking the words that make
-- an article distinctive when looking for related coverage.
CREATE VIRTUAL TABLE articles_vocab USING fts5vocab (articles_fts, 'row');
