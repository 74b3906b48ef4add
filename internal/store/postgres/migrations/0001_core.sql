-- Articles and their full-text index: the PostgreSQL twin of
-- sqlite/migrations/0001_core.sql. Columns, names and units are the same
-- (times are Unix milliseconds, 0 = unknown) so that `newsdesk copy` moves
-- rows unchanged and both stores give the same answers.
--
-- Full-text search: one text search configuration per article language,
-- each the built-in Snowball configuration with accents folded (unaccent)
-- before stemming, as SQLite's remove_diacritics does; 'simple' (no
-- stemming, accents folded) for languages without a stemmer. Needs
-- PostgreSQL 13 or later (unaccent is a trusted extension there).
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TEXT SEARCH CONFIGURATION newsdesk_simple (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION newsdesk_simple
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;

CREATE TEXT SEARCH CONFIGURATION newsdesk_arabic (COPY = arabic);
ALTER TEXT SEARCH CONFIGURATION newsdesk_arabic
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, arabic_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_armenian (COPY = armenian);
ALTER TEXT SEARCH CONFIGURATION newsdesk_armenian
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, armenian_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_basque (COPY = basque);
ALTER TEXT SEARCH CONFIGURATION newsdesk_basque
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, basque_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_catalan (COPY = catalan);
ALTER TEXT SEARCH CONFIGURATION newsdesk_catalan
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, catalan_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_danish (COPY = danish);
ALTER TEXT SEARCH CONFIGURATION newsdesk_danish
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, danish_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_dutch (COPY = dutch);
ALTER TEXT SEARCH CONFIGURATION newsdesk_dutch
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, dutch_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_english (COPY = english);
ALTER TEXT SEARCH CONFIGURATION newsdesk_english
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_finnish (COPY = finnish);
ALTER TEXT SEARCH CONFIGURATION newsdesk_finnish
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, finnish_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_french (COPY = french);
ALTER TEXT SEARCH CONFIGURATION newsdesk_french
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_german (COPY = german);
ALTER TEXT SEARCH CONFIGURATION newsdesk_german
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, german_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_greek (COPY = greek);
ALTER TEXT SEARCH CONFIGURATION newsdesk_greek
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, greek_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_hindi (COPY = hindi);
ALTER TEXT SEARCH CONFIGURATION newsdesk_hindi
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, hindi_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_hungarian (COPY = hungarian);
ALTER TEXT SEARCH CONFIGURATION newsdesk_hungarian
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, hungarian_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_indonesian (COPY = indonesian);
ALTER TEXT SEARCH CONFIGURATION newsdesk_indonesian
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, indonesian_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_irish (COPY = irish);
ALTER TEXT SEARCH CONFIGURATION newsdesk_irish
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, irish_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_italian (COPY = italian);
ALTER TEXT SEARCH CONFIGURATION newsdesk_italian
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, italian_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_lithuanian (COPY = lithuanian);
ALTER TEXT SEARCH CONFIGURATION newsdesk_lithuanian
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, lithuanian_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_nepali (COPY = nepali);
ALTER TEXT SEARCH CONFIGURATION newsdesk_nepali
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, nepali_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_norwegian (COPY = norwegian);
ALTER TEXT SEARCH CONFIGURATION newsdesk_norwegian
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, norwegian_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_portuguese (COPY = portuguese);
ALTER TEXT SEARCH CONFIGURATION newsdesk_portuguese
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, portuguese_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_romanian (COPY = romanian);
ALTER TEXT SEARCH CONFIGURATION newsdesk_romanian
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, romanian_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_russian (COPY = russian);
ALTER TEXT SEARCH CONFIGURATION newsdesk_russian
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, russian_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_serbian (COPY = serbian);
ALTER TEXT SEARCH CONFIGURATION newsdesk_serbian
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, serbian_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_spanish (COPY = spanish);
ALTER TEXT SEARCH CONFIGURATION newsdesk_spanish
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_swedish (COPY = swedish);
ALTER TEXT SEARCH CONFIGURATION newsdesk_swedish
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, swedish_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_tamil (COPY = tamil);
ALTER TEXT SEARCH CONFIGURATION newsdesk_tamil
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, tamil_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_turkish (COPY = turkish);
ALTER TEXT SEARCH CONFIGURATION newsdesk_turkish
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, turkish_stem;

CREATE TEXT SEARCH CONFIGURATION newsdesk_yiddish (COPY = yiddish);
ALTER TEXT SEARCH CONFIGURATION newsdesk_yiddish
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, yiddish_stem;


-- newsdesk_ts_config maps an article's BCP 47 language tag to its text
-- search configuration ("es-MX" -> Spanish; unknown -> simple).
CREATE FUNCTION newsdesk_ts_config(lang text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE lower(split_part(split_part(lang, '-', 1), '_', 1))
        WHEN 'ar' THEN 'newsdesk_arabic'::regconfig
        WHEN 'hy' THEN 'newsdesk_armenian'::regconfig
        WHEN 'eu' THEN 'newsdesk_basque'::regconfig
        WHEN 'ca' THEN 'newsdesk_catalan'::regconfig
        WHEN 'da' THEN 'newsdesk_danish'::regconfig
        WHEN 'nl' THEN 'newsdesk_dutch'::regconfig
        WHEN 'en' THEN 'newsdesk_english'::regconfig
        WHEN 'fi' THEN 'newsdesk_finnish'::regconfig
        WHEN 'fr' THEN 'newsdesk_french'::regconfig
        WHEN 'de' THEN 'newsdesk_german'::regconfig
        WHEN 'el' THEN 'newsdesk_greek'::regconfig
        WHEN 'hi' THEN 'newsdesk_hindi'::regconfig
        WHEN 'hu' THEN 'newsdesk_hungarian'::regconfig
        WHEN 'id' THEN 'newsdesk_indonesian'::regconfig
        WHEN 'ga' THEN 'newsdesk_irish'::regconfig
        WHEN 'it' THEN 'newsdesk_italian'::regconfig
        WHEN 'lt' THEN 'newsdesk_lithuanian'::regconfig
        WHEN 'ne' THEN 'newsdesk_nepali'::regconfig
        WHEN 'no' THEN 'newsdesk_norwegian'::regconfig
        WHEN 'pt' THEN 'newsdesk_portuguese'::regconfig
        WHEN 'ro' THEN 'newsdesk_romanian'::regconfig
        WHEN 'ru' THEN 'newsdesk_russian'::regconfig
        WHEN 'sr' THEN 'newsdesk_serbian'::regconfig
        WHEN 'es' THEN 'newsdesk_spanish'::regconfig
        WHEN 'sv' THEN 'newsdesk_swedish'::regconfig
        WHEN 'ta' THEN 'newsdesk_tamil'::regconfig
        WHEN 'tr' THEN 'newsdesk_turkish'::regconfig
        WHEN 'yi' THEN 'newsdesk_yiddish'::regconfig
        WHEN 'nb' THEN 'newsdesk_norwegian'::regconfig
        WHEN 'nn' THEN 'newsdesk_norwegian'::regconfig
        ELSE 'newsdesk_simple'::regconfig
    END
$$;

-- newsdesk_ts_configs lists every configuration articles are indexed in.
CREATE FUNCTION newsdesk_ts_configs() RETURNS regconfig[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ARRAY['newsdesk_simple'::regconfig, 'newsdesk_arabic', 'newsdesk_armenian', 'newsdesk_basque', 'newsdesk_catalan', 'newsdesk_danish', 'newsdesk_dutch', 'newsdesk_english', 'newsdesk_finnish', 'newsdesk_french', 'newsdesk_german', 'newsdesk_greek', 'newsdesk_hindi', 'newsdesk_hungarian', 'newsdesk_indonesian', 'newsdesk_irish', 'newsdesk_italian', 'newsdesk_lithuanian', 'newsdesk_nepali', 'newsdesk_norwegian', 'newsdesk_portuguese', 'newsdesk_romanian', 'newsdesk_russian', 'newsdesk_serbian', 'newsdesk_spanish', 'newsdesk_swedish', 'newsdesk_tamil', 'newsdesk_turkish', 'newsdesk_yiddish']::regconfig[]
$$;

-- newsdesk_tsquery parses a reader's search in one configuration: q is
-- the words (quoted to_tsquery operands joined by &, built by the store),
-- and prefix, when not empty, one more quoted word that matches by its
-- stem or as the beginning of a word (accents folded, not stemmed: a
-- stem's prefix would match far too much).
CREATE FUNCTION newsdesk_tsquery(cfg regconfig, q text, prefix text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN prefix = '' THEN to_tsquery(cfg, q)
        ELSE to_tsquery(cfg, q) && (to_tsquery(cfg, prefix) || to_tsquery('newsdesk_simple', prefix || ':*'))
    END
$$;

-- newsdesk_tsquery_any ORs the distinct parses of a search in every
-- configuration: the index condition that finds candidates in any
-- language. Each candidate is then checked against the search parsed in
-- its own language, so stems of one language never match words of another.
CREATE FUNCTION newsdesk_tsquery_any(q text, prefix text) RETURNS tsquery
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    cfg regconfig;
    one tsquery;
    seen text[] := '{}';
    acc tsquery;
BEGIN
    FOREACH cfg IN ARRAY newsdesk_ts_configs() LOOP
        one := newsdesk_tsquery(cfg, q, prefix);
        CONTINUE WHEN numnode(one) = 0 OR one::text = ANY (seen);
        seen := seen || one::text;
        acc := CASE WHEN acc IS NULL THEN one ELSE acc || one END;
    END LOOP;
    RETURN acc; -- NULL when no word gives a lexeme: matches nothing
END
$$;

CREATE TABLE articles (
    id            bigint  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    source_id     bigint  NOT NULL DEFAULT 0,
    url           text    NOT NULL UNIQUE,
    fetch_url     text    NOT NULL DEFAULT '',
    site_name     text    NOT NULL DEFAULT '',
    title         text    NOT NULL DEFAULT '',
    byline        text    NOT NULL DEFAULT '',
    published_at  bigint  NOT NULL DEFAULT 0, -- unix ms, 0 = unknown
    modified_at   bigint  NOT NULL DEFAULT 0,
    language      text    NOT NULL DEFAULT '',
    image         text    NOT NULL DEFAULT '',
    image_alt     text    NOT NULL DEFAULT '',
    description   text    NOT NULL DEFAULT '',
    body_html     text    NOT NULL DEFAULT '',
    text          text    NOT NULL DEFAULT '',
    content_hash  text    NOT NULL,
    fetched_at    bigint  NOT NULL DEFAULT 0,
    first_seen_at bigint  NOT NULL,
    updated_at    bigint  NOT NULL,
    -- sort_at orders listings: the published time when known and not in
    -- the future, else the first-seen time.
    sort_at       bigint  NOT NULL,
    -- Title weighs A, body B; each in the article's own language.
    tsv           tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector(newsdesk_ts_config(language), title), 'A') ||
        setweight(to_tsvector(newsdesk_ts_config(language), text), 'B')) STORED
);
CREATE INDEX articles_sort ON articles (sort_at DESC, id DESC);
CREATE INDEX articles_site ON articles (site_name, sort_at DESC);
CREATE INDEX articles_lang ON articles (language, sort_at DESC);
CREATE INDEX articles_source ON articles (source_id, sort_at DESC);
CREATE INDEX articles_tsv ON articles USING gin (tsv);
-- Keep the search vector in the row (long text and HTML go to TOAST
-- instead): every match reads it twice, to check and to rank.
ALTER TABLE articles ALTER COLUMN tsv SET STORAGE MAIN;
