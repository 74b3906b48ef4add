package collect

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/fetch/sampleweb"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/pipeline"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
)

// BenchmarkCollect measures collection end to end — poll, fetch, extract,
// store — from a local sample web of 50 outlets × 12 articles (a cold
// start: every article is new), with the per-host politeness delay off
// (loopback) but one connection per host. It reports articles/s, the p50
// and p99 of one article job (fetch, extract, store) and the peak RSS.
// NEWSDESK_BENCH_OUTLETS and NEWSDESK_BENCH_WORKERS change the shape.
//
//	go test -run '^$' -bench BenchmarkCollect -benchtime 3x ./internal/collect/
func BenchmarkCollect(b *testing.B) {
	outlets, per := 50, 12
	if v, err := strconv.Atoi(os.Getenv("NEWSDESK_BENCH_OUTLETS")); err == nil && v > 0 {
		outlets, per = v, 600/v
	}
	var sites []*sampleweb.Outlet
	for i := range outlets {
		o := sampleweb.NewOutlet(fmt.Sprintf("Outlet %d", i), per)
		defer o.Server.Close()
		sites = append(sites, o)
	}
	workers := 16
	if v, err := strconv.Atoi(os.Getenv("NEWSDESK_BENCH_WORKERS")); err == nil && v > 0 {
		workers = v
	}
	var (
		mu   sync.Mutex
		lats []time.Duration
	)
	var total time.Duration
	var stored int
	for b.Loop() {
		b.StopTimer()
		ctx := context.Background()
		dir := b.TempDir()
		st, err := sqlite.Open(ctx, filepath.Join(dir, "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		for _, o := range sites {
			if err := st.AddSource(ctx, &news.Source{URL: o.URL("/feed.xml")}); err != nil {
				b.Fatal(err)
			}
		}
		c, err := New(ctx, Config{
			Store:     st,
			Fetch:     fetch.New(fetch.Config{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}, MinDelay: -1}),
			Processor: pipeline.Minimal(st, nil),
			Log:       testLog(b), Workers: workers, FetchPollInterval: 100 * time.Millisecond,
			OnArticle: func(d time.Duration, err error) {
				mu.Lock()
				lats = append(lats, d)
				mu.Unlock()
			},
		})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		stats, err := c.Once(ctx)
		total += time.Since(start)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		n, _ := st.CountArticles(ctx, store.ArticleFilter{})
		if n != outlets*per || stats.Inserted != int64(n) {
			b.Fatalf("stored %d articles, want %d (%+v)", n, outlets*per, stats)
		}
		stored += n
		c.Close()
		st.Close()
		b.StartTimer()
	}
	slices.Sort(lats)
	b.ReportMetric(float64(stored)/total.Seconds(), "articles/s")
	if len(lats) > 0 {
		b.ReportMetric(float64(lats[len(lats)*99/100].Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(lats[len(lats)/2].Microseconds())/1000, "p50-ms")
	}
	b.ReportMetric(float64(peakRSS())/(1<<20), "peak-RSS-MiB")

}

func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
