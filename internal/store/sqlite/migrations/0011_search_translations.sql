-- Translations are searched: the text of an article's translations
-- (title and text of each, whatever its status: a failed attempt keeps
-- the last good text) fills the trans column of the full-text index, so a
-- search in the reader's language finds the article through the same
-- index, in the same time order and at the same cost. The text is kept
-- in articles.search_trans, written by the triggers on
-- article_translations: the index's own triggers then delete an
-- article's row with exactly the values it was indexed with (an external
-- content index is corrupted by any other) and insert the new ones.
ALTER TABLE articles ADD COLUMN search_trans TEXT NOT NULL DEFAULT '';

DROP TRIGGER articles_ai;
DROP TRIGGER articles_ad;
DROP TRIGGER articles_au;
DROP VIEW articles_search;

CREATE VIEW articles_search AS
    SELECT search_key, title, text, 'l' || hex(language) || ' s' || hex(site_name) AS tags, search_trans AS trans
    FROM articles;

CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text, tags, trans)
        VALUES (new.search_key, new.title, new.text, 'l' || hex(new.language) || ' s' || hex(new.site_name), new.search_trans);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text, tags, trans)
        VALUES ('delete', old.search_key, old.title, old.text, 'l' || hex(old.language) || ' s' || hex(old.site_name), old.search_trans);
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, text, language, site_name, sort_at, search_trans ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text, tags, trans)
        VALUES ('delete', old.search_key, old.title, old.text, 'l' || hex(old.language) || ' s' || hex(old.site_name), old.search_trans);
    INSERT INTO articles_fts (rowid, title, text, tags, trans)
        VALUES (new.search_key, new.title, new.text, 'l' || hex(new.language) || ' s' || hex(new.site_name), new.search_trans);
END;

-- An article's search_trans is its translations' title and text in
-- order of language; SQLite has no stored functions, so each trigger
-- below repeats the one expression.
CREATE TRIGGER article_translations_search_ai AFTER INSERT ON article_translations BEGIN
    UPDATE articles SET search_trans = coalesce((SELECT group_concat(t.title || char(10) || t.body_text, char(10))
        FROM (SELECT title, body_text FROM article_translations WHERE article_id = new.article_id ORDER BY lang) t), '')
    WHERE id = new.article_id;
END;
CREATE TRIGGER article_translations_search_au AFTER UPDATE OF article_id, title, body_text ON article_translations BEGIN
    UPDATE articles SET search_trans = coalesce((SELECT group_concat(t.title || char(10) || t.body_text, char(10))
        FROM (SELECT title, body_text FROM article_translations WHERE article_id = new.article_id ORDER BY lang) t), '')
    WHERE id = new.article_id;
    UPDATE articles SET search_trans = coalesce((SELECT group_concat(t.title || char(10) || t.body_text, char(10))
        FROM (SELECT title, body_text FROM article_translations WHERE article_id = old.article_id ORDER BY lang) t), '')
    WHERE id = old.article_id AND old.article_id <> new.article_id;
END;
CREATE TRIGGER article_translations_search_ad AFTER DELETE ON article_translations BEGIN
    UPDATE articles SET search_trans = coalesce((SELECT group_concat(t.title || char(10) || t.body_text, char(10))
        FROM (SELECT title, body_text FROM article_translations WHERE article_id = old.article_id ORDER BY lang) t), '')
    WHERE id = old.article_id;
END;

-- Translations stored before this migration enter the index now.
UPDATE articles SET search_trans = coalesce((SELECT group_concat(t.title || char(10) || t.body_text, char(10))
    FROM (SELECT title, body_text FROM article_translations WHERE article_id = articles.id ORDER BY lang) t), '')
WHERE id IN (SELECT article_id FROM article_translations);
