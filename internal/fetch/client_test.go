package fetch

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/newsdesk/newsdesk/internal/fetch/sampleweb"
)

var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}

func testClient(cfg Config) *Client {
	if cfg.Allow == nil {
		cfg.Allow = loopback
	}
	if cfg.MinDelay == 0 {
		cfg.MinDelay = -1
	}
	if cfg.TotalTimeout == 0 {
		cfg.TotalTimeout = 3 * time.Second
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = 1 << 20
	}
	return New(cfg)
}

func TestGetArticleAndConditional(t *testing.T) {
	o := sampleweb.NewOutlet("Gazette", 5)
	defer o.Server.Close()
	c := testClient(Config{Contact: "https://example.org/contact"})
	ctx := context.Background()

	r, err := c.Get(ctx, Request{URL: o.URL("/feed.xml")})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != 200 || !bytes.Contains(r.Body, []byte("<rss")) || r.ETag == "" {
		t.Fatalf("unexpected response: %d %q etag=%q", r.Status, r.Body[:min(40, len(r.Body))], r.ETag)
	}
	r2, err := c.Get(ctx, Request{URL: o.URL("/feed.xml"), ETag: r.ETag})
	if err != nil {
		t.Fatal(err)
	}
	if !r2.NotModified || len(r2.Body) != 0 || r2.ETag != r.ETag {
		t.Fatalf("conditional GET: NotModified=%v body=%d etag=%q", r2.NotModified, len(r2.Body), r2.ETag)
	}
	if o.Hits("/robots.txt") != 1 {
		t.Fatalf("robots.txt fetched %d times, want 1 (cached)", o.Hits("/robots.txt"))
	}
}

func TestUserAgent(t *testing.T) {
	var got string
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/robots.txt" {
			got = r.Header.Get("User-Agent")
		}
	}))
	defer s.Close()
	c := testClient(Config{Contact: "https://news.example/about"})
	if _, err := c.Get(context.Background(), Request{URL: s.URL + "/x"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "newsdesk") || !strings.Contains(got, "https://news.example/about") {
		t.Fatalf("User-Agent %q lacks product or contact", got)
	}
}

func TestBlockedWithoutAllow(t *testing.T) {
	o := sampleweb.NewOutlet("Gazette", 1)
	defer o.Server.Close()
	c := New(Config{MinDelay: -1}) // default policy: loopback refused
	_, err := c.Get(context.Background(), Request{URL: o.URL("/feed.xml")})
	fe, ok := AsError(err)
	if !ok || fe.Kind != KindBlocked {
		t.Fatalf("got %v, want KindBlocked", err)
	}
	if o.Requests.Load() != 0 {
		t.Fatalf("server saw %d requests", o.Requests.Load())
	}
}

func TestRedirectToBlockedAddress(t *testing.T) {
	// A public-looking redirect chain that lands on a refused address is
	// caught at the hop's dial: 127.0.0.2 is not in the allow list.
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://127.0.0.2:9/metadata", http.StatusFound)
	}))
	defer s.Close()
	c := testClient(Config{})
	_, err := c.Get(context.Background(), Request{URL: s.URL + "/go"})
	if fe, ok := AsError(err); !ok || fe.Kind != KindBlocked {
		t.Fatalf("got %v, want KindBlocked", err)
	}
}

func TestHostile(t *testing.T) {
	h := sampleweb.NewHostile()
	defer h.Server.Close()
	c := testClient(Config{TotalTimeout: 2 * time.Second})
	tests := []struct {
		path   string
		kind   Kind
		status int
	}{
		{"/gzip-bomb", KindTooLarge, 0},
		{"/html-bomb", KindTooLarge, 0},
		{"/huge", KindTooLarge, 0},
		{"/huge-chunked", KindTooLarge, 0},
		{"/loop", KindRedirects, 0},
		{"/redirects/0", KindRedirects, 0},
		{"/drip", KindTimeout, 0},
		{"/500", KindHTTP, 500},
		{"/429", KindHTTP, 429},
		{"/private/x", KindRobots, 0},
		{"/nope", KindHTTP, 404},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := c.Get(context.Background(), Request{URL: h.URL(tt.path)})
			fe, ok := AsError(err)
			if !ok || fe.Kind != tt.kind || fe.Status != tt.status {
				t.Fatalf("got %v, want kind %s status %d", err, tt.kind, tt.status)
			}
			if tt.path == "/429" && fe.RetryAfter != 120*time.Second {
				t.Fatalf("RetryAfter = %v", fe.RetryAfter)
			}
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if grown := int64(after.TotalAlloc - before.TotalAlloc); grown > 64<<20 {
				t.Fatalf("allocated %d MiB for one hostile fetch", grown>>20)
			}
		})
	}
}

