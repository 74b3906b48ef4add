-- Machine translation: a cache of translated segments keyed by backend,
-- language pair and segment hash, and each article's translation per target
-- language with its status (a failed one is retried later; the article is
-- published in its original language meanwhile).
CREATE TABLE translation_cache (
    backend    TEXT    NOT NULL,
    pair       TEXT    NOT NULL, -- "es-en"
    hash       TEXT    NOT NULL, -- of the source segment and what shapes its output
    value      TEXT    NOT NULL, -- the translated segment (JSON)
    created_at INTEGER NOT NULL, -- unix ms
    PRIMARY KEY (backend, pair, hash)
) WITHOUT ROWID;

CREATE TABLE article_translations (
    article_id      INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    lang            TEXT    NOT NULL,
    source_lang     TEXT    NOT NULL DEFAULT '',
    backend         TEXT    NOT NULL DEFAULT '',
    engine          TEXT    NOT NULL DEFAULT '',
    title           TEXT    NOT NULL DEFAULT '',
    description     TEXT    NOT NULL DEFAULT '',
    body_html       TEXT    NOT NULL DEFAULT '',
    body_text       TEXT    NOT NULL DEFAULT '',
    source_hash     TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL, -- done, failed, pending
    error           TEXT    NOT NULL DEFAULT '',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0, -- unix ms
    translated_at   INTEGER NOT NULL DEFAULT 0, -- unix ms
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (article_id, lang)
);
CREATE INDEX article_translations_due ON article_translations (lang, status, next_attempt_at);
