-- The later steps of each new or changed article and the leases that make
-- the story step one process's job. The PostgreSQL twin of
-- sqlite/migrations/0010_steps.sql.
CREATE TABLE article_steps (
    article_id bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    step       text   NOT NULL,  -- translate, enrich, story
    queued_at  bigint NOT NULL,  -- unix ms
    PRIMARY KEY (article_id, step)
);
CREATE INDEX article_steps_step ON article_steps (step, article_id);

CREATE FUNCTION queue_article_steps() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO article_steps (article_id, step, queued_at)
    SELECT NEW.id, s, NEW.updated_at FROM unnest(ARRAY['translate', 'enrich', 'story']) AS s
    ON CONFLICT (article_id, step) DO UPDATE SET queued_at = EXCLUDED.queued_at;
    RETURN NULL;
END
$$;
CREATE TRIGGER articles_steps_ai AFTER INSERT ON articles
    FOR EACH ROW EXECUTE FUNCTION queue_article_steps();
CREATE TRIGGER articles_steps_au AFTER UPDATE OF content_hash ON articles
    FOR EACH ROW WHEN (NEW.content_hash IS DISTINCT FROM OLD.content_hash) EXECUTE FUNCTION queue_article_steps();

CREATE TABLE leases (
    name       text   PRIMARY KEY,
    holder     text   NOT NULL,
    expires_at bigint NOT NULL -- unix ms
);
