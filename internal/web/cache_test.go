package web

import (
	"context"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// An expired page is rebuilt once however many readers ask for it: they
// get the expired copy meanwhile. A missing page is built once too: its
// readers wait for that build.
func TestPageCacheBuildsOncePerExpiry(t *testing.T) {
	c := newPageCache(1 << 20)
	now := time.Now()
	var builds atomic.Int32
	release := make(chan struct{})
	build := func(v string) func() built {
		return func() built {
			builds.Add(1)
			<-release
			return built{v: v, size: len(v), keep: true}
		}
	}
	for _, tc := range []struct {
		name, want string
		setup      func()
	}{
		{"missing", "new", func() {}},
		{"expired", "old", func() { c.put("k", "old", 3, time.Second, now.Add(-time.Minute)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c = newPageCache(1 << 20)
			tc.setup()
			builds.Store(0)
			release = make(chan struct{})
			leader := make(chan any)
			go func() { leader <- c.do(context.Background(), "k", time.Minute, now, build("new")) }()
			for builds.Load() == 0 { // the leader has started its build
				time.Sleep(time.Millisecond)
			}
			var wg sync.WaitGroup
			got := make([]any, 50)
			for i := range got {
				wg.Go(func() { got[i] = c.do(context.Background(), "k", time.Minute, now, build("other")) })
			}
			if tc.name == "expired" {
				wg.Wait() // stale readers do not wait for the build
				close(release)
			} else {
				close(release)
				wg.Wait()
			}
			if v := <-leader; v != "new" {
				t.Errorf("leader got %v", v)
			}
			for _, v := range got {
				if v != tc.want {
					t.Fatalf("a reader got %v, want %v", v, tc.want)
				}
			}
			if n := builds.Load(); n != 1 {
				t.Errorf("%d builds, want 1", n)
			}
			if v, ok := c.get("k", now); !ok || v != "new" {
				t.Errorf("cache holds %v %v after the build", v, ok)
			}
		})
	}
}

// A build that is not to be shared (its own client left) makes the
// waiters build for themselves instead of getting its failure.
func TestPageCacheWaitersRebuildAfterUnsharedBuild(t *testing.T) {
	c := newPageCache(1 << 20)
	started, release := make(chan struct{}), make(chan struct{})
	go c.do(context.Background(), "k", time.Minute, time.Now(), func() built {
		close(started)
		<-release
		return built{v: "canceled"}
	})
	<-started
	got := make(chan any)
	go func() {
		got <- c.do(context.Background(), "k", time.Minute, time.Now(), func() built { return built{v: "mine", keep: true} })
	}()
	time.Sleep(10 * time.Millisecond) // let the second caller wait on the first
	close(release)
	if v := <-got; v != "mine" {
		t.Errorf("waiter got %v, want its own build", v)
	}
}

func TestPageCacheBoundedInBytes(t *testing.T) {
	c := newPageCache(100 << 10)
	now := time.Now()
	for i := range 100 {
		c.put(strings.Repeat("k", i+1), i, 10<<10, time.Minute, now)
	}
	if c.bytes > c.maxBytes {
		t.Errorf("cache holds %d bytes, bound %d", c.bytes, c.maxBytes)
	}
	if _, ok := c.get(strings.Repeat("k", 100), now); !ok {
		t.Error("the newest entry was evicted")
	}
	if _, ok := c.get("k", now); ok {
		t.Error("the oldest entry is still there")
	}
	c.put("huge", 0, 60<<10, time.Minute, now)
	if _, ok := c.get("huge", now); ok {
		t.Error("an entry of more than a quarter of the cache was kept")
	}
}

// Parameters a page does not read neither make cache entries nor reach
// the page; an oversized one it reads is refused.
func TestPageKeyHoldsOnlyWhatThePageReads(t *testing.T) {
	ts := newTestSite(t, func(c *Config) { c.CacheTTL = time.Minute })
	first := ts.get(t, "/?utm_source=a&page=1")
	for i := range 20 {
		r := ts.get(t, "/?junk="+strings.Repeat("x", 1000+i)+"&utm_source=b")
		if r.status != 200 || r.body != first.body {
			t.Fatalf("junk request %d: %d, body differs: %v", i, r.status, r.body != first.body)
		}
	}
	if n := len(ts.srv.cache.entries); n != 1 {
		t.Errorf("%d cache entries for one page", n)
	}
	if strings.Contains(first.body, "utm_source") || strings.Contains(first.body, "junk") {
		t.Error("the page shows a parameter it does not read")
	}
	p2 := ts.get(t, "/search?q=caravan&junk=zzz&site=")
	if p2.status != 200 || strings.Contains(p2.body, "zzz") {
		t.Errorf("search with junk: %d, junk shown %v", p2.status, strings.Contains(p2.body, "zzz"))
	}
	if r := ts.get(t, "/?site="+strings.Repeat("x", 60<<10)); r.status != 400 {
		t.Errorf("oversized site parameter: %d, want 400", r.status)
	}
	if r := ts.get(t, "/article/"+itoa(ts.arts[0].ID)+"?original=junk"); r.status != 200 {
		t.Errorf("article with a junk original=: %d", r.status)
	}
	if _, ok := ts.srv.cache.entries["/article/"+itoa(ts.arts[0].ID)+"?"]; !ok {
		t.Error("original=junk was not dropped from the article's key")
	}
}

// A client that makes the site build page after page is told to wait once
// its burst is spent; cached pages are still served to it.
func TestUncachedWorkLimitedPerClient(t *testing.T) {
	ts := newTestSite(t, func(c *Config) { c.CacheTTL = time.Minute })
	for i := range uncachedBurst {
		if r := ts.get(t, "/search?q=caravan"+itoa(int64(i))); r.status != 200 {
			t.Fatalf("search %d: %d", i, r.status)
		}
	}
	r := ts.get(t, "/search?q=another")
	if r.status != 429 || r.header.Get("Retry-After") == "" {
		t.Errorf("build beyond the burst: %d, Retry-After %q; want 429 with Retry-After", r.status, r.header.Get("Retry-After"))
	}
	if r := ts.get(t, "/search?q=caravan0"); r.status != 200 {
		t.Errorf("a cached page: %d", r.status)
	}
	if r := ts.get(t, "/api/v1/articles"); r.status != 429 {
		t.Errorf("the API, which is not cached, beyond the burst: %d, want 429", r.status)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Without a base URL, pages link to themselves through the request's
// host; a page asked for under one Host is not served under another.
func TestPageCacheKeyHoldsHostWithoutBaseURL(t *testing.T) {
	ts := newTestSite(t, func(c *Config) { c.CacheTTL = time.Minute; c.BaseURL = "" })
	get := func(host string) string {
		req := httptest.NewRequest("GET", "/", nil)
		req.Host = host
		rec := httptest.NewRecorder()
		ts.srv.ServeHTTP(rec, req)
		return rec.Body.String()
	}
	if body := get("evil.example"); !strings.Contains(body, "evil.example") {
		t.Fatal("the page does not link through its host; this test tests nothing")
	}
	if body := get("news.example.org"); strings.Contains(body, "evil.example") || !strings.Contains(body, "news.example.org") {
		t.Error("a page cached under another Host was served")
	}
}

// Per-client limits count an IPv6 client by its /64, which it usually
// holds whole: a new address in it is the same client.
func TestLimitKey(t *testing.T) {
	for addr, want := range map[string]string{
		"192.0.2.7":            "192.0.2.7",
		"2001:db8:1:2:aaaa::1": "2001:db8:1:2::/64",
		"2001:db8:1:2:bbbb::9": "2001:db8:1:2::/64",
		"::ffff:192.0.2.7":     "::ffff:192.0.2.7",
		"not an address":       "not an address",
	} {
		if got := limitKey(addr); got != want {
			t.Errorf("limitKey(%q) = %q, want %q", addr, got, want)
		}
	}
}
