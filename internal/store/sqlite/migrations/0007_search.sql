-- Search whose cost follows the page asked for. The full-text index is
-- keyed by time instead of by article id: its rowid is the article's
-- search_key, the second it is listed under (sort_at) times 2^30 plus the
-- low 30 bits of its id (seconds clamped to what 64 bits hold: years -270
-- to 2242). FTS5 walks a term's matches in rowid order, so
-- "the newest 1,000 matches" stop after 1,000 whatever the word, and a
-- date filter is a rowid range inside the index. Site and language ride
-- along as tokens of a third column (tags: "l" and "s" followed by the
-- value in hex, an exact and tokenizer-proof spelling), so those filters
-- are terms of the query too. Readers' words search title, text and
-- trans, the column kept for the text of the article's translations
-- (empty until translations are searched: then a search in the reader's
-- language shares this index, its time order and its cost). A search's
-- last word also matches as the beginning of a word; prefix = '5' keeps
-- the five-letter beginnings of words in the index, so such a search
-- walks one list of matches in time order instead of merging the lists
-- of every word that begins so.
DROP TRIGGER articles_ai;
DROP TRIGGER articles_ad;
DROP TRIGGER articles_au;
DROP TABLE articles_fts;

ALTER TABLE articles ADD COLUMN search_key INTEGER
    GENERATED ALWAYS AS (max(min(sort_at / 1000, 8589934591), -8589934592) * 1073741824 + (id & 1073741823)) VIRTUAL;
CREATE UNIQUE INDEX articles_search_key ON articles (search_key);

CREATE VIEW articles_search AS
    SELECT search_key, title, text, 'l' || hex(language) || ' s' || hex(site_name) AS tags, '' AS trans
    FROM articles;

CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text, tags, trans,
    content = 'articles_search', content_rowid = 'search_key',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '5'
);
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');

CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text, tags, trans)
        VALUES (new.search_key, new.title, new.text, 'l' || hex(new.language) || ' s' || hex(new.site_name), '');
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text, tags, trans)
        VALUES ('delete', old.search_key, old.title, old.text, 'l' || hex(old.language) || ' s' || hex(old.site_name), '');
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, text, language, site_name, sort_at ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text, tags, trans)
        VALUES ('delete', old.search_key, old.title, old.text, 'l' || hex(old.language) || ' s' || hex(old.site_name), '');
    INSERT INTO articles_fts (rowid, title, text, tags, trans)
        VALUES (new.search_key, new.title, new.text, 'l' || hex(new.language) || ' s' || hex(new.site_name), '');
END;
