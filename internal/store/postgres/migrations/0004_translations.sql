-- Machine translation: a cache of translated segments and each article's
-- translation per target language. The PostgreSQL twin of
-- sqlite/migrations/0004_translations.sql.
CREATE TABLE translation_cache (
    backend    text   NOT NULL,
    pair       text   NOT NULL, -- "es-en"
    hash       text   NOT NULL, -- of the source segment and what shapes its output
    value      text   NOT NULL, -- the translated segment (JSON)
    created_at bigint NOT NULL, -- unix ms
    PRIMARY KEY (backend, pair, hash)
);

CREATE TABLE article_translations (
    article_id      bigint  NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    lang            text    NOT NULL,
    source_lang     text    NOT NULL DEFAULT '',
    backend         text    NOT NULL DEFAULT '',
    engine          text    NOT NULL DEFAULT '',
    title           text    NOT NULL DEFAULT '',
    description     text    NOT NULL DEFAULT '',
    body_html       text    NOT NULL DEFAULT '',
    body_text       text    NOT NULL DEFAULT '',
    source_hash     text    NOT NULL DEFAULT '',
    status          text    NOT NULL, -- done, failed, pending
    error           text    NOT NULL DEFAULT '',
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at bigint  NOT NULL DEFAULT 0, -- unix ms
    translated_at   bigint  NOT NULL DEFAULT 0, -- unix ms
    updated_at      bigint  NOT NULL,
    PRIMARY KEY (article_id, lang)
);
CREATE INDEX article_translations_due ON article_translations (lang, status, next_attempt_at);
