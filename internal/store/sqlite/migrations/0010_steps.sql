-- The later steps of each new or changed article (translate, enrich,
-- story), queued by triggers in the transaction that writes the article,
-- so that a process killed mid-way leaves its work recorded for the next;
-- and leases, which make the story step one process's job at a time.
CREATE TABLE article_steps (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    step       TEXT    NOT NULL, -- translate, enrich, story
    queued_at  INTEGER NOT NULL, -- unix ms
    PRIMARY KEY (article_id, step)
) WITHOUT ROWID;
CREATE INDEX article_steps_step ON article_steps (step, article_id);

CREATE TRIGGER articles_steps_ai AFTER INSERT ON articles BEGIN
    INSERT OR REPLACE INTO article_steps (article_id, step, queued_at) VALUES
        (new.id, 'translate', new.updated_at), (new.id, 'enrich', new.updated_at), (new.id, 'story', new.updated_at);
END;
CREATE TRIGGER articles_steps_au AFTER UPDATE OF content_hash ON articles
WHEN new.content_hash <> old.content_hash BEGIN
    INSERT OR REPLACE INTO article_steps (article_id, step, queued_at) VALUES
        (new.id, 'translate', new.updated_at), (new.id, 'enrich', new.updated_at), (new.id, 'story', new.updated_at);
END;

CREATE TABLE leases (
    name       TEXT    PRIMARY KEY,
    holder     TEXT    NOT NULL,
    expires_at INTEGER NOT NULL -- unix ms
);
