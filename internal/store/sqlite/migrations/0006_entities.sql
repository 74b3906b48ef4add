-- Enrichment: each article's people, organisations, places, quotes and
-- figures. The whole result is kept as JSON for the article page; entities
-- and quotes are also kept as rows, to find articles by entity, quotes by
-- speaker and the most-named entities over time.
CREATE TABLE article_enrichments (
    article_id  INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    language    TEXT    NOT NULL DEFAULT '',
    data        TEXT    NOT NULL, -- JSON: entities, quotes, figures
    enriched_at INTEGER NOT NULL  -- unix ms
);

-- The latest name and kind seen for each entity key.
CREATE TABLE entities (
    key        TEXT    PRIMARY KEY,
    kind       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE article_entities (
    entity_key TEXT    NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,
    name       TEXT    NOT NULL, -- as this article writes it
    roles      TEXT    NOT NULL DEFAULT '[]', -- JSON array
    mentions   INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (entity_key, article_id)
);
CREATE INDEX article_entities_article ON article_entities (article_id);

CREATE TABLE article_quotes (
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    speaker_key TEXT    NOT NULL DEFAULT '',
    speaker     TEXT    NOT NULL DEFAULT '',
    verb        TEXT    NOT NULL DEFAULT '',
    text        TEXT    NOT NULL,
    start_at    INTEGER NOT NULL, -- byte offsets in the article text
    end_at      INTEGER NOT NULL,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX article_quotes_speaker ON article_quotes (speaker_key, article_id);
