package sqlite

import (
	"context"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/store"
)

// The full-text index's rowid is an article's search_key (migration
// 0007): the second it is listed under, shifted left by keyShift, plus
// the low keyShift bits of its id.
const (
	keyShift = 30
	keyMaxS  = 1<<(63-keyShift) - 1 // seconds the key holds either way
	keyMinS  = -1 << (63 - keyShift)
)

func keyTime(key int64) time.Time { return time.Unix(key>>keyShift, 0).UTC() }

// keyRange turns a search's date filter into a rowid range [lo, hi) of
// the index. SQLite's division truncates as Go's does, so the range
// holds every article in the filter; it holds no other when both bounds
// are whole seconds after 1970 (exact), else the caller checks sort_at.
func keyRange(since, until time.Time) (lo, hi int64, exact bool) {
	lo, hi, exact = math.MinInt64, math.MaxInt64, true
	if !since.IsZero() {
		ms := toMillis(since)
		if s := ms / 1000; s > keyMaxS {
			lo = math.MaxInt64
		} else if s > keyMinS {
			lo = s << keyShift
		}
		exact = ms > 0 && ms%1000 == 0
	}
	if !until.IsZero() {
		ms := toMillis(until)
		s := ms / 1000
		if ms%1000 != 0 || ms <= 0 {
			s, exact = s+1, false
		}
		if s <= keyMinS {
			hi = math.MinInt64
		} else if s <= keyMaxS {
			hi = s << keyShift
		}
	}
	return lo, hi, exact
}

// searchPlan is a search turned into index queries.
type searchPlan struct {
	words  []string // the reader's words, for snippets
	match  string   // words and filters, for finding
	lo, hi int64    // rowid range
	since  int64    // exact bounds in ms when the range is not exact, else 0
	until  int64
	// fast finds a superset of match's articles in one list of the
	// index, when match's last word is a prefix of more than five letters
	// (see verifiedWindow); empty otherwise.
	fast string
}

func newSearchPlan(q store.SearchQuery) (*searchPlan, bool) {
	match := ftsQuery(q.Text)
	if match == "" {
		return nil, false
	}
	p := &searchPlan{words: store.QueryWords(q.Text), match: match, fast: fastQuery(q.Text)}
	var tags string
	if q.Site != "" {
		tags += ` AND {tags}: "s` + hex.EncodeToString([]byte(q.Site)) + `"`
	}
	if q.Language != "" {
		tags += ` AND {tags}: "l` + hex.EncodeToString([]byte(q.Language)) + `"`
	}
	p.match += tags
	if p.fast != "" {
		p.fast += tags
	}
	var exact bool
	p.lo, p.hi, exact = keyRange(q.Since, q.Until)
	if !exact {
		p.since, p.until = math.MinInt64, math.MaxInt64
		if !q.Since.IsZero() {
			p.since = toMillis(q.Since)
		}
		if !q.Until.IsZero() {
			p.until = toMillis(q.Until)
		}
	}
	return p, true
}

// matches lists up to limit matches below the rowid before, newest first,
// after skipping offset, with their text relevance (see relevance).
func (s *Store) matches(ctx context.Context, p *searchPlan, before int64, limit, offset int) ([]store.SearchCandidate, error) {
	out, docs, _, _, err := s.candidates(ctx, p, p.match, false, before, limit, offset)
	if err != nil {
		return nil, err
	}
	rel := relevance(docs)
	for i := range out {
		out[i].Relevance = rel[i]
	}
	return out, nil
}

// verifiedWindow reads a search's window from its fast query, which also
// finds articles whose word only begins with the first five letters of
// the prefix: the index keeps the five-letter beginnings of words in one
// list in time order, where the whole prefix is a merge of the lists of
// every word that begins so, read whole whatever the page (seconds for a
// common beginning). Each candidate is checked here. It gives up (ok
// false) when fewer than one candidate in four holds the prefix, or
// after reading 4 × limit without finding limit: then the prefix is rare
// among the words that share its beginning, and the merge is cheap.
func (s *Store) verifiedWindow(ctx context.Context, p *searchPlan, limit int) (window []store.SearchCandidate, ok bool, err error) {
	var docs []termCounts
	before, read := int64(math.MaxInt64), 0
	for batch := limit; read < 4*limit; batch *= 2 {
		c, d, n, last, err := s.candidates(ctx, p, p.fast, true, before, batch, 0)
		if err != nil {
			return nil, false, err
		}
		window, docs, read = append(window, c...), append(docs, d...), read+n
		if len(window) >= limit || n < batch { // enough, or every candidate read
			window, docs = window[:min(limit, len(window))], docs[:min(limit, len(docs))]
			rel := relevance(docs)
			for i := range window {
				window[i].Relevance = rel[i]
			}
			return window, true, nil
		}
		if len(window)*4 < read { // at this rate more than 4 × limit to read
			return nil, false, nil
		}
		before = last
	}
	return nil, false, nil
}

