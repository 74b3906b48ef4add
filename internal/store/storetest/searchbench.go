package storetest

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
)

// The search benchmarks run the same queries on a large synthetic
// newsroom in each store and report latency percentiles. The newsroom is
// generated, never committed: NEWSDESK_BENCH_ARTICLES articles (20,000
// without it) of a Zipf-distributed vocabulary, article i published i
// minutes after 2020-01-01 on one of 50 sites in one of 7 languages; one
// article in five has a translation (BenchTranslated).
// Each backend's bench_test.go loads it in bulk and keeps it between runs.

// BenchSize is the number of articles the benchmarks use.
func BenchSize() int {
	n, _ := strconv.Atoi(os.Getenv("NEWSDESK_BENCH_ARTICLES"))
	if n <= 0 {
		n = 20000
	}
	return n
}

// BenchEpoch is the published time of article 0.
var BenchEpoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

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

// Synth writes the synthetic newsroom: the same seed gives the same
// articles in the same order.
type Synth struct {
	words []string
	zipf  *rand.Zipf
	r     *rand.Rand
}

// NewSynth returns a generator; the benchmarks' newsroom is seed 42.
func NewSynth(seed uint64) *Synth {
	r := rand.New(rand.NewPCG(seed, 99))
	words := syntheticWords(50000)
	return &Synth{words: words, r: r, zipf: rand.NewZipf(r, 1.07, 2, uint64(len(words)-1))}
}

func (s *Synth) sentence(n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = s.words[s.zipf.Uint64()]
	}
	return strings.Join(w, " ")
}

var benchLangs = []string{"en", "es", "en", "de", "fr", "es", "pt", ""}

// Article returns the next article, number i (call with 0, 1, 2...).
func (s *Synth) Article(i int) *news.Article {
	text := s.sentence(30) + ".\n\n" + s.sentence(30) + ".\n\n" + s.sentence(25) + "."
	return &news.Article{
		URL:      BenchURL(i),
		SiteName: fmt.Sprintf("Site %d", i%50), Language: benchLangs[i%len(benchLangs)],
		Title: s.sentence(8), Text: text, BodyHTML: "<p>" + text + "</p>",
		Published: BenchEpoch.Add(time.Duration(i) * time.Minute),
	}
}

// BenchURL is the URL of article i of the newsroom.
func BenchURL(i int) string { return fmt.Sprintf("https://site%d.example/news/%d", i%50, i) }

// BenchTranslated says whether article i of the newsroom has a
// translation: one in five has, so searches read translated articles as
// a newsroom that translates its foreign sources does.
func BenchTranslated(i int) bool { return i%5 == 2 }

// BenchTranslations is how many of the newsroom's first n articles have a
// translation.
func BenchTranslations(n int) int {
	want := 0
	for i := range n {
		if BenchTranslated(i) {
			want++
		}
	}
	return want
}

// Translation returns the translation of article i (when BenchTranslated),
// into English, or into Spanish for an English article: text of the same
// vocabulary, so the benchmark's searches find translations too. It does
// not depend on the order of calls.
func (s *Synth) Translation(i int) *news.Translation {
	r := rand.New(rand.NewPCG(uint64(i), 1234))
	t := &Synth{words: s.words, r: r, zipf: rand.NewZipf(r, 1.07, 2, uint64(len(s.words)-1))}
	text := t.sentence(30) + ".\n\n" + t.sentence(30) + ".\n\n" + t.sentence(25) + "."
	lang, src := "en", benchLangs[i%len(benchLangs)]
	if src == "en" {
		lang = "es"
	}
	return &news.Translation{Lang: lang, SourceLang: src, Backend: "bench", Engine: "Bench",
		Title: t.sentence(8), BodyHTML: "<p>" + text + "</p>", Text: text, Status: news.TranslationDone,
		TranslatedAt: BenchEpoch.Add(time.Duration(i) * time.Minute)}
}

// BenchQuery is one search of the benchmark, with the group it belongs to.
type BenchQuery struct {
	Group string
	Q     store.SearchQuery
}

