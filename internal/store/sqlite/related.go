package sqlite

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

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
// article's date, ranks by bm25 and keeps those sharing several words.
func (s *Store) Related(ctx context.Context, a *news.Article, limit int) ([]news.Article, error) {
	limit = store.Limit(limit, 5, 50)
	tf := termFreqs(a.Title, a.Text)
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
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM articles`).Scan(&total); err != nil {
		return nil, fmt.Errorf("sqlite: related: %w", err)
	}
	df, err := s.docFreqs(ctx, cands)
	if err != nil {
		return nil, err
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
		FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
		WHERE articles_fts MATCH ? AND a.id <> ?`+cond+`
		ORDER BY bm25(articles_fts, 4.0, 1.0), a.sort_at DESC LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: related: %w", err)
	}
	defer rows.Close()
	var out []news.Article
	for rows.Next() {
		var r news.Article
		if err := scanArticle(rows, &r); err != nil {
			return nil, fmt.Errorf("sqlite: related: %w", err)
		}
		if len(out) >= limit || r.URL == a.URL {
			continue
		}
		has := termFreqs(r.Title, r.Text)
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
	return out, rows.Err()
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

// termFreqs tokenises like the FTS index (unicode61, diacritics removed,
// lower case) and counts words of four or more letters; title words count
// three times.
func termFreqs(title, text string) map[string]float64 {
	tf := map[string]float64{}
	add := func(s string, w float64) {
		for _, t := range ftsTokens(s) {
			if len([]rune(t)) >= 4 && !isDigits(t) {
				tf[t] += w
			}
		}
	}
	add(title, 3)
	add(text, 1)
	return tf
}

func ftsTokens(s string) []string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Fields(b.String())
}

func isDigits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
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
