package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
)

// The search benchmarks run the same queries on a large synthetic newsroom
// in each store and report latency percentiles. The data is generated, not
// committed, and kept between runs:
//
//	NEWSDESK_BENCH_ARTICLES=1000000 NEWSDESK_BENCH_SQLITE=/tmp/bench1m.db \
//	  go test ./internal/store/postgres -run '^$' -bench 'SearchSQLite' -benchtime 200x -timeout 3h
//	newsdesk copy --from /tmp/bench1m.db --to postgres://.../bench1m
//	NEWSDESK_BENCH_ARTICLES=1000000 NEWSDESK_BENCH_POSTGRES=postgres://.../bench1m \
//	  go test ./internal/store/postgres -run '^$' -bench 'SearchPostgres' -benchtime 200x
//
// The first command fills the SQLite file (one upsert per article, as
// collection does); copy moves it to PostgreSQL.

func benchSize(b *testing.B) int {
	n, _ := strconv.Atoi(os.Getenv("NEWSDESK_BENCH_ARTICLES"))
	if n <= 0 {
		n = 20000
	}
	return n
}

// syntheticWords is a vocabulary of pseudo-words built from syllables, so
// that word frequencies follow a Zipf law as in real text.
func syntheticWords(n int) []string {
	r := rand.New(rand.NewPCG(1, 2))
	syl := []string{"ka", "lo", "mi", "ne", "ru", "sa", "to", "ve", "bri", "cho", "dan", "fel", "gor", "har", "jun",
		"kor", "lin", "mar", "nor", "pel", "qui", "ros", "sil", "tur", "val", "wen", "zan", "ment", "cion", "ing"}
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syl[r.IntN(len(syl))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

type synth struct {
	words []string
	zipf  *rand.Zipf
	r     *rand.Rand
}

func newSynth(seed uint64) *synth {
	r := rand.New(rand.NewPCG(seed, 99))
	words := syntheticWords(50000)
	return &synth{words: words, r: r, zipf: rand.NewZipf(r, 1.07, 2, uint64(len(words)-1))}
}

func (s *synth) sentence(n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = s.words[s.zipf.Uint64()]
	}
	return strings.Join(w, " ")
}

var langs = []string{"en", "es", "en", "de", "fr", "es", "pt", ""}

func (s *synth) article(i int) *news.Article {
	text := s.sentence(30) + ".\n\n" + s.sentence(30) + ".\n\n" + s.sentence(25) + "."
	return &news.Article{
		URL:      fmt.Sprintf("https://site%d.example/news/%d", i%50, i),
		SiteName: fmt.Sprintf("Site %d", i%50), Language: langs[i%len(langs)],
		Title: s.sentence(8), Text: text, BodyHTML: "<p>" + text + "</p>",
		Published: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
	}
}

// queries are the searches every store answers: words of every frequency
// (posting lists of every length), pairs, and prefixes.
func queries() []string {
	s := newSynth(7)
	var qs []string
	for _, rank := range []int{3, 10, 30, 100, 300, 1000, 3000, 10000, 30000} {
		for k := range 4 {
			qs = append(qs, s.words[rank+k])
		}
	}
	for range 30 {
		qs = append(qs, s.words[s.zipf.Uint64()]+" "+s.words[s.zipf.Uint64()])
	}
	for range 10 {
		w := s.words[100+s.r.IntN(5000)]
		qs = append(qs, w[:min(len(w), 5)])
	}
	return qs
}

func populate(b *testing.B, st store.Store, n int) {
	ctx := context.Background()
	have, err := st.CountArticles(ctx, store.ArticleFilter{})
	if err != nil {
		b.Fatal(err)
	}
	if have >= n {
		return
	}
	s := newSynth(42)
	start := time.Now()
	for i := range n {
		a := s.article(i) // always generated, so article i is the same whatever was stored before
		if i < have {
			continue
		}
		if _, err := st.UpsertArticle(ctx, a); err != nil {
			b.Fatal(err)
		}
		if (i+1)%50000 == 0 {
			b.Logf("populated %d/%d (%.0f articles/s)", i+1, n, float64(i+1-have)/time.Since(start).Seconds())
		}
	}
	b.Logf("populated %d articles in %s", n-have, time.Since(start).Round(time.Second))
}

func benchSearch(b *testing.B, st store.Store) {
	ctx := context.Background()
	qs := queries()
	for _, q := range qs[:min(len(qs), b.N)] { // warm the caches (not on the probing run)
		if b.N == 1 {
			break
		}
		if _, _, err := st.Search(ctx, store.SearchQuery{Text: q}); err != nil {
			b.Fatal(err)
		}
	}
	var lat []time.Duration
	hits := 0
	b.ResetTimer()
	for i := range b.N {
		q := qs[i%len(qs)]
		t0 := time.Now()
		_, total, err := st.Search(ctx, store.SearchQuery{Text: q, Limit: 20})
		lat = append(lat, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
		hits += total
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(hits)/float64(b.N), "hits/op")
}

func BenchmarkSearchSQLite(b *testing.B) {
	path := os.Getenv("NEWSDESK_BENCH_SQLITE")
	if path == "" {
		path = b.TempDir() + "/bench.db"
	}
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	populate(b, st, benchSize(b))
	benchSearch(b, st)
}

func BenchmarkSearchPostgres(b *testing.B) {
	dsn := os.Getenv("NEWSDESK_BENCH_POSTGRES")
	if dsn == "" {
		dsn = freshDatabase(b)
	}
	s, err := Open(context.Background(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	populate(b, s, benchSize(b))
	benchSearch(b, s)
}