func TestEncodings(t *testing.T) {
	body := strings.Repeat("news ", 1000)
	var z, b bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte(body))
	zw.Close()
	bw := brotli.NewWriter(&b)
	bw.Write([]byte(body))
	bw.Close()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/deflate":
			w.Header().Set("Content-Encoding", "deflate")
			w.Write(z.Bytes())
		case "/br":
			w.Header().Set("Content-Encoding", "br")
			w.Write(b.Bytes())
		case "/weird":
			w.Header().Set("Content-Encoding", "zstd-ish")
			w.Write([]byte("x"))
		}
	}))
	defer s.Close()
	c := testClient(Config{})
	for _, p := range []string{"/deflate", "/br"} {
		r, err := c.Get(context.Background(), Request{URL: s.URL + p})
		if err != nil || string(r.Body) != body {
			t.Fatalf("%s: err=%v len=%d", p, err, len(r.Body))
		}
	}
	_, err := c.Get(context.Background(), Request{URL: s.URL + "/weird"})
	if fe, ok := AsError(err); !ok || fe.Kind != KindEncoding {
		t.Fatalf("unknown encoding: %v", err)
	}
}

func TestRobots(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		robots  string
		allowed bool
	}{
		{"disallow for us", 200, "User-agent: newsdesk\nDisallow: /\n\nUser-agent: *\nAllow: /\n", false},
		{"disallow others", 200, "User-agent: otherbot\nDisallow: /\n", true},
		{"404 allows", 404, "", true},
		{"403 allows", 403, "", true},
		{"503 disallows", 503, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := sampleweb.NewOutlet("G", 2)
			defer o.Server.Close()
			o.Robots, o.RobotsStatus = tt.robots, tt.status
			if tt.status == 200 {
				o.RobotsStatus = 0
			}
			c := testClient(Config{})
			_, err := c.Get(context.Background(), Request{URL: o.URL("/feed.xml")})
			if tt.allowed && err != nil {
				t.Fatalf("disallowed: %v", err)
			}
			if !tt.allowed {
				fe, ok := AsError(err)
				if !ok {
					t.Fatalf("got %v, want a fetch error", err)
				}
				// a robots.txt that says no is for good; one that cannot
				// be read (503) keeps us away only until it can
				if want := tt.status != 503; fe.Permanent() != want || (want && fe.Kind != KindRobots) {
					t.Fatalf("got %v (%s, permanent %v), want permanent %v", err, fe.Kind, fe.Permanent(), want)
				}
				if o.Hits("/feed.xml") != 0 {
					t.Fatal("disallowed URL was fetched")
				}
			}
		})
	}
}

func TestRobotsCacheExpires(t *testing.T) {
	o := sampleweb.NewOutlet("G", 2)
	defer o.Server.Close()
	c := testClient(Config{})
	now := time.Now()
	c.now = func() time.Time { return now }
	for range 3 {
		if _, err := c.Get(context.Background(), Request{URL: o.URL("/feed.xml")}); err != nil {
			t.Fatal(err)
		}
	}
	now = now.Add(24*time.Hour + time.Second)
	if _, err := c.Get(context.Background(), Request{URL: o.URL("/feed.xml")}); err != nil {
		t.Fatal(err)
	}
	if n := o.Hits("/robots.txt"); n != 2 {
		t.Fatalf("robots.txt fetched %d times over 24h+, want 2", n)
	}
	sm, err := c.Sitemaps(context.Background(), o.URL("/"))
	if err != nil || len(sm) != 1 || !strings.HasSuffix(sm[0], "/sitemap.xml") {
		t.Fatalf("Sitemaps = %v, %v", sm, err)
	}
}

