package sqlite

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

var (
	_ store.RelatedStore = (*Store)(nil)
	_ store.FacetStore   = (*Store)(nil)
)

// RelatedWindow is how far before or after an article related coverage
// may have been published.
const RelatedWindow = 7 * 24 * time.Hour

const (
	relatedTerms    = 10 // distinctive words asked of the index
	relatedMinShare = 2  // of which a candidate must contain at least this many
)

// Related implements store.RelatedStore. It picks the article's most
// distinctive words (frequent in it, rare in the index: tf·idf over the
// FTS vocabulary), asks the index for articles with any of them near the
// article's date, and keeps those whose tf·idf vectors are close enough
// (cosine similarity), most similar first.
func (s *Store) Related(ctx context.Context, a *news.Article, limit int) ([]news.Article, error) {
	limit = store.Limit(limit, 5, 50)
	tf := topTerms(store.TermFreqs(a.Title, a.Text), relatedVector)
	if len(tf) == 0 {
		return nil, nil
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM articles`).Scan(&total); err != nil {
		return nil, fmt.Errorf("sqlite: related: %w", err)
	}
	df, err := s.docFreqs(ctx, keys(tf))
	if err != nil {
		return nil, err
	}
	idf := func(t string) float64 {
		d := max(df[t], 1)
		if total >= 20 && d*2 > total {
			return 0 // in most articles: says nothing
		}
		return math.Log(float64(total+1) / float64(d))
	}
	type scored struct {
		term  string
		score float64
	}
	var terms []scored
	for t, f := range tf {
		if df[t] > 1 && idf(t) > 0 {
			terms = append(terms, scored{t, f * idf(t)})
		}
	}
	sort.Slice(terms, func(i, j int) bool {
		if terms[i].score != terms[j].score {
			return terms[i].score > terms[j].score
		}
		return terms[i].term < terms[j].term
	})
	if len(terms) > relatedTerms {
		terms = terms[:relatedTerms]
	}
	if len(terms) < relatedMinShare {
		return nil, nil
	}
	quoted := make([]string, len(terms))
	for i, t := range terms {
		quoted[i] = `"` + strings.ReplaceAll(t.term, `"`, `""`) + `"`
	}
	at := a.Published
	if at.IsZero() {
		at = a.FirstSeenAt
	}
	cond, args := where(0, "", "", at.Add(-RelatedWindow), at.Add(RelatedWindow))
	if at.IsZero() {
		cond, args = "", nil
	}
	args = append([]any{strings.Join(quoted, " OR "), a.ID}, args...)
	args = append(args, limit*4)
	rows, err := s.db.QueryContext(ctx, `SELECT `+articleCols+`
		FROM articles_fts JOIN articles a ON a.search_key = articles_fts.rowid
		WHERE articles_fts MATCH ? AND a.id <> ?`+cond+`
		ORDER BY bm25(articles_fts, 4.0, 1.0), a.sort_at DESC LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: related: %w", err)
	}
	var cands []news.Article
	var ctfs []map[string]float64
	need := map[string]bool{}
	for rows.Next() {
		var r news.Article
		if err := scanArticle(rows, &r); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: related: %w", err)
		}
		if r.URL == a.URL {
			continue
		}
		ctf := topTerms(store.TermFreqs(r.Title, r.Text), relatedVector)
		for t := range ctf {
			if _, ok := df[t]; !ok {
				need[t] = true
			}
		}
		cands, ctfs = append(cands, r), append(ctfs, ctf)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: related: %w", err)
	}
	more, err := s.docFreqs(ctx, keys(need))
	if err != nil {
		return nil, err
	}
	for t, n := range more {
		df[t] = n
	}
	weigh := func(m map[string]float64) map[string]float64 {
		w := make(map[string]float64, len(m))
		for t, f := range m {
			if v := (1 + math.Log(f)) * idf(t); v > 0 {
				w[t] = v
			}
		}
		return w
	}
	av := weigh(tf)
	type match struct {
		a   news.Article
		sim float64
	}
	var ms []match
	for i, c := range cands {
		sim, shared := cosine(av, weigh(ctfs[i]))
		if sim >= RelatedMinSimilarity && shared >= relatedMinShare {
			ms = append(ms, match{c, sim})
		}
	}
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].sim > ms[j].sim })
	var out []news.Article
	for _, m := range ms {
		if len(out) == limit {
			break
		}
		out = append(out, m.a)
	}
	return out, nil
}

// RelatedMinSimilarity is the cosine similarity of tf·idf vectors below
// which another article is not shown as related coverage. On the bundled
// demo pages the two pairs about the same event score 0.34 and 0.45 and
// every other pair 0.09 or less.
const RelatedMinSimilarity = 0.15

// relatedVector is how many of an article's most frequent words make its
// vector.
const relatedVector = 80

func cosine(a, b map[string]float64) (float64, int) {
	var dot, na, nb float64
	shared := 0
	for t, x := range a {
		na += x * x
		if y, ok := b[t]; ok {
			dot += x * y
			shared++
		}
	}
	for _, y := range b {
		nb += y * y
	}
	if na == 0 || nb == 0 {
		return 0, 0
	}
	return dot / math.Sqrt(na*nb), shared
}

// topTerms keeps the n most frequent terms.
func topTerms(tf map[string]float64, n int) map[string]float64 {
	if len(tf) <= n {
		return tf
	}
	ts := keys(tf)
	sort.Slice(ts, func(i, j int) bool {
		if tf[ts[i]] != tf[ts[j]] {
			return tf[ts[i]] > tf[ts[j]]
		}
		return ts[i] < ts[j]
	})
	out := make(map[string]float64, n)
	for _, t := range ts[:n] {
		out[t] = tf[t]
	}
	return out
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// docFreqs returns how many articles contain each term.
func (s *Store) docFreqs(ctx context.Context, terms []string) (map[string]int, error) {
	out := make(map[string]int, len(terms))
	if len(terms) == 0 {
		return out, nil
	}
	args := make([]any, len(terms))
	for i, t := range terms {
		args[i] = t
	}
	rows, err := s.db.QueryContext(ctx, `SELECT term, doc FROM articles_vocab WHERE term IN (?`+strings.Repeat(",?", len(terms)-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: related: vocabulary: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t string
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			return nil, fmt.Errorf("sqlite: related: vocabulary: %w", err)
		}
		out[t] = n
	}
	return out, rows.Err()
}

// Facets implements store.FacetStore.
func (s *Store) Facets(ctx context.Context) (store.Facets, error) {
	var f store.Facets
	for _, q := range []struct {
		col string
		dst *[]store.Facet
	}{{"site_name", &f.Sites}, {"language", &f.Languages}} {
		rows, err := s.db.QueryContext(ctx, `SELECT `+q.col+`, count(*) AS n FROM articles WHERE `+q.col+` <> ''
			GROUP BY `+q.col+` ORDER BY n DESC, `+q.col+` LIMIT 200`)
		if err != nil {
			return f, fmt.Errorf("sqlite: facets: %w", err)
		}
		for rows.Next() {
			var v store.Facet
			if err := rows.Scan(&v.Value, &v.Count); err != nil {
				rows.Close()
				return f, fmt.Errorf("sqlite: facets: %w", err)
			}
			*q.dst = append(*q.dst, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return f, fmt.Errorf("sqlite: facets: %w", err)
		}
	}
	return f, nil
}
