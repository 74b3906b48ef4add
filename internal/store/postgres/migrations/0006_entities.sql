-- Enrichment: each article's people, organisations, places, quotes and
-- figures. The whole result is kept as JSON for the article page; entities
-- and quotes are also kept as rows, to find articles by entity, quotes by
-- speaker and the most-named entities over time. The PostgreSQL twin of
-- sqlite/migrations/0006_entities.sql.
CREATE TABLE article_enrichments (
    article_id  bigint PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    language    text    NOT NULL DEFAULT '',
    data        text    NOT NULL, -- JSON: entities, quotes, figures
    enriched_at bigint  NOT NULL  -- unix ms
);

-- The latest name and kind seen for each entity key.
CREATE TABLE entities (
    key        text    PRIMARY KEY,
    kind       text    NOT NULL,
    name       text    NOT NULL,
    updated_at bigint  NOT NULL
);

CREATE TABLE article_entities (
    entity_key text    NOT NULL,
    article_id bigint  NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind       text    NOT NULL,
    name       text    NOT NULL, -- as this article writes it
    roles      text    NOT NULL DEFAULT '[]', -- JSON array
    mentions   bigint  NOT NULL DEFAULT 1,
    PRIMARY KEY (entity_key, article_id)
);
CREATE INDEX article_entities_article ON article_entities (article_id);

CREATE TABLE article_quotes (
    article_id  bigint  NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq         bigint  NOT NULL,
    speaker_key text    NOT NULL DEFAULT '',
    speaker     text    NOT NULL DEFAULT '',
    verb        text    NOT NULL DEFAULT '',
    text        text    NOT NULL,
    start_at    bigint  NOT NULL, -- byte offsets in the article text
    end_at      bigint  NOT NULL,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX article_quotes_speaker ON article_quotes (speaker_key, article_id);
