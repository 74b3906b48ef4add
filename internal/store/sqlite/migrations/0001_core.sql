-- Articles and their full-text index.
CREATE TABLE articles (
    id            INTEGER PRIMARY KEY,
    source_id     INTEGER NOT NULL DEFAULT 0,
    url           TEXT    NOT NULL UNIQUE,
    fetch_url     TEXT    NOT NULL DEFAULT '',
    site_name     TEXT    NOT NULL DEFAULT '',
    title         TEXT    NOT NULL DEFAULT '',
    byline        TEXT    NOT NULL DEFAULT '',
    published_at  INTEGER NOT NULL DEFAULT 0, -- unix ms, 0 = unknown
    modified_at   INTEGER NOT NULL DEFAULT 0,
    language      TEXT    NOT NULL DEFAULT '',
    image         TEXT    NOT NULL DEFAULT '',
    image_alt     TEXT    NOT NULL DEFAULT '',
    description   TEXT    NOT NULL DEFAULT '',
    body_html     TEXT    NOT NULL DEFAULT '',
    text          TEXT    NOT NULL DEFAULT '',
    content_hash  TEXT    NOT NULL,
    fetched_at    INTEGER NOT NULL DEFAULT 0,
    first_seen_at INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    -- sort_at orders listings: the published time when known and not in
    -- the future, else the first-seen time.
    sort_at       INTEGER NOT NULL
);
CREATE INDEX articles_sort ON articles (sort_at DESC, id DESC);
CREATE INDEX articles_site ON articles (site_name, sort_at DESC);
CREATE INDEX articles_lang ON articles (language, sort_at DESC);
CREATE INDEX articles_source ON articles (source_id, sort_at DESC);

CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text,
    content = 'articles', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
