package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsdesk/newsdesk/internal/store"
)

// Snippet markers: private-use characters that cannot come from a page
// (the extractor's text is ours), so matches can be found and escaped
// safely. The same as store/sqlite's.
const markOpen, markClose = "\uE000", "\uE001"

// headlineOptions make ts_headline give one passage of about 24 words
// from the body, matches between the markers.
const headlineOptions = `StartSel=` + markOpen + `, StopSel=` + markClose +
	`, MaxWords=24, MinWords=12, ShortWord=2, MaxFragments=1, FragmentDelimiter=" … "`

// A search is parsed in every language (newsdesk_tsquery_any): the
// index condition that finds candidates whatever their language. Each
// candidate is then matched and ranked with the search parsed in its own
// language, looked up in l (parsed once per language, not per row), so a
// stem of one language never matches a word of another. Ranking weighs a
// title match 8 times a body match, as SQLite's bm25(8, 1) does.
const searchWith = `WITH l AS MATERIALIZED (
		SELECT array_agg(c.cfg ORDER BY c.n) AS cfgs, array_agg(newsdesk_tsquery(c.cfg, $1, $2) ORDER BY c.n) AS tqs
		FROM unnest(newsdesk_ts_configs()) WITH ORDINALITY AS c(cfg, n))`

// searchLang is the position in l of a candidate's language, transLang
// that of its first translation's.
const (
	searchLang = `array_position(l.cfgs, newsdesk_ts_config(a.language))`
	transLang  = `array_position(l.cfgs, newsdesk_ts_config(a.trans_langs[1]))`
)

// searchRank is a candidate's text relevance: ts_rank of the original or
// of its translations, whichever matches better.
const searchRank = `greatest(ts_rank('{0.1, 0.2, 0.125, 1.0}', a.tsv, l.tqs[` + searchLang + `], 1),
	CASE WHEN a.trans_tsv IS NULL THEN 0 ELSE ts_rank('{0.1, 0.2, 0.125, 1.0}', a.trans_tsv, l.tqs[` + transLang + `], 1) END)`

// searchFind is the index condition for candidates (the search in any
// language, $q, in the original or a translation), searchCheck the check
// of each in its own languages.
func searchFind(q string) string {
	return `(a.tsv @@ ` + q + ` OR a.trans_tsv @@ ` + q + `)`
}

const searchCheck = `newsdesk_search_matches(a.tsv, a.language, a.trans_tsv, a.trans_langs, l.cfgs, l.tqs)`

