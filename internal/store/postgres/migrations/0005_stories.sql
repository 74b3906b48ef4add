-- Stories (articles about one event, from the online clusterer) and
-- syndication groups (copies of one article, with the credited original).
-- The PostgreSQL twin of sqlite/migrations/0005_stories.sql.
CREATE TABLE stories (
    id          bigint PRIMARY KEY,            -- the clusterer's story id
    headline    text   NOT NULL DEFAULT '',
    summary     text   NOT NULL DEFAULT '',
    key_names   text   NOT NULL DEFAULT '[]',  -- JSON array, most named first
    merged_into bigint NOT NULL DEFAULT 0,     -- 0 = live; else the story it joined
    created_at  bigint NOT NULL,               -- unix ms
    updated_at  bigint NOT NULL
);

CREATE TABLE story_articles (
    article_id  bigint           PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story_id    bigint           NOT NULL REFERENCES stories (id),
    score       double precision NOT NULL DEFAULT 0,
    assigned_at bigint           NOT NULL
);
CREATE INDEX story_articles_story ON story_articles (story_id);

CREATE TABLE syndication (
    article_id bigint           PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    group_id   bigint           NOT NULL,
    of_article bigint           NOT NULL DEFAULT 0,
    overlap    double precision NOT NULL DEFAULT 0
);
CREATE INDEX syndication_group ON syndication (group_id);

CREATE TABLE syndication_groups (
    group_id    bigint PRIMARY KEY,
    original_id bigint NOT NULL,
    agency      text   NOT NULL DEFAULT '',
    why         text   NOT NULL DEFAULT '',
    updated_at  bigint NOT NULL
);
