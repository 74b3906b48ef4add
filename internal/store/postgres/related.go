package postgres

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

// RelatedWindow is how far before or after an article related coverage
// may have been published (as in store/sqlite).
const RelatedWindow = 7 * 24 * time.Hour

const (
	relatedTerms    = 10 // distinctive words asked of the index
	relatedMinShare = 2  // of which a candidate must contain at least this many
)

// Related implements store.RelatedStore the way store/sqlite does: the
// article's most distinctive words (tf·idf, document frequencies from the
// GIN index, each word parsed in the article's language), articles near
// its date with any of them ranked by ts_rank (title 4× body), keeping
// those that share several of the words.
func (s *Store) Related(ctx context.Context, a *news.Article, limit int) ([]news.Article, error) {
	limit = store.Limit(limit, 5, 50)
	tf := store.TermFreqs(a.Title, a.Text)
	if len(tf) == 0 {
		return nil, nil
	}
	cands := make([]string, 0, len(tf))
	for t := range tf {
		cands = append(cands, t)
	}
	sort.Slice(cands, func(i, j int) bool {
		if tf[cands[i]] != tf[cands[j]] {
			return tf[cands[i]] > tf[cands[j]]
		}
		return cands[i] < cands[j]
	})
	if len(cands) > 60 {
		cands = cands[:60]
	}
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM articles`).Scan(&total); err != nil {
		return nil, fmt.Errorf("postgres: related: %w", err)
	}
	// A word in more than half the articles is skipped, so counting need
	// not go further than that.
	limitDF := total + 1
	if total >= 20 {
		limitDF = total/2 + 1
	}
	quoted := make([]string, len(cands))
	for i, t := range cands {
		quoted[i] = quoteLexeme(t)
	}
	rows, err := s.pool.Query(ctx, `SELECT t.n, (SELECT count(*) FROM (SELECT 1 FROM articles x
			WHERE x.tsv @@ to_tsquery(newsdesk_ts_config($2), t.q) LIMIT $3) c)
		FROM unnest($1::text[]) WITH ORDINALITY AS t(q, n)`, quoted, a.Language, limitDF)
	if err != nil {
		return nil, fmt.Errorf("postgres: related: document frequencies: %w", err)
	}
	df := make(map[string]int, len(cands))
	for rows.Next() {
		var n int64
		var d int
		if err := rows.Scan(&n, &d); err != nil {
			rows.Close()
			return nil, fmt.Errorf("postgres: related: document frequencies: %w", err)
		}
		df[cands[n-1]] = d
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: related: document frequencies: %w", err)
	}
	type scored struct {
		term  string
		score float64
	}
	var terms []scored
	for _, t := range cands {
		d := df[t]
		if d <= 1 || (total >= 20 && d*2 > total) {
			continue // only in this article, or too common to tell anything
		}
		terms = append(terms, scored{t, tf[t] * math.Log(float64(total+1)/float64(d))})
	}
	sort.SliceStable(terms, func(i, j int) bool { return terms[i].score > terms[j].score })
	if len(terms) > relatedTerms {
		terms = terms[:relatedTerms]
	}
	if len(terms) < relatedMinShare {
		return nil, nil
	}
	ors := make([]string, len(terms))
	for i, t := range terms {
		ors[i] = quoteLexeme(t.term)
	}
	at := a.Published
	if at.IsZero() {
		at = a.FirstSeenAt
	}
	w := &filter{args: []any{strings.Join(ors, " | "), a.Language, a.ID}}
	if !at.IsZero() {
		w = newFilter(w.args, 0, "", "", at.Add(-RelatedWindow), at.Add(RelatedWindow))
	}
	cond := w.where()
	lim := w.next()
	w.args = append(w.args, limit*4)
	rows, err = s.pool.Query(ctx, `SELECT `+articleCols+`
		FROM (SELECT to_tsquery(newsdesk_ts_config($2), $1) AS tq OFFSET 0) q
		JOIN articles a ON a.tsv @@ q.tq
		WHERE a.id <> $3`+cond+`
		ORDER BY ts_rank('{0.1, 0.2, 0.25, 1.0}', a.tsv, q.tq, 1) DESC, a.sort_at DESC LIMIT `+lim, w.args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: related: %w", err)
	}
	defer rows.Close()
	var out []news.Article
	for rows.Next() {
		var r news.Article
		if err := scanArticle(rows, &r); err != nil {
			return nil, fmt.Errorf("postgres: related: %w", err)
		}
		if len(out) >= limit || r.URL == a.URL {
			continue
		}
		has := store.TermFreqs(r.Title, r.Text)
		shared := 0
		for _, t := range terms {
			if has[t.term] > 0 {
				shared++
			}
		}
		if shared >= relatedMinShare {
			out = append(out, r)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: related: %w", err)
	}
	return out, nil
}

// quoteLexeme makes a word one quoted to_tsquery operand.
func quoteLexeme(w string) string {
	return `'` + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(w) + `'`
}
