package pipeline

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"golang.org/x/net/html"

	"github.com/newsdesk/newsdesk/internal/charset"
	"github.com/newsdesk/newsdesk/internal/demo"
	"github.com/newsdesk/newsdesk/internal/extract"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
	"github.com/newsdesk/newsdesk/internal/translate"
)

func openStore(tb testing.TB) *sqlite.Store {
	tb.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "p.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func loadDemo(b *testing.B) ([][]byte, []demo.Page) {
	pages, err := demo.Pages()
	if err != nil {
		b.Fatal(err)
	}
	raws := make([][]byte, len(pages))
	for i, p := range pages {
		if raws[i], err = demo.Read(p); err != nil {
			b.Fatal(err)
		}
	}
	return raws, pages
}

// BenchmarkImportDemo measures the whole import of the bundled pages:
// decode, extract, sanitise and store in SQLite. One op is one page.
// Run with -cpu 1 for the one-core figure.
func BenchmarkImportDemo(b *testing.B) {
	raws, pages := loadDemo(b)
	// Only the pages that hold an article: a refused page costs less and
	// would flatter the figure.
	keptRaws, keptPages := raws[:0], pages[:0]
	for i := range raws {
		if _, err := extract.Extract(raws[i], pages[i].URL); err == nil {
			keptRaws, keptPages = append(keptRaws, raws[i]), append(keptPages, pages[i])
		}
	}
	raws, pages = keptRaws, keptPages
	st := openStore(b)
	p, err := New(context.Background(), Config{Store: st, Translate: translate.Config{Backend: "off"}, NoStories: true})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		k := i % len(raws)
		// A distinct URL each time, so every op is a real insert.
		url := pages[k].URL + "#" + string(rune('a'+i%26)) + string(rune('0'+i/26%10)) + string(rune('0'+i/260))
		if _, err := p.Process(context.Background(), Page{Raw: raws[k], URL: pages[k].URL, CanonicalURL: url}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkParseFloor is the floor under import: decoding the same pages to
// UTF-8 and parsing them with golang.org/x/net/html, nothing else.
func BenchmarkParseFloor(b *testing.B) {
	raws, _ := loadDemo(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		d, err := charset.ToUTF8(raws[i%len(raws)], "")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := html.Parse(bytes.NewReader(d.Text)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// A translated title is stored as plain text: quotes and apostrophes as
// they are, markup a backend put in dropped.
func TestPlainField(t *testing.T) {
	for in, want := range map[string]string{
		`"The Supreme Court doesn't impart justice"`:        `"The Supreme Court doesn't impart justice"`,
		`&#34;The Supreme Court doesn&#39;t impart it&#34;`: `"The Supreme Court doesn't impart it"`,
		` <b>Votes</b> & seats `:                            `Votes & seats`,
		`a < b`:                                             `a < b`,
	} {
		if got := PlainField(in); got != want {
			t.Errorf("PlainField(%q) = %q, want %q", in, got, want)
		}
	}
}
