-- Stories (articles about one event, from the online clusterer) and
-- syndication groups (copies of one article, with the credited original).
CREATE TABLE stories (
    id          INTEGER PRIMARY KEY,          -- the clusterer's story id
    headline    TEXT    NOT NULL DEFAULT '',
    summary     TEXT    NOT NULL DEFAULT '',
    key_names   TEXT    NOT NULL DEFAULT '[]', -- JSON array, most named first
    merged_into INTEGER NOT NULL DEFAULT 0,    -- 0 = live; else the story it joined
    created_at  INTEGER NOT NULL,              -- unix ms
    updated_at  INTEGER NOT NULL
);

CREATE TABLE story_articles (
    article_id  INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story_id    INTEGER NOT NULL REFERENCES stories (id),
    score       REAL    NOT NULL DEFAULT 0,
    assigned_at INTEGER NOT NULL
);
CREATE INDEX story_articles_story ON story_articles (story_id);

CREATE TABLE syndication (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    group_id   INTEGER NOT NULL,
    of_article INTEGER NOT NULL DEFAULT 0,
    overlap    REAL    NOT NULL DEFAULT 0
);
CREATE INDEX syndication_group ON syndication (group_id);

CREATE TABLE syndication_groups (
    group_id    INTEGER PRIMARY KEY,
    original_id INTEGER NOT NULL,
    agency      TEXT    NOT NULL DEFAULT '',
    why         TEXT    NOT NULL DEFAULT '',
    updated_at  INTEGER NOT NULL
);
