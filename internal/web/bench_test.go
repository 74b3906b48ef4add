package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/demo"
	"github.com/newsdesk/newsdesk/internal/pipeline"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
	"github.com/newsdesk/newsdesk/internal/translate"
)

// BenchmarkArticlePage compares the article page with http.FileServer
// serving the same rendered bytes from disk (the floor), both over real
// loopback connections with 100 concurrent clients. Run it with a fixed
// count, e.g.:
//
//	go test -run '^$' -bench ArticlePage -benchtime 20000x ./internal/web/
//
// It reports requests/s and the 50th and 99th percentile latency.
func BenchmarkArticlePage(b *testing.B) {
	st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	pages, err := demo.Pages()
	if err != nil {
		b.Fatal(err)
	}
	proc, err := pipeline.New(context.Background(), pipeline.Config{Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Translate: translate.Config{Backend: "off"}, NoStories: true, NoEnrich: true})
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range pages {
		raw, err := demo.Read(p)
		if err != nil {
			b.Fatal(err)
		}
		proc.Process(context.Background(), pipeline.Page{Raw: raw, URL: p.URL, CanonicalURL: p.URL})
	}
	arts, err := st.ListArticles(context.Background(), store.ArticleFilter{Limit: 1})
	if err != nil || len(arts) == 0 {
		b.Fatalf("no articles: %v", err)
	}
	srv, err := New(Config{Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	site := httptest.NewServer(srv)
	defer site.Close()
	path := fmt.Sprintf("/article/%d", arts[0].ID)

	// The floor: the same bytes from a file.
	resp, err := http.Get(site.URL + path)
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "article.html"), body, 0o644); err != nil {
		b.Fatal(err)
	}
	files := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer files.Close()

	b.Run("site", func(b *testing.B) { load(b, site.URL+path) })
	b.Run("fileserver", func(b *testing.B) { load(b, files.URL+"/article.html") })
}

// load sends b.N GET requests from 100 concurrent keep-alive clients.
func load(b *testing.B, url string) {
	const clients = 100
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients, DisableCompression: true}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	lat := make([]time.Duration, b.N)
	var next atomic.Int64
	var failed atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				t0 := time.Now()
				resp, err := c.Get(url)
				if err != nil {
					failed.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					failed.Add(1)
				}
				lat[i] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d requests failed", n)
	}
	slices.Sort(lat)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkArticleHandler is the article page's cost inside the server,
// without the network: a cached page with its ETag, headers and view
// accounting (a browser's user agent, so the view path runs).
func BenchmarkArticleHandler(b *testing.B) {
	ts := newTestSite(b, func(c *Config) { c.CacheTTL = time.Minute })
	path := fmt.Sprintf("/article/%d", ts.arts[0].ID)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		req := httptest.NewRequest("GET", path, nil)
		req.RemoteAddr = "192.0.2.1:1234"
		req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
		for pb.Next() {
			rec := httptest.NewRecorder()
			ts.srv.ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Fatalf("status %d", rec.Code)
			}
		}
	})
}
