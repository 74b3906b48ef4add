package collect

import (
	"context"
	"io"
	"log/slog"
	"net/netip"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/fetch/sampleweb"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/pipeline"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
)

type rig struct {
	st  *sqlite.Store
	c   *Collector
	dir string
}

func testLog(t testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func newRig(t testing.TB, dbPath string, fcfg fetch.Config) *rig {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if fcfg.Allow == nil {
		fcfg.Allow = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	}
	if fcfg.MinDelay == 0 {
		fcfg.MinDelay = -1
	}
	if fcfg.TotalTimeout == 0 {
		fcfg.TotalTimeout = 5 * time.Second
	}
	if fcfg.MaxBody == 0 {
		fcfg.MaxBody = 4 << 20 // bombs hit the cap sooner, also under -race
	}
	log := testLog(t)
	c, err := New(ctx, Config{
		Store: st, Fetch: fetch.New(fcfg),
		Processor:         pipeline.Minimal(st, log),
		Log:               log,
		Workers:           4,
		FetchPollInterval: 20 * time.Millisecond,
	})
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	return &rig{st: st, c: c, dir: filepath.Dir(dbPath)}
}

func (r *rig) close() {
	r.c.Close()
	r.st.Close()
}

func (r *rig) add(t testing.TB, url string, kind news.SourceKind) int64 {
	t.Helper()
	s := &news.Source{URL: url, Kind: kind}
	if err := r.st.AddSource(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return s.ID
}

func TestCollectSampleWeb(t *testing.T) {
	t.Parallel()
	const n = 8
	rss := sampleweb.NewOutlet("Morning Gazette", n)
	defer rss.Server.Close()
	site := sampleweb.NewOutlet("Evening Star", n)
	defer site.Server.Close()
	smap := sampleweb.NewOutlet("Harbour Times", n)
	defer smap.Server.Close()
	bad := sampleweb.NewHostile()
	defer bad.Server.Close()

	r := newRig(t, filepath.Join(t.TempDir(), "c.db"), fetch.Config{})
	defer r.close()
	good := map[string]int64{
		"rss":     r.add(t, rss.URL("/feed.xml"), ""),
		"atom":    r.add(t, rss.URL("/atom.xml"), news.KindFeed), // same articles as rss
		"site":    r.add(t, site.URL("/"), ""),
		"sitemap": r.add(t, smap.URL("/sitemap.xml"), ""),
		"bad":     r.add(t, bad.URL("/bad-articles.xml"), ""),
		"charset": r.add(t, bad.URL("/wrong-charset.xml"), ""),
	}
	// The slow drip gets a host of its own: requests to one host wait
	// for each other, and the article /drip already holds bad's.
	drip := sampleweb.NewHostile()
	defer drip.Server.Close()
	hostile := map[string]int64{"/drip": r.add(t, drip.URL("/drip"), "")}
	for _, p := range []string{"/gzip-bomb", "/html-bomb", "/huge", "/huge-chunked", "/loop", "/500", "/429", "/malformed.xml", "/private/feed.xml"} {
		hostile[p] = r.add(t, bad.URL(p), "")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	start := time.Now()
	stats, err := r.c.Once(ctx)
	if err != nil {
		t.Fatalf("Once: %v (stats %+v)", err, stats)
	}
	t.Logf("once took %v: %+v", time.Since(start), stats)

	count := func(src int64) int {
		n, err := r.st.CountArticles(ctx, store.ArticleFilter{SourceID: src})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// The RSS and Atom feeds announce the same articles: fetched once,
	// stored under whichever source enqueued first.
	if got := count(good["rss"]) + count(good["atom"]); got != n {
		t.Errorf("rss+atom stored %d articles, want %d", got, n)
	}
	for i := range n {
		if h := rss.Hits(strings.TrimPrefix(sampleweb.ArticleURL("", i), "")); h != 1 {
			t.Errorf("article %d fetched %d times, want 1", i, h)
		}
	}
	if got := count(good["site"]); got != n {
		t.Errorf("site stored %d, want %d", got, n)
	}
	if got := count(good["sitemap"]); got != n {
		t.Errorf("sitemap stored %d, want %d", got, n)
	}
	if got := count(good["bad"]); got != 1 {
		t.Errorf("bad-articles stored %d, want only the good one", got)
		dumpArticles(t, r.st, good["bad"])
	}
	if bad.Server == nil || site.Hits("/feed.xml") != 1 {
		t.Errorf("site's feed read %d times", site.Hits("/feed.xml"))
	}
	// Each good source is OK with its kind found.
	wantKind := map[string]news.SourceKind{"rss": news.KindFeed, "atom": news.KindFeed, "site": news.KindSite,
		"sitemap": news.KindSitemap, "bad": news.KindFeed, "charset": news.KindFeed}
	now := time.Now()
	for name, id := range good {
		s, err := r.st.Source(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if s.State != news.StateOK || s.LastError != "" || s.Kind != wantKind[name] || !s.NextPollAt.After(now) {
			t.Errorf("%s: state %s kind %s err %q next %v", name, s.State, s.Kind, s.LastError, s.NextPollAt)
		}
	}
	if s, _ := r.st.Source(ctx, good["charset"]); s.Name != "Café news" {
		t.Errorf("wrong-charset feed title %q", s.Name)
	}
	// Each hostile source failed, with its error recorded and its backoff.
	wantErr := map[string]string{
		"/gzip-bomb": "too_large", "/html-bomb": "too_large", "/huge": "too_large", "/huge-chunked": "too_large",
		"/loop": "redirect", "/drip": "timeout", "/500": "HTTP 500", "/429": "HTTP 429",
		"/malformed.xml": "feed:", "/private/feed.xml": "robots",
	}
	for p, id := range hostile {
		s, err := r.st.Source(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if s.State != news.StateFailing || s.Failures != 1 || !strings.Contains(s.LastError, wantErr[p]) {
			t.Errorf("%s: state %s failures %d error %q", p, s.State, s.Failures, s.LastError)
			continue
		}
		wait := s.NextPollAt.Sub(s.LastPolledAt)
		lo, hi := 30*time.Second, time.Minute
		switch p {
		case "/429":
			lo, hi = 120*time.Second, 121*time.Second
		case "/private/feed.xml":
			lo, hi = 6*time.Hour, 6*time.Hour+time.Second
		}
		if wait < lo || wait > hi {
			t.Errorf("%s: next try in %v, want within [%v, %v]", p, wait, lo, hi)
		}
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if ms.HeapAlloc > 256<<20 {
		t.Errorf("heap %d MiB after collection", ms.HeapAlloc>>20)
	}

	// A day later everything is due again: the feed answers 304, nothing
	// is fetched twice, failing sources are retried and fail again.
	r.c.now = func() time.Time { return time.Now().Add(25 * time.Hour) }
	stats2, err := r.c.Once(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stats2.NotModified-stats.NotModified < 1 || stats2.Inserted != stats.Inserted {
		t.Errorf("second run: %+v", stats2)
	}
	if s, _ := r.st.Source(ctx, hostile["/500"]); s.Failures != 2 {
		t.Errorf("/500 failures after retry: %d", s.Failures)
	}
	if s, _ := r.st.Source(ctx, good["rss"]); s.NotModified != 1 || s.Polls != 2 {
		t.Errorf("rss: polls %d, 304s %d", s.Polls, s.NotModified)
	}
}

func TestSourceRemovedBeforePoll(t *testing.T) {
	o := sampleweb.NewOutlet("G", 2)
	defer o.Server.Close()
	r := newRig(t, filepath.Join(t.TempDir(), "r.db"), fetch.Config{})
	defer r.close()
	id := r.add(t, o.URL("/feed.xml"), "")
	ctx := context.Background()
	if _, err := r.c.EnqueueDue(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.st.RemoveSource(ctx, id); err != nil {
		t.Fatal(err)
	}
	stats, err := r.c.Once(ctx)
	if err != nil || stats.Enqueued != 0 || o.Hits("/feed.xml") != 0 {
		t.Fatalf("removed source polled: %+v %v", stats, err)
	}
}

func TestSecondCollectorRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "l.db")
	r := newRig(t, path, fetch.Config{})
	defer r.close()
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, err = New(context.Background(), Config{Store: st, Fetch: fetch.New(fetch.Config{}),
		Processor: pipeline.Minimal(st, nil)})
	if err == nil || !strings.Contains(err.Error(), "another collector") {
		t.Fatalf("second collector: %v", err)
	}
}

func dumpArticles(t *testing.T, st store.Store, src int64) {
	as, _ := st.ListArticles(context.Background(), store.ArticleFilter{SourceID: src, Limit: 100})
	for _, a := range as {
		t.Logf("stored %s %q %d words", a.FetchURL, a.Title, a.WordCount())
	}
}

// TestBusyHostSnoozes: with a politeness delay, article jobs that would
// wait long for their host snooze instead of holding a worker, and Once
// still collects them all.
func TestBusyHostSnoozes(t *testing.T) {
	t.Parallel()
	o := sampleweb.NewOutlet("Slow Host", 6)
	defer o.Server.Close()
	r := newRig(t, filepath.Join(t.TempDir(), "busy.db"), fetch.Config{MinDelay: 300 * time.Millisecond})
	defer r.close()
	r.c.cfg.HostMaxWait = 100 * time.Millisecond
	id := r.add(t, o.URL("/feed.xml"), "")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	stats, err := r.c.Once(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := r.st.CountArticles(ctx, store.ArticleFilter{SourceID: id}); n != 6 {
		src, _ := r.st.Source(ctx, id)
		t.Fatalf("%d articles, want 6 (%+v; source %s %q)", n, stats, src.State, src.LastError)
	}
	if o.MaxInFlight() != 1 {
		t.Fatalf("host saw %d requests at once", o.MaxInFlight())
	}
}