// Search implements store.ArticleStore. It reads the SearchWindow newest
// matches (newest first by sort_at, from the index that orders them or,
// for a rare word, from the GIN index's few matches), ranks them, and
// reads whole only the rows of the page asked for; past the window it
// pages on in time order. The window is the count: exact below it,
// "more" above. Statements are planned for their arguments each time
// (QueryExecModeExec, an unnamed statement): a plan made for an unknown
// query would take the commonest word for a rare one, or the reverse.
func (s *Store) Search(ctx context.Context, q store.SearchQuery) ([]store.SearchHit, int, error) {
	words, prefix := tsQuery(q.Text)
	if words == "" && prefix == "" {
		return nil, 0, nil
	}
	limit, offset := store.Limit(q.Limit, 20, 100), max(q.Offset, 0)
	fail := func(err error) ([]store.SearchHit, int, error) {
		return nil, 0, fmt.Errorf("postgres: search %q: %w", q.Text, err)
	}
	// One read-only transaction: the page is read in the window's
	// snapshot, and the settings below hold for the search only. A
	// search's cost is a few thousand rows at most: neither compiling
	// its plan (JIT) nor starting parallel workers pays on that scale.
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0`, pgx.QueryExecModeSimpleProtocol); err != nil {
		return fail(err)
	}
	path, err := chooseSearchPath(ctx, tx, words, prefix)
	if err != nil {
		return fail(err)
	}
	set := setIndex
	if path.walk > 0 {
		set = setWalk
	}
	if _, err := tx.Exec(ctx, set, pgx.QueryExecModeSimpleProtocol); err != nil {
		return fail(err)
	}
	window, err := searchMatches(ctx, tx, words, prefix, q, nil, path.walk, path.wordsOnly, store.SearchWindow+1, 0)
	if err != nil {
		return fail(err)
	}
	// A filtered search may have walked every article its filters keep:
	// then the walk's matches are all there are.
	whole := false
	if path.walk > 0 && len(window) <= store.SearchWindow && (q.Site != "" || q.Language != "" || !q.Since.IsZero() || !q.Until.IsZero()) {
		if whole, err = walkedAll(ctx, tx, q, path.walk); err != nil {
			return fail(err)
		}
	}
	if longer := path.longerWalk(len(window)); longer > 0 && !whole {
		if window, err = searchMatches(ctx, tx, words, prefix, q, nil, longer, path.wordsOnly, store.SearchWindow+1, 0); err != nil {
			return fail(err)
		}
	}
	if path.walk > 0 && len(window) <= store.SearchWindow && !whole {
		if _, err := tx.Exec(ctx, setIndex, pgx.QueryExecModeSimpleProtocol); err != nil {
			return fail(err)
		}
		if window, err = searchMatches(ctx, tx, words, prefix, q, nil, 0, path.wordsOnly, store.SearchWindow+1, 0); err != nil {
			return fail(err)
		}
	}
	total := min(len(window), store.SearchTotalCap+1)
	more := len(window) > store.SearchWindow
	window = window[:min(len(window), store.SearchWindow)]
	var oldest *store.SearchCandidate
	var newest time.Time
	if len(window) > 0 {
		last := window[len(window)-1]
		oldest, newest = &last, window[0].At
	}
	scores := store.RankCandidates(window)
	page, pageScores, skip, rest := store.SearchPage(window, scores, more, offset, limit)
	if rest > 0 {
		older, err := searchMatches(ctx, tx, words, prefix, q, oldest, 0, path.wordsOnly, rest, skip)
		if err != nil {
			return fail(err)
		}
		for _, c := range older {
			page, pageScores = append(page, c), append(pageScores, store.OlderScore(c, newest))
		}
	}
	hits, err := searchRows(ctx, tx, words, prefix, page, pageScores)
	if err != nil {
		return fail(err)
	}
	return hits, total, nil
}

// How a search finds its window. Walking articles_sort newest first and
// checking each row costs the rows walked, about SearchWindow times the
// articles over the matches; reading the GIN index costs the matches,
// sorted. A search walks when the planner's estimate of its matches
// (its words taken as whole words) is above sqrt(SearchWindow ×
// articles), for at most four times the rows that should fill the
// window, and reads the index when the walk did not fill it. Not the
// planner's own choice: it guesses that a prefix (a search's last word,
// 'word':*) matches a few percent of all articles whatever the word,
// and a rare word then walked the whole table. A search with a prefix
// that the estimate calls rare walks 8 × SearchWindow rows first: the
// prefix may begin common words.
const (
	setWalk  = `SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = on`
	setIndex = `SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = on`
)

// searchPath says how a search reads its window: from the GIN index
// (walk 0), or walking at most walk newest articles first.
type searchPath struct {
	walk int
	// articles is the planner's count of articles (pg_class.reltuples).
	articles float64
	// wordsOnly asks the GIN index for the search's words without its
	// prefix: they are few (see searchMatches).
	wordsOnly bool
}

func chooseSearchPath(ctx context.Context, tx pgx.Tx, words, prefix string) (searchPath, error) {
	var total float64
	if err := tx.QueryRow(ctx, `SELECT reltuples FROM pg_class WHERE oid = 'articles'::regclass`).Scan(&total); err != nil {
		return searchPath{}, err
	}
	whole := strings.TrimPrefix(words+" & "+prefix, " & ")
	if prefix == "" {
		whole = words
	}
	matches, err := estimate(ctx, tx, whole)
	if err != nil {
		return searchPath{}, err
	}
	w := float64(store.SearchWindow)
	wordsOnly := false
	if words != "" && prefix != "" {
		n, err := estimate(ctx, tx, words)
		if err != nil {
			return searchPath{}, err
		}
		wordsOnly = n <= 20*w
	}
	switch {
	case w*total < matches*matches:
		// The walk should fill the window after w×total/matches rows; it
		// stops at four times that, in case the estimate was high.
		return searchPath{walk: int(min(max(4*w*total/matches, 8*w), 1e9)), wordsOnly: wordsOnly, articles: total}, nil
	case wordsOnly:
		return searchPath{wordsOnly: true}, nil
	case prefix != "":
		return searchPath{walk: 8 * store.SearchWindow, articles: total}, nil
	}
	return searchPath{}, nil
}

// longerWalk says how many rows to walk again when a walk found found
// matches but did not fill the window (0: read the GIN index instead).
// The walk's own hit rate is a better estimate than the planner's: one
// match in r rows asks for about r × SearchWindow rows to fill the window,
// each a row check (about 6 µs at 1,000,000 articles), where the index
// reads every match, articles/r of them, each a heap fetch and a recheck
// (about 5 times a row check). So the walk goes on while r² <
// 5 × articles / SearchWindow, for twice the rows that rate needs.
func (p searchPath) longerWalk(found int) int {
	if p.walk == 0 || found == 0 || found > store.SearchWindow {
		return 0
	}
	r := float64(p.walk) / float64(found)
	if r*r >= 5*p.articles/store.SearchWindow {
		return 0
	}
	return int(min(2*r*(store.SearchWindow+1), p.articles+1))
}

// walkedAll reports whether a filtered search's walk of walk rows saw
// every article its filters keep (fewer are kept than it walked).
func walkedAll(ctx context.Context, tx pgx.Tx, q store.SearchQuery, walk int) (bool, error) {
	w := newFilter(nil, 0, q.Site, q.Language, q.Since, q.Until)
	cond := w.where()
	lim := w.next()
	w.args = append(w.args, walk)
	var n int
	err := tx.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM articles a WHERE true`+cond+` LIMIT `+lim+`) x`,
		append([]any{pgx.QueryExecModeExec}, w.args...)...).Scan(&n)
	return n < walk, err
}