func TestOneConnectionPerHostAndDelay(t *testing.T) {
	o := sampleweb.NewOutlet("G", 20)
	defer o.Server.Close()
	o.Robots = "User-agent: *\nCrawl-delay: 0.05\n"
	c := testClient(Config{MinDelay: 20 * time.Millisecond})
	var (
		mu    sync.Mutex
		times []time.Time
		wg    sync.WaitGroup
	)
	for i := range 8 {
		wg.Go(func() {
			if _, err := c.Get(context.Background(), Request{URL: sampleweb.ArticleURL(o.Server.URL, i)}); err != nil {
				t.Error(err)
			}
			mu.Lock()
			times = append(times, time.Now())
			mu.Unlock()
		})
	}
	wg.Wait()
	if o.MaxInFlight() != 1 {
		t.Fatalf("host saw %d requests at once, want 1", o.MaxInFlight())
	}
	// 8 articles after robots.txt, each at least the 50 ms crawl delay
	// after the previous one: at least 7 gaps.
	first, last := times[0], times[0]
	for _, tm := range times {
		if tm.Before(first) {
			first = tm
		}
		if tm.After(last) {
			last = tm
		}
	}
	if last.Sub(first) < 7*50*time.Millisecond {
		t.Fatalf("8 requests spanned %v: crawl delay not honoured", last.Sub(first))
	}
}

func TestInvalidURL(t *testing.T) {
	c := testClient(Config{})
	for _, u := range []string{"file:///etc/passwd", "gopher://x/", "/relative", "http://"} {
		_, err := c.Get(context.Background(), Request{URL: u})
		if fe, ok := AsError(err); !ok || fe.Kind != KindInvalid {
			t.Errorf("%s: got %v", u, err)
		}
	}
}

func TestCancelIsNotASiteError(t *testing.T) {
	h := sampleweb.NewHostile()
	defer h.Server.Close()
	c := testClient(Config{TotalTimeout: 10 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(100 * time.Millisecond); cancel() }()
	_, err := c.Get(ctx, Request{URL: h.URL("/drip")})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

func TestFreshnessAndRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	h := http.Header{}
	h.Set("Cache-Control", "public, max-age=600")
	if f := Freshness(h, now); f != 10*time.Minute {
		t.Fatalf("max-age: %v", f)
	}
	h = http.Header{}
	h.Set("Date", now.Format(http.TimeFormat))
	h.Set("Expires", now.Add(time.Hour).Format(http.TimeFormat))
	if f := Freshness(h, now); f != time.Hour {
		t.Fatalf("Expires: %v", f)
	}
	if d := ParseRetryAfter("30", now); d != 30*time.Second {
		t.Fatal(d)
	}
	if d := ParseRetryAfter(now.Add(2*time.Minute).Format(http.TimeFormat), now); d != 2*time.Minute {
		t.Fatal(d)
	}
	if d := ParseRetryAfter("soon", now); d != 0 {
		t.Fatal(d)
	}
}

func TestMaxWaitBusy(t *testing.T) {
	o := sampleweb.NewOutlet("G", 3)
	defer o.Server.Close()
	c := testClient(Config{MinDelay: time.Minute})
	ctx := context.Background()
	if _, err := c.Get(ctx, Request{URL: sampleweb.ArticleURL(o.Server.URL, 0), MaxWait: 50 * time.Millisecond}); err == nil {
		// robots.txt was fetched first: the article waits a minute behind it.
		t.Fatal("article fetched inside the politeness delay")
	} else if fe, ok := AsError(err); !ok || fe.Kind != KindBusy || fe.RetryAfter < 50*time.Second {
		t.Fatalf("got %v, want KindBusy with RetryAfter near a minute", err)
	}
	if o.Hits("/articles/0.html") != 0 {
		t.Fatal("busy request reached the host")
	}
	// A host held by a slow request: the next one is told it is busy.
	arrived, release := make(chan struct{}), make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			close(arrived)
			<-release
		}
	}))
	defer slow.Close()
	c = testClient(Config{TotalTimeout: 30 * time.Second})
	c.Allowed(ctx, slow.URL+"/slow") // robots.txt first
	done := make(chan struct{})
	go func() { c.Get(ctx, Request{URL: slow.URL + "/slow"}); close(done) }()
	<-arrived
	_, err := c.Get(ctx, Request{URL: slow.URL + "/other", MaxWait: 100 * time.Millisecond})
	if fe, ok := AsError(err); !ok || fe.Kind != KindBusy {
		t.Fatalf("got %v while the host is held, want KindBusy", err)
	}
	close(release)
	<-done
}
