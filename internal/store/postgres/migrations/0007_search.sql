-- Search reads the newest matches first: walking articles_sort (newest
-- first) and checking each row when a word is common, or taking a rare
-- word's few matches from the GIN index and sorting them. The planner
-- chooses between the two by how many rows it expects to match, so the
-- check that a candidate matches in its own language must not look
-- selective: written as an operator (tsv @@ a tsquery that is not a
-- constant) it is taken to keep one row in 200, and the planner then
-- sorts 100,000 matches of a common word to keep 1,000. As a call to this
-- function (not inlined: PL/pgSQL) it is taken to keep a third.
CREATE FUNCTION newsdesk_search_match(tsv tsvector, lang text, cfgs regconfig[], tqs tsquery[]) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RETURN tsv @@ tqs[array_position(cfgs, newsdesk_ts_config(lang))];
END
$$;
