package extract

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	readability "codeberg.org/readeck/go-readability/v2"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"github.com/newsdesk/newsdesk/internal/charset"
)

// The benchmarks run over the scrapinghub pages of the shared evaluation
// corpus ($NEWSDESK_CORPUS, or ../shared/corpus beside the repository), or
// over another of its extraction sets named by $NEWSDESK_BENCH_SET, and
// skip without it. One op is one page; pages/s is per core (run with
// -cpu 1 for the one-core figure).
//
//	go test ./internal/extract -run '^$' -bench . -benchmem -cpu 1

func benchPages(b *testing.B) [][]byte {
	b.Helper()
	dir := os.Getenv("NEWSDESK_CORPUS")
	if dir == "" {
		wd, _ := os.Getwd()
		dir = filepath.Join(wd, "..", "..", "..", "shared", "corpus")
	}
	set := os.Getenv("NEWSDESK_BENCH_SET") // another extraction set, e.g. trafilatura-eval
	if set == "" {
		set = "scrapinghub"
	}
	files, _ := filepath.Glob(filepath.Join(dir, "extraction", set, "html", "*.html*"))
	if len(files) == 0 {
		b.Skip(set + " corpus not present; set NEWSDESK_CORPUS to run")
	}
	sort.Strings(files)
	pages := make([][]byte, len(files))
	for i, f := range files {
		raw, err := readPage(f)
		if err != nil {
			b.Fatal(err)
		}
		pages[i] = raw
	}
	return pages
}

// readPage reads a page of the corpus, gunzipping a .gz one.
func readPage(name string) ([]byte, error) {
	raw, err := os.ReadFile(name)
	if err != nil || !strings.HasSuffix(name, ".gz") {
		return raw, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return io.ReadAll(zr)
}

func runPages(b *testing.B, pages [][]byte, fn func(raw []byte)) {
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fn(pages[i%len(pages)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

func parseForBench(b *testing.B, raw []byte) *html.Node {
	dec, err := charset.ToUTF8(raw, "")
	if err != nil {
		b.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(dec.Text))
	if err != nil {
		b.Fatal(err)
	}
	return doc
}

// BenchmarkExtract is ours: decoding, parsing, both extractors, the
// combination, cleaning and metadata.
func BenchmarkExtract(b *testing.B) {
	pages := benchPages(b)
	runPages(b, pages, func(raw []byte) { _, _ = Extract(raw, "https://example.com/a") })
}

// BenchmarkParseFloor is what every extractor pays before extracting:
// charset decoding, NFC and html.Parse.
func BenchmarkParseFloor(b *testing.B) {
	pages := benchPages(b)
	runPages(b, pages, func(raw []byte) { parseForBench(b, raw) })
}

func BenchmarkTrafilatura(b *testing.B) {
	pages := benchPages(b)
	u, _ := url.Parse("https://example.com/a")
	runPages(b, pages, func(raw []byte) {
		_, _ = trafilatura.ExtractDocument(parseForBench(b, raw), trafilatura.Options{OriginalURL: u, ExcludeComments: true})
	})
}

func BenchmarkTrafilaturaFallback(b *testing.B) {
	pages := benchPages(b)
	u, _ := url.Parse("https://example.com/a")
	runPages(b, pages, func(raw []byte) {
		_, _ = trafilatura.ExtractDocument(parseForBench(b, raw), trafilatura.Options{OriginalURL: u, ExcludeComments: true, EnableFallback: true})
	})
}

func BenchmarkReadability(b *testing.B) {
	pages := benchPages(b)
	u, _ := url.Parse("https://example.com/a")
	runPages(b, pages, func(raw []byte) {
		p := readability.NewParser()
		_, _ = p.ParseAndMutate(parseForBench(b, raw), u)
	})
}

// BenchmarkExtractLargest extracts the largest page; its B/op is the
// memory one extraction allocates in all, an upper bound on its peak.
func BenchmarkExtractLargest(b *testing.B) {
	pages := benchPages(b)
	largest := pages[0]
	for _, p := range pages {
		if len(p) > len(largest) {
			largest = p
		}
	}
	b.ReportAllocs()
	var peak uint64
	for i := 0; i < b.N; i++ {
		var before, after runtime.MemStats
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		_, _ = Extract(largest, "https://example.com/a")
		b.StopTimer()
		runtime.ReadMemStats(&after)
		// Live heap right after extraction, before any collection of
		// what it dropped: an upper bound on the peak it needed.
		if d := after.HeapAlloc - before.HeapAlloc; after.HeapAlloc > before.HeapAlloc && d > peak {
			peak = d
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(len(largest))/(1<<10), "page-KiB")
	b.ReportMetric(float64(peak)/(1<<20), "MiB-heap-peak")
}