// candidates reads up to limit of match's articles below the rowid
// before, newest first, after skipping offset, with what ranking needs;
// when verify is set it keeps only those that hold every word of the
// search. It also says how many it read, and the rowid of the last.
func (s *Store) candidates(ctx context.Context, p *searchPlan, match string, verify bool, before int64, limit, offset int) (out []store.SearchCandidate, docs []termCounts, n int, last int64, err error) {
	query := `SELECT f.rowid, a.title, a.text, a.search_trans FROM articles_fts f JOIN articles a ON a.search_key = f.rowid
		WHERE articles_fts MATCH ? AND f.rowid >= ? AND f.rowid < ?`
	args := []any{match, p.lo, min(p.hi, before)}
	if p.since != 0 || p.until != 0 {
		query += ` AND a.sort_at >= ? AND a.sort_at < ?`
		args = append(args, p.since, p.until)
	}
	rows, err := s.db.QueryContext(ctx, query+` ORDER BY f.rowid DESC LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, nil, 0, 0, err
	}
	defer rows.Close()
	tc := newTermCounter(p.words)
	for rows.Next() {
		var c store.SearchCandidate
		var title, text, trans string
		if err := rows.Scan(&c.ID, &title, &text, &trans); err != nil {
			return nil, nil, 0, 0, err
		}
		n, last = n+1, c.ID
		d := tc.counts(title, text, trans)
		if verify && !d.all() {
			continue
		}
		c.At = keyTime(c.ID)
		out, docs = append(out, c), append(docs, d)
	}
	return out, docs, n, last, rows.Err()
}

// Search implements store.ArticleStore. It reads the SearchWindow newest
// matches from the index in rowid (time) order, ranks them, and reads
// whole only the rows of the page asked for; past the window it pages on
// in time order. The window is the count: exact below it, "more" above.
func (s *Store) Search(ctx context.Context, q store.SearchQuery) ([]store.SearchHit, int, error) {
	p, ok := newSearchPlan(q)
	if !ok {
		return nil, 0, nil
	}
	limit, offset := store.Limit(q.Limit, 20, 100), max(q.Offset, 0)
	var err error
	fail := func(err error) ([]store.SearchHit, int, error) {
		return nil, 0, fmt.Errorf("sqlite: search %q: %w", q.Text, err)
	}
	var window []store.SearchCandidate
	ok = false
	if p.fast != "" {
		window, ok, err = s.verifiedWindow(ctx, p, store.SearchWindow+1)
		if err != nil {
			return fail(err)
		}
	}
	if !ok {
		if window, err = s.matches(ctx, p, math.MaxInt64, store.SearchWindow+1, 0); err != nil {
			return fail(err)
		}
	}
	total := min(len(window), store.SearchTotalCap+1)
	more := len(window) > store.SearchWindow
	window = window[:min(len(window), store.SearchWindow)]
	var oldest int64 = math.MaxInt64
	var newest time.Time
	if len(window) > 0 {
		oldest, newest = window[len(window)-1].ID, window[0].At
	}
	scores := store.RankCandidates(window)
	page, pageScores, skip, rest := store.SearchPage(window, scores, more, offset, limit)
	if rest > 0 {
		older, err := s.matches(ctx, p, oldest, rest, skip)
		if err != nil {
			return fail(err)
		}
		for _, c := range older {
			page, pageScores = append(page, c), append(pageScores, store.OlderScore(c, newest))
		}
	}
	hits, err := s.searchRows(ctx, p, page, pageScores)
	if err != nil {
		return fail(err)
	}
	return hits, total, nil
}

// searchRows reads the page's articles, in page order, with snippets
// made here: FTS5's snippet() reads every term's whole list of matches
// for each row it is asked of.
func (s *Store) searchRows(ctx context.Context, p *searchPlan, page []store.SearchCandidate, scores []float64) ([]store.SearchHit, error) {
	if len(page) == 0 {
		return nil, nil
	}
	args := make([]any, len(page))
	for i, c := range page {
		args[i] = c.ID
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+articleCols+`, a.search_key, a.search_trans FROM articles a
		WHERE a.search_key IN (?`+strings.Repeat(",?", len(page)-1)+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byKey := make(map[int64]store.SearchHit, len(page))
	for rows.Next() {
		var h store.SearchHit
		var key int64
		var trans string
		if err := scanArticle(rows, &h.Article, &key, &trans); err != nil {
			return nil, err
		}
		h.Snippet, h.Marks = store.Snippet(h.Article.Text, p.words, prefixLast(p.words), 24)
		if len(h.Marks) == 0 && trans != "" { // found through its translation: show where
			if snip, marks := store.Snippet(trans, p.words, prefixLast(p.words), 24); len(marks) > 0 {
				h.Snippet, h.Marks = snip, marks
			}
		}
		byKey[key] = h
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	hits := make([]store.SearchHit, 0, len(page))
	for i, c := range page {
		if h, ok := byKey[c.ID]; ok { // gone since the window was read: skipped
			h.Rank = scores[i]
			hits = append(hits, h)
		}
	}
	return hits, nil
}

// ftsQuery turns what a reader typed into a safe FTS5 query of the title,
// text and translation columns: every word becomes a quoted phrase (so
// FTS syntax such as NEAR( or a stray quote is just text), all words must
// match, and the last word may be a prefix (see prefixLast).
func ftsQuery(text string) string {
	words := store.QueryWords(text)
	if len(words) == 0 {
		return ""
	}
	prefix := prefixLast(words)
	for i, w := range words {
		words[i] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
	}
	if prefix {
		words[len(words)-1] += "*"
	}
	return `{title text trans}: (` + strings.Join(words, " ") + `)`
}

// fastQuery is ftsQuery with a prefix of more than five letters cut to
// its first five, which the index keeps (prefix = '5'); empty when the
// search has no such prefix.
func fastQuery(text string) string {
	words := store.QueryWords(text)
	if !prefixLast(words) || utf8.RuneCountInString(words[len(words)-1]) <= 5 {
		return ""
	}
	words[len(words)-1] = string([]rune(words[len(words)-1])[:5])
	return ftsQuery(strings.Join(words, " "))
}

// prefixLast reports whether the last of a search's words also matches as
// the beginning of longer words here: when it has three letters or more
// and ends in a letter. PostgreSQL's rule (store.PrefixLast) asks for
// five; each store keeps what its readers could always find.
func prefixLast(words []string) bool {
	if len(words) == 0 {
		return false
	}
	last := []rune(words[len(words)-1])
	return len(last) >= 3 && unicode.IsLetter(last[len(last)-1])
}
