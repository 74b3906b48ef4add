-- Sources to collect from, their collection state and the item URLs each
-- has announced (so that a poll only enqueues what is new).
CREATE TABLE sources (
    id                 INTEGER PRIMARY KEY,
    name               TEXT    NOT NULL DEFAULT '',
    url                TEXT    NOT NULL UNIQUE,
    kind               TEXT    NOT NULL DEFAULT '',
    language           TEXT    NOT NULL DEFAULT '',
    interval_ms        INTEGER NOT NULL DEFAULT 0,
    paused             INTEGER NOT NULL DEFAULT 0,
    state              TEXT    NOT NULL DEFAULT 'new',
    last_error         TEXT    NOT NULL DEFAULT '',
    last_polled_at     INTEGER NOT NULL DEFAULT 0, -- unix ms
    next_poll_at       INTEGER NOT NULL DEFAULT 0,
    failures           INTEGER NOT NULL DEFAULT 0,
    etag               TEXT    NOT NULL DEFAULT '',
    last_modified      TEXT    NOT NULL DEFAULT '',
    created_at         INTEGER NOT NULL,
    adaptive_ms        INTEGER NOT NULL DEFAULT 0,
    last_status        INTEGER NOT NULL DEFAULT 0,
    last_new_items     INTEGER NOT NULL DEFAULT 0,
    polls              INTEGER NOT NULL DEFAULT 0,
    not_modified       INTEGER NOT NULL DEFAULT 0,
    items_seen         INTEGER NOT NULL DEFAULT 0,
    websub_hub         TEXT    NOT NULL DEFAULT '',
    websub_topic       TEXT    NOT NULL DEFAULT '',
    websub_secret      TEXT    NOT NULL DEFAULT '',
    websub_state       TEXT    NOT NULL DEFAULT '',
    websub_lease_until INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sources_due ON sources (paused, next_poll_at);
CREATE INDEX sources_topic ON sources (websub_topic) WHERE websub_topic <> '';

CREATE TABLE source_items (
    source_id     INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    url           TEXT    NOT NULL,
    first_seen_at INTEGER NOT NULL,
    PRIMARY KEY (source_id, url)
) WITHOUT ROWID;
