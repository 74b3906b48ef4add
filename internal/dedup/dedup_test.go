package dedup

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

type labelled struct {
	ID        string `json:"id"`
	Group     string `json:"group"`
	Variant   string `json:"variant"`
	Lang      string `json:"lang"`
	URL       string `json:"url"`
	Canonical string `json:"canonical"`
	Site      string `json:"site"`
	Byline    string `json:"byline"`
	Title     string `json:"title"`
	Text      string `json:"text"`
	TitleEN   string `json:"title_en"`
	TextEN    string `json:"text_en"`
	Published string `json:"published"`
}

func loadSet(t testing.TB) []labelled {
	t.Helper()
	f, err := os.Open("testdata/syndication.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l labelled
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		out = append(out, l)
	}
	return out
}

// article is what the pipeline hands dedup: translated articles are
// compared on their English translation.
func (l labelled) article(id int64) Article {
	title, text := l.Title, l.Text
	if l.TextEN != "" {
		title, text = l.TitleEN, l.TextEN
	}
	p, _ := time.Parse(time.RFC3339, l.Published)
	return Article{ID: id, URL: l.URL, Canonical: l.Canonical, Site: l.Site, Byline: l.Byline, Title: title, Text: text, Published: p,
		Translated: l.TextEN != ""}
}

// TestSyndicationSet streams the labelled set through an Index and scores
// the groups it forms pair by pair: copies of one article must group
// (recall); different articles on the same topic or event must not
// (precision).
func TestSyndicationSet(t *testing.T) {
	set := loadSet(t)
	x := NewIndex(Options{})
	group := map[int64]int64{}
	for i, l := range set {
		m := x.Add(l.article(int64(i + 1)))
		group[int64(i+1)] = m.Group
	}
	var tp, fp, fn int
	missed := map[string]int{}
	for i := range set {
		for j := i + 1; j < len(set); j++ {
			gold := set[i].Group == set[j].Group
			pred := group[int64(i+1)] == group[int64(j+1)]
			switch {
			case gold && pred:
				tp++
			case pred:
				fp++
				t.Errorf("grouped %s with %s: different articles", set[i].ID, set[j].ID)
			case gold:
				fn++
				missed[set[j].Variant]++
			}
		}
	}
	p := float64(tp) / float64(max(tp+fp, 1))
	r := float64(tp) / float64(max(tp+fn, 1))
	t.Logf("syndication pairs: precision %.3f recall %.3f (tp %d fp %d fn %d; missed by variant %v)", p, r, tp, fp, fn, missed)
	if p < 0.99 || r < 0.9 {
		t.Errorf("precision %.3f recall %.3f; want >= 0.99 and >= 0.9", p, r)
	}
}

// TestOriginals checks that each group of the set credits its agency copy.
func TestOriginals(t *testing.T) {
	set := loadSet(t)
	groups := map[string][]Article{}
	orig := map[string]int64{}
	for i, l := range set {
		a := l.article(int64(i + 1))
		groups[l.Group] = append(groups[l.Group], a)
		if l.Variant == "original" {
			orig[l.Group] = a.ID
		}
	}
	for g, want := range orig {
		got := Original(groups[g])
		if got.Original != want {
			t.Errorf("%s: original %d (%s), want %d", g, got.Original, got.Why, want)
		}
		if got.Agency == "" {
			t.Errorf("%s: no agency credited", g)
		}
	}
}

func TestCredit(t *testing.T) {
	cases := []struct {
		name, byline, text, want string
	}{
		{"efe dateline", "", "MADRID (EFE).- El Gobierno anunció hoy", "EFE"},
		{"ap dateline", "", "WASHINGTON (AP) — The Senate voted", "AP"},
		{"reuters dateline", "", "LONDON (Reuters) - Shares fell", "Reuters"},
		{"spanish date dateline", "", "Lima, 3 ene (EFE).- El presidente", "EFE"},
		{"source line", "", "Body text.\nMore text.\nSource: AFP", "AFP"},
		{"fuente line", "", "Texto.\nFuente: EFE", "EFE"},
		{"with line", "", "Text.\n(With Reuters)", "Reuters"},
		{"byline agency", "By The Associated Press", "Text.", "AP"},
		{"byline alone", "EFE", "Text.", "EFE"},
		{"reporter named like agency", "Apolo Ramírez", "Text about APs.", ""},
		{"no credit", "Jane Doe", "CHICAGO — The city council met.", ""},
		{"ap inside byline words", "Map Desk", "Text.", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Credit(c.byline, c.text); got != c.want {
				t.Errorf("Credit(%q, %q) = %q, want %q", c.byline, c.text, got, c.want)
			}
		})
	}
}