// estimate is the planner's estimate of the articles that hold the words
// (to_tsquery operands joined by &) in any language.
func estimate(ctx context.Context, tx pgx.Tx, words string) (float64, error) {
	var plan []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		} `json:"Plan"`
	}
	err := tx.QueryRow(ctx, `EXPLAIN (FORMAT JSON) SELECT 1 FROM articles WHERE tsv @@ newsdesk_tsquery_any($1, '')`,
		pgx.QueryExecModeExec, words).Scan(&plan)
	if err != nil || len(plan) != 1 {
		return 0, err
	}
	return plan[0].Plan.Rows, nil
}

// searchMatches lists up to limit matches older than before (all when
// nil), newest first, after skipping offset, with their text relevance;
// among the walkLimit newest articles only, when not 0.
func searchMatches(ctx context.Context, tx pgx.Tx, words, prefix string, q store.SearchQuery, before *store.SearchCandidate, walkLimit int, wordsOnly bool, limit, offset int) ([]store.SearchCandidate, error) {
	w := newFilter([]any{words, prefix}, 0, q.Site, q.Language, q.Since, q.Until)
	if before != nil {
		w.args = append(w.args, toMillis(before.At), before.ID)
		w.conds = append(w.conds, fmt.Sprintf("(a.sort_at, a.id) < ($%d, $%d)", len(w.args)-1, len(w.args)))
	}
	cond := w.where()
	// A prefix that begins common words costs the GIN index a bitmap of
	// all their matches: when the other words are few, the index is asked
	// for those, and the row check does the rest.
	anyPrefix := `$2`
	if walkLimit == 0 && wordsOnly {
		anyPrefix = `''`
	}
	find := searchFind(`newsdesk_tsquery_any($1, ` + anyPrefix + `)`)
	var query string
	if walkLimit > 0 {
		walk := w.next()
		w.args = append(w.args, walkLimit)
		query = `SELECT a.id, a.sort_at, ` + searchRank + `
		FROM (SELECT * FROM articles a WHERE true` + cond + ` ORDER BY a.sort_at DESC, a.id DESC LIMIT ` + walk + `) a CROSS JOIN l
		WHERE ` + find + ` AND ` + searchCheck + `
		ORDER BY a.sort_at DESC, a.id DESC`
	} else {
		// From the GIN index: its matches (the index condition and the
		// filters) are sorted narrow, by time with their row addresses,
		// and only then is each row fetched again by address, checked in
		// its languages and ranked, newest first, until the page is full:
		// a word of tens of thousands of matches checks and ranks about a
		// window's rows, not all of them, and sorts no wide rows.
		query = `SELECT a.id, a.sort_at, ` + searchRank + `
		FROM (SELECT a.ctid AS row, a.id, a.sort_at FROM articles a WHERE ` + find + cond + `
			ORDER BY a.sort_at DESC, a.id DESC OFFSET 0) c
		CROSS JOIN l CROSS JOIN LATERAL (SELECT * FROM articles a WHERE a.ctid = c.row) a
		WHERE ` + searchCheck + `
		ORDER BY c.sort_at DESC, c.id DESC`
	}
	lim := w.next()
	w.args = append(w.args, limit)
	off := w.next()
	w.args = append(w.args, offset)
	rows, err := tx.Query(ctx, searchWith+`
		`+query+` LIMIT `+lim+` OFFSET `+off, append([]any{pgx.QueryExecModeExec}, w.args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.SearchCandidate
	for rows.Next() {
		var c store.SearchCandidate
		var at int64
		var rank float32
		if err := rows.Scan(&c.ID, &at, &rank); err != nil {
			return nil, err
		}
		c.At, c.Relevance = fromMillis(at), float64(rank)
		out = append(out, c)
	}
	return out, rows.Err()
}

// searchRows reads the page's articles with their headlines, in page
// order.
func searchRows(ctx context.Context, tx pgx.Tx, words, prefix string, page []store.SearchCandidate, scores []float64) ([]store.SearchHit, error) {
	if len(page) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(page))
	for i, c := range page {
		ids[i] = c.ID
	}
	rows, err := tx.Query(ctx, searchWith+`
		SELECT `+articleCols+`, CASE WHEN a.trans_tsv IS NULL OR a.tsv @@ l.tqs[`+searchLang+`]
			THEN ts_headline(l.cfgs[`+searchLang+`], a.text, l.tqs[`+searchLang+`], '`+headlineOptions+`')
			ELSE (SELECT ts_headline(l.cfgs[p], t.body_text, l.tqs[p], '`+headlineOptions+`')
				FROM article_translations t, array_position(l.cfgs, newsdesk_ts_config(t.lang)) p
				WHERE t.article_id = a.id ORDER BY to_tsvector(l.cfgs[p], t.title || ' ' || t.body_text) @@ l.tqs[p] DESC, t.lang LIMIT 1) END
		FROM articles a CROSS JOIN l WHERE a.id = ANY ($3)`, words, prefix, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := make(map[int64]store.SearchHit, len(page))
	for rows.Next() {
		var h store.SearchHit
		var snip string
		if err := scanArticle(rows, &h.Article, &snip); err != nil {
			return nil, err
		}
		h.Snippet, h.Marks = store.SplitMarks(snip, markOpen, markClose)
		byID[h.Article.ID] = h
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	hits := make([]store.SearchHit, 0, len(page))
	for i, c := range page {
		if h, ok := byID[c.ID]; ok { // gone since the window was read: skipped
			h.Rank = scores[i]
			hits = append(hits, h)
		}
	}
	return hits, nil
}
