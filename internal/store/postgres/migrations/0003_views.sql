-- Popularity: a time-decayed view score per article (see store.DecayKey)
-- and, for a few hours only, which opaque client hashes viewed what, so
-- that reloads are not counted. No address or cookie is ever stored. The
-- PostgreSQL twin of sqlite/migrations/0003_views.sql (whose FTS
-- vocabulary table has no counterpart: the GIN index answers document
-- frequencies here).
CREATE TABLE article_views (
    article_id   bigint           PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    views        integer          NOT NULL DEFAULT 0,
    rank_key     double precision NOT NULL,
    last_view_at bigint           NOT NULL -- unix ms
);
CREATE INDEX article_views_rank ON article_views (rank_key DESC);

CREATE TABLE view_clients (
    article_id bigint NOT NULL,
    client     text   NOT NULL,
    seen_at    bigint NOT NULL, -- unix ms
    PRIMARY KEY (article_id, client)
);
CREATE INDEX view_clients_client ON view_clients (client, seen_at);
CREATE INDEX view_clients_seen ON view_clients (seen_at);