func TestOriginalRules(t *testing.T) {
	t0 := time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)
	t.Run("canonical wins over time", func(t *testing.T) {
		got := Original([]Article{
			{ID: 1, URL: "https://a.example/x", Published: t0},
			{ID: 2, URL: "https://b.example/y", Published: t0.Add(time.Hour)},
			{ID: 3, URL: "https://c.example/z", Canonical: "http://www.b.example/y/", Published: t0.Add(2 * time.Hour)},
		})
		if got.Original != 2 || got.Why != "canonical" {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("agency copy wins over earlier republisher", func(t *testing.T) {
		got := Original([]Article{
			{ID: 1, URL: "https://aggregator.example/1", Text: "MADRID (EFE).- Texto", Published: t0},
			{ID: 2, URL: "https://www.efe.com/noticia/2", Text: "MADRID (EFE).- Texto", Published: t0.Add(time.Hour)},
		})
		if got.Original != 2 || got.Agency != "EFE" {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("earliest, unknown times last", func(t *testing.T) {
		got := Original([]Article{
			{ID: 1, URL: "https://a.example/1"},
			{ID: 2, URL: "https://b.example/2", Published: t0.Add(time.Hour)},
			{ID: 3, URL: "https://c.example/3", Published: t0},
		})
		if got.Original != 3 || got.Why != "earliest" {
			t.Errorf("got %+v", got)
		}
	})
}

func TestWindow(t *testing.T) {
	x := NewIndex(Options{Window: 24 * time.Hour})
	text := "The quick brown fox jumps over the lazy dog near the river bank while the farmer watches from the old wooden fence and the sun sets behind the hills."
	t0 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	x.Add(Article{ID: 1, Text: text, Published: t0})
	if m := x.Add(Article{ID: 2, Text: text, Published: t0.Add(2 * time.Hour)}); m.Of != 1 {
		t.Errorf("copy within the window: %+v", m)
	}
	if m := x.Add(Article{ID: 3, Text: text, Published: t0.Add(72 * time.Hour)}); m.Group != 3 {
		t.Errorf("copy outside the window grouped: %+v", m)
	}
}

func TestMaxArticles(t *testing.T) {
	x := NewIndex(Options{MaxArticles: 2})
	text := "Identical wire copy about the harbour storm that closed the port for two days and stranded forty ships with their crews."
	x.Add(Article{ID: 1, Text: text})
	x.Add(Article{ID: 2, Text: "Something else entirely, about a chess tournament in a small town library with nine players."})
	x.Add(Article{ID: 3, Text: "A third unrelated text on gardening in spring, tomatoes, beans and the best time to sow them."})
	if m := x.Add(Article{ID: 4, Text: text}); m.Of == 1 {
		t.Errorf("evicted article still matched: %+v", m)
	}
}

// BenchmarkAdd fingerprints distinct synthetic articles (Zipfian words,
// about 300 each) into an index already holding 50,000.
func BenchmarkAdd(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	zipf := rand.NewZipf(r, 1.1, 2, 30000)
	text := func() string {
		var sb strings.Builder
		for range 300 {
			fmt.Fprintf(&sb, "w%d ", zipf.Uint64())
		}
		return sb.String()
	}
	const prefill = 50_000
	texts := make([]string, prefill+1000)
	for i := range texts {
		texts[i] = text()
	}
	x := NewIndex(Options{})
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	for i, t := range texts[:prefill] {
		x.Add(Article{ID: int64(i + 1), Text: t})
	}
	runtime.GC()
	runtime.ReadMemStats(&m1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		x.Add(Article{ID: int64(prefill + i + 1), Text: texts[prefill+i%1000]})
	}
	b.ReportMetric(float64(m1.HeapAlloc-m0.HeapAlloc)/prefill, "heapB/article")
}
