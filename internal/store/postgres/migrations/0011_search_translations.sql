-- Translations are searched: the title (weight A) and text (B) of each
-- of an article's translations, parsed in the translation's own language,
-- are kept in the article's row (trans_tsv, with the translations'
-- languages in trans_langs; both NULL when it has none), written by the
-- trigger on article_translations. A search matches an article when the
-- original matches the search parsed in the article's language, or the
-- translations match it parsed in a translation's language. Kept in the
-- row rather than joined: a search's walk of articles_sort checks each row
-- as it comes, and the GIN index below gives the few translated matches of
-- a rare word beside articles_tsv's (a bitmap OR). A failed attempt keeps
-- the last good text (SaveTranslation), so its words stay searchable.
ALTER TABLE articles ADD COLUMN trans_tsv tsvector;
ALTER TABLE articles ADD COLUMN trans_langs text[];
ALTER TABLE articles ALTER COLUMN trans_tsv SET STORAGE MAIN;
CREATE INDEX articles_trans_tsv ON articles USING gin (trans_tsv) WHERE trans_tsv IS NOT NULL;

-- newsdesk_index_translations rewrites one article's trans_tsv and
-- trans_langs from its translations.
CREATE FUNCTION newsdesk_index_translations(aid bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v tsvector := '';
    langs text[];
    r record;
BEGIN
    FOR r IN SELECT lang, title, body_text FROM article_translations WHERE article_id = aid ORDER BY lang LOOP
        v := v || setweight(to_tsvector(newsdesk_ts_config(r.lang), r.title), 'A')
               || setweight(to_tsvector(newsdesk_ts_config(r.lang), r.body_text), 'B');
        langs := langs || r.lang;
    END LOOP;
    IF length(v) = 0 THEN
        v := NULL;
        langs := NULL;
    END IF;
    UPDATE articles SET trans_tsv = v, trans_langs = langs
    WHERE id = aid AND (trans_tsv::text, trans_langs) IS DISTINCT FROM (v::text, langs);
END
$$;

CREATE FUNCTION newsdesk_article_translations_search() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM newsdesk_index_translations(OLD.article_id);
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.article_id <> OLD.article_id) THEN
        PERFORM newsdesk_index_translations(NEW.article_id);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER article_translations_search AFTER INSERT OR DELETE OR UPDATE OF article_id, lang, title, body_text
    ON article_translations FOR EACH ROW EXECUTE FUNCTION newsdesk_article_translations_search();

-- newsdesk_search_matches is newsdesk_search_match (0007) for an article
-- and its translations: the original in its language, or the
-- translations in any of theirs. PL/pgSQL for the same reason: the
-- planner takes the call to keep a third of the rows.
CREATE FUNCTION newsdesk_search_matches(tsv tsvector, lang text, trans_tsv tsvector, trans_langs text[],
    cfgs regconfig[], tqs tsquery[]) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    l text;
BEGIN
    IF tsv @@ tqs[array_position(cfgs, newsdesk_ts_config(lang))] THEN
        RETURN true;
    END IF;
    IF trans_tsv IS NULL THEN
        RETURN false;
    END IF;
    FOREACH l IN ARRAY trans_langs LOOP
        IF trans_tsv @@ tqs[array_position(cfgs, newsdesk_ts_config(l))] THEN
            RETURN true;
        END IF;
    END LOOP;
    RETURN false;
END
$$;

-- Translations stored before this migration are searched from now.
SELECT newsdesk_index_translations(article_id) FROM (SELECT DISTINCT article_id FROM article_translations) t;

-- newsdesk_tsquery_any (0001) again, in another shape: per word, the OR
-- of its parses in every configuration, and the AND of those, instead of
-- the OR of the whole search parsed in each configuration. It finds the
-- same articles or more (each is then checked in its own language), and
-- names each lexeme once: GIN reads a term once per time the query names
-- it when it begins a prefix ('cholin':*, in every configuration's
-- parse), and such a term was the slowest part of the slowest searches.
-- A word that some configuration drops (a stop word) asks nothing of the
-- index. A search whose every word is so dropped is parsed as before.
CREATE OR REPLACE FUNCTION newsdesk_tsquery_any(q text, prefix text) RETURNS tsquery
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    cfg regconfig;
    w text;
    one tsquery;
    alts tsquery;
    seen text[];
    dropped boolean;
    acc tsquery;
BEGIN
    FOREACH w IN ARRAY string_to_array(q, ' & ') || CASE WHEN prefix = '' THEN '{}'::text[] ELSE ARRAY[prefix] END LOOP
        alts := NULL;
        seen := '{}';
        dropped := false;
        FOREACH cfg IN ARRAY newsdesk_ts_configs() LOOP
            one := to_tsquery(cfg, w);
            IF numnode(one) = 0 THEN
                dropped := true;
                CONTINUE;
            END IF;
            CONTINUE WHEN one::text = ANY (seen);
            seen := seen || one::text;
            alts := CASE WHEN alts IS NULL THEN one ELSE alts || one END;
        END LOOP;
        IF w = prefix THEN
            one := to_tsquery('newsdesk_simple', prefix || ':*');
            alts := CASE WHEN alts IS NULL THEN one ELSE alts || one END;
        ELSIF dropped OR alts IS NULL THEN
            CONTINUE;
        END IF;
        acc := CASE WHEN acc IS NULL THEN alts ELSE acc && alts END;
    END LOOP;
    IF acc IS NOT NULL THEN
        RETURN acc;
    END IF;
    seen := '{}';
    FOREACH cfg IN ARRAY newsdesk_ts_configs() LOOP
        one := newsdesk_tsquery(cfg, q, prefix);
        CONTINUE WHEN numnode(one) = 0 OR one::text = ANY (seen);
        seen := seen || one::text;
        acc := CASE WHEN acc IS NULL THEN one ELSE acc || one END;
    END LOOP;
    RETURN acc; -- NULL when no word gives a lexeme: matches nothing
END
$$;