// BenchQueries are the searches every store answers over a newsroom of n
// articles: the 76 of the first benchmark (single words from the 3rd to
// the 30,000th most frequent, 30 two-word queries, 10 prefixes), then 10
// phrase-like ones (three words that follow each other in a title), then
// 20 filtered ones (a word of every frequency with a site, a language, a
// month, or all three).
func BenchQueries(n int) []BenchQuery {
	s := NewSynth(7)
	var qs []BenchQuery
	add := func(group string, q store.SearchQuery) { qs = append(qs, BenchQuery{group, q}) }
	for _, rank := range []int{3, 10, 30, 100, 300, 1000, 3000, 10000, 30000} {
		for k := range 4 {
			add("word", store.SearchQuery{Text: s.words[rank+k]})
		}
	}
	for range 30 {
		add("pair", store.SearchQuery{Text: s.words[s.zipf.Uint64()] + " " + s.words[s.zipf.Uint64()]})
	}
	for range 10 {
		w := s.words[100+s.r.IntN(5000)]
		add("prefix", store.SearchQuery{Text: w[:min(len(w), 5)]})
	}
	// Phrases from titles spread over the newsroom's first 20,000 articles
	// (every size holds them).
	data := NewSynth(42)
	for i := range min(n, 20000) {
		a := data.Article(i)
		if i%2000 == 1999 {
			t := strings.Fields(a.Title)
			add("phrase", store.SearchQuery{Text: strings.Join(t[2:5], " ")})
		}
	}
	month := BenchEpoch.Add(time.Duration(n/2) * time.Minute).Truncate(24 * time.Hour)
	for i, rank := range []int{3, 30, 300, 3000, 30000} {
		w := s.words[rank+5]
		add("filter", store.SearchQuery{Text: w, Site: fmt.Sprintf("Site %d", 7+i)})
		add("filter", store.SearchQuery{Text: w, Language: "de"})
		add("filter", store.SearchQuery{Text: w, Since: month, Until: month.AddDate(0, 1, 0)})
		add("filter", store.SearchQuery{Text: w, Site: "Site 3", Language: "de", Since: BenchEpoch, Until: month})
	}
	return qs
}

// RunSearchBench runs the benchmark queries b.N times in turn (use
// -benchtime 106x for each once) after one warming pass, and reports the
// latency percentiles and the mean total. It logs the slowest queries.
func RunSearchBench(b *testing.B, st store.ArticleStore, n int) {
	ctx := context.Background()
	qs := BenchQueries(n)
	if b.N > 1 {
		for _, q := range qs {
			if _, _, err := st.Search(ctx, q.Q); err != nil {
				b.Fatal(err)
			}
		}
	}
	type run struct {
		q     BenchQuery
		took  time.Duration
		total int
	}
	runs := make([]run, 0, b.N)
	totals := 0
	b.ResetTimer()
	for i := range b.N {
		q := qs[i%len(qs)]
		q.Q.Limit = 20
		t0 := time.Now()
		_, total, err := st.Search(ctx, q.Q)
		took := time.Since(t0)
		if err != nil {
			b.Fatal(err)
		}
		runs = append(runs, run{q, took, total})
		totals += total
	}
	b.StopTimer()
	sort.Slice(runs, func(i, j int) bool { return runs[i].took < runs[j].took })
	pct := func(p float64) float64 {
		return float64(runs[int(p*float64(len(runs)-1))].took.Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(totals)/float64(b.N), "hits/op")
	for _, r := range runs[max(len(runs)-5, 0):] {
		b.Logf("%8.1f ms  %-6s %+v  total %d", float64(r.took.Microseconds())/1000, r.q.Group, r.q.Q, r.total)
	}
}

// BenchUpsert stores b.N new articles of the synthetic newsroom one
// upsert at a time, as collection does, and reports articles per second:
// the cost of keeping the search index up to date with each write.
func BenchUpsert(b *testing.B, st store.ArticleStore) {
	ctx := context.Background()
	s := NewSynth(43)
	arts := make([]*news.Article, b.N)
	for i := range arts {
		arts[i] = s.Article(i)
	}
	b.ResetTimer()
	t0 := time.Now()
	for _, a := range arts {
		if _, err := st.UpsertArticle(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(t0).Seconds(), "articles/s")
}
