package web

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// pageCache keeps built responses (or other values) for a while. Under
// load it builds each key once at a time: while a key is rebuilt, readers
// of its expired copy get that copy (stale while revalidate) and readers
// of a missing key wait for the one build (single flight). It is bounded
// in bytes; the least recently used entries go first.
type pageCache struct {
	mu       sync.Mutex
	maxBytes int
	bytes    int
	entries  map[string]*list.Element // of *cacheEntry
	lru      list.List                // front: most recently used
	flights  map[string]*flight
}

type cacheEntry struct {
	key     string
	v       any
	size    int
	expires time.Time
}

// flight is a build in progress; done closes when v is set.
type flight struct {
	done  chan struct{}
	v     any
	share bool
}

// built is what a build gives the cache: the value, its size in bytes,
// whether it may be cached, and whether requests that waited for it may
// use it (not when the build failed only because its own client left).
type built struct {
	v           any
	size        int
	keep, share bool
}

// maxStale is how long past its expiry a copy may still be served while
// its replacement is built; older copies are rebuilt before anyone sees
// them again.
const maxStale = 5 * time.Minute

func newPageCache(maxBytes int) *pageCache {
	return &pageCache{maxBytes: maxBytes, entries: map[string]*list.Element{}, flights: map[string]*flight{}}
}

// get returns the value under key if it has not expired.
func (c *pageCache) get(key string, now time.Time) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok || !now.Before(el.Value.(*cacheEntry).expires) {
		return nil, false
	}
	c.lru.MoveToFront(el)
	return el.Value.(*cacheEntry).v, true
}

// put stores v under key for ttl.
func (c *pageCache) put(key string, v any, size int, ttl time.Duration, now time.Time) {
	if ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.store(key, v, size, now.Add(ttl))
}

func (c *pageCache) store(key string, v any, size int, expires time.Time) {
	size += len(key) + 100 // the entry's own bookkeeping
	if size > c.maxBytes/4 {
		return // one entry must not push out most of the others
	}
	if el, ok := c.entries[key]; ok {
		c.remove(el)
	}
	c.entries[key] = c.lru.PushFront(&cacheEntry{key: key, v: v, size: size, expires: expires})
	c.bytes += size
	for c.bytes > c.maxBytes {
		c.remove(c.lru.Back())
	}
}

func (c *pageCache) remove(el *list.Element) {
	e := c.lru.Remove(el).(*cacheEntry)
	delete(c.entries, e.key)
	c.bytes -= e.size
}

// do returns the value under key, built by build when it is missing or
// expired. Only one build of a key runs at a time (see pageCache).
func (c *pageCache) do(ctx context.Context, key string, ttl time.Duration, now time.Time, build func() built) any {
	c.mu.Lock()
	var stale any
	if el, ok := c.entries[key]; ok {
		e := el.Value.(*cacheEntry)
		if now.Before(e.expires) {
			c.lru.MoveToFront(el)
			c.mu.Unlock()
			return e.v
		}
		if now.Sub(e.expires) < maxStale {
			stale = e.v
		}
	}
	if f := c.flights[key]; f != nil {
		c.mu.Unlock()
		if stale != nil {
			return stale
		}
		select {
		case <-f.done:
			if f.share {
				return f.v
			}
		case <-ctx.Done():
		}
		return build().v // the build we waited for is of no use to us
	}
	f := &flight{done: make(chan struct{})}
	c.flights[key] = f
	c.mu.Unlock()

	finished := false
	defer func() {
		if !finished { // build panicked: let the waiters build for themselves
			c.mu.Lock()
			delete(c.flights, key)
			c.mu.Unlock()
			close(f.done)
		}
	}()
	b := build()
	c.mu.Lock()
	delete(c.flights, key)
	if b.keep && ttl > 0 {
		c.store(key, b.v, b.size, now.Add(ttl))
	}
	c.mu.Unlock()
	f.v, f.share = b.v, b.share || b.keep
	finished = true
	close(f.done)
	return b.v
}

// memoSize is the size the memo cache counts for each of its values
// (popular boxes, related lists, facets, top entities: a few kB each).
const memoSize = 8 << 10

// memoize returns the cached value under key or computes and caches it;
// concurrent callers of an expired or missing key share one computation.
func memoize[T any](s *Server, key string, ttl time.Duration, f func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	res := s.memo.do(context.Background(), key, ttl, time.Now(), func() built {
		v, err := f()
		canceled := errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
		return built{v: result{v, err}, size: memoSize, keep: err == nil, share: !canceled}
	}).(result)
	return res.v, res.err
}

// pageParams are the query parameters each cached page reads, by route
// pattern. Any other parameter is dropped before the page is built or
// looked up, so that junk in the query string neither makes a new cache
// entry nor reaches the page (its links, its canonical URL).
var pageParams = map[string][]string{
	"GET /{$}":              {"lang", "page", "site"},
	"GET /article/{id}":     {"original"},
	"GET /search":           {"from", "lang", "page", "q", "site", "to"},
	"GET /search/feed.atom": {"from", "lang", "q", "site", "to"},
	"GET /search/feed.json": {"from", "lang", "q", "site", "to"},
	"GET /feed.atom":        {"lang", "site"},
	"GET /feed.json":        {"lang", "site"},
	"GET /site/{site}":      {"page"},
	"GET /source/{id}":      {"page"},
	"GET /entity/{key}":     {"page"},
	"GET /entities":         {"days", "kind"},
	"GET /stories":          {"page"},
}

// pageQuery returns the request's query reduced to the parameters its page
// reads, in a canonical order, and false when one of them is too long to
// be a real value. Only those parameters are unescaped: junk costs no more
// than reading it. Of a repeated parameter the first counts, as with
// url.Values.Get.
func pageQuery(r *http.Request) (string, bool) {
	names := pageParams[r.Pattern]
	raw := r.URL.RawQuery
	if len(names) == 0 || raw == "" {
		return "", true
	}
	q := url.Values{}
	seen := map[string]bool{}
	for raw != "" {
		var part string
		part, raw, _ = strings.Cut(raw, "&")
		k, v, _ := strings.Cut(part, "=")
		if len(k) > 16 || strings.Contains(part, ";") {
			continue // no page reads a name that long; url.ParseQuery skips ';'
		}
		name, err := url.QueryUnescape(k)
		if err != nil || seen[name] || !slices.Contains(names, name) {
			continue
		}
		if len(v) > 3*maxParamBytes {
			return "", false
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			continue
		}
		seen[name] = true
		switch {
		case val == "":
			continue
		case len(val) > maxParamBytes:
			return "", false
		case name == "page" && val == "1", name == "original" && val != "1":
			continue // what the page shows without it
		}
		q.Set(name, val)
	}
	return q.Encode(), true
}

// withQuery returns a shallow copy of r whose query string is q.
func withQuery(r *http.Request, q string) *http.Request {
	if r.URL.RawQuery == q {
		return r
	}
	r2 := r.WithContext(r.Context())
	u := *r.URL
	u.RawQuery = q
	r2.URL = &u
	r2.RequestURI = u.RequestURI()
	return r2
}

// cachedPage serves the page cached under the request's path and page
// parameters, or builds, caches (when 200) and serves it.
func (s *Server) cachedPage(w http.ResponseWriter, r *http.Request, build func(*http.Request) *response) {
	s.cachedPageResp(w, r, build)
}

// cachedPageResp is cachedPage that also returns what it sent.
func (s *Server) cachedPageResp(w http.ResponseWriter, r *http.Request, build func(*http.Request) *response) *response {
	q, ok := pageQuery(r)
	if !ok {
		p := s.badRequestPage(r, "A parameter of this address is too long.")
		s.send(w, r, p)
		return p
	}
	r = withQuery(r, q)
	key := r.URL.Path + "?" + q
	if s.cfg.BaseURL == "" {
		// Pages link to themselves through the request's host: one
		// reader's Host header must not end up in another's page.
		key = s.absURL(r, key)
	}
	if s.cfg.CacheTTL < 0 {
		p := build(r)
		s.send(w, r, p)
		return p
	}
	p := s.cache.do(r.Context(), key, s.cfg.CacheTTL, time.Now(), func() built {
		if wait := s.work.take(limitKey(s.clientAddr(r)), s.now()); wait > 0 {
			s.warnProxy(r)
			p := newResponse(http.StatusTooManyRequests, "text/plain; charset=utf-8",
				[]byte("Too many requests for pages not already made; try again in a moment.\n"))
			p.cacheControl = "no-store"
			p.retryAfter = wait
			return built{v: p}
		}
		p := build(r)
		return built{v: p, size: p.size(), keep: p.status == http.StatusOK, share: r.Context().Err() == nil}
	}).(*response)
	s.send(w, r, p)
	return p
}

// limitAPI holds the JSON API's requests, which are not cached, to the
// per-client limit on uncached work; other routes are returned as they
// are (their cache applies the limit to its builds).
func (s *Server) limitAPI(pattern string, h http.HandlerFunc) http.HandlerFunc {
	if !strings.HasPrefix(pattern, "GET /api/") {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if wait := s.work.take(limitKey(s.clientAddr(r)), s.now()); wait > 0 {
			s.warnProxy(r)
			w.Header().Set("Retry-After", retryAfter(wait))
			s.writeProblem(w, r, http.StatusTooManyRequests, "Too many requests; try again in a moment.")
			return
		}
		h(w, r)
	}
}

// size is about what a response holds in memory once it has been sent
// compressed both ways.
func (p *response) size() int { return len(p.body)*3/2 + 512 }

// workLimiter allows each client a burst of page builds (requests the
// cache could not answer) and then a steady rate; cached pages are never
// limited. It keeps one bucket per client address, and forgets them all
// when there are too many (an attacker with that many addresses is not
// stopped by a per-address limit anyway).
type workLimiter struct {
	mu      sync.Mutex
	burst   float64
	perSec  float64
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

const maxBuckets = 50_000

func newWorkLimiter(burst, perSec float64) *workLimiter {
	return &workLimiter{burst: burst, perSec: perSec, buckets: map[string]*bucket{}}
}

// take spends one build for client and returns 0, or how long until the
// client may build again.
func (l *workLimiter) take(client string, now time.Time) time.Duration {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[client]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			clear(l.buckets)
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[client] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.perSec)
	b.at = now
	if b.tokens < 1 {
		return time.Duration((1 - b.tokens) / l.perSec * float64(time.Second))
	}
	b.tokens--
	return 0
}

// limitKey is the part of a client address that per-client limits count
// by: the address, or for IPv6 its /64, which one client usually holds
// whole.
func limitKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil || !ip.Is6() || ip.Is4In6() {
		return addr
	}
	p, _ := ip.Prefix(64)
	return p.String()
}

// warnProxy says once that the site seems to be behind a proxy it was not
// told about: every reader then has the proxy's address, and per-client
// limits hold all of them together.
func (s *Server) warnProxy(r *http.Request) {
	if s.cfg.TrustForwardedFor || r.Header.Get("X-Forwarded-For") == "" {
		return
	}
	s.proxyWarning.Do(func() {
		s.log.Warn("requests come through a proxy (X-Forwarded-For) but --trust-proxy is off: per-client limits count all its readers as one", "proxy", s.clientAddr(r))
	})
}

// retryAfter formats a wait for the Retry-After header (whole seconds, at
// least one).
func retryAfter(d time.Duration) string {
	return strconv.Itoa(int(d.Seconds()) + 1)
}

// topEntitiesTTL is how long the most-named entities are reused: they are
// an aggregate over days of articles (hundreds of milliseconds on a large
// store), and a minute changes them little.
const topEntitiesTTL = time.Minute

// topEntities is store.EntityStore.TopEntities over the last days up to
// the window's end (windowEnd), memoised for topEntitiesTTL.
func (s *Server) topEntities(ctx context.Context, days int, kind news.EntityKind, limit int) ([]store.EntityCount, error) {
	end, err := s.windowEnd(ctx)
	if err != nil {
		return nil, err
	}
	key := "top:" + strconv.Itoa(days) + ":" + string(kind) + ":" + strconv.Itoa(limit)
	return memoize(s, key, topEntitiesTTL, func() ([]store.EntityCount, error) {
		since := end.Add(-time.Duration(days) * 24 * time.Hour)
		return s.store.(store.EntityStore).TopEntities(ctx, store.TopEntitiesQuery{Since: since, Kind: kind, Limit: limit})
	})
}

// archiveAfter is how old the newest article must be for rankings to end
// at it rather than now: a live site can go a night without news.
const archiveAfter = 24 * time.Hour

// windowEnd is where "the last days" of a ranking end: now, or the
// newest article's listing time when that is more than archiveAfter old.
// A live site's windows are the calendar's; an archive, an imported
// collection or a collector that has been stopped still shows its last
// week of news instead of "None yet". The store orders articles by that
// listing time, so the newest is ListArticles' first.
func (s *Server) windowEnd(ctx context.Context) (time.Time, error) {
	return memoize(s, "window-end", topEntitiesTTL, func() (time.Time, error) {
		now := s.now()
		as, err := s.store.ListArticles(ctx, store.ArticleFilter{Limit: 1})
		if err != nil {
			return time.Time{}, fmt.Errorf("web: newest article: %w", err)
		}
		if len(as) == 0 {
			return now, nil
		}
		if t := listedAt(&as[0]); t.Before(now.Add(-archiveAfter)) {
			return t, nil
		}
		return now, nil
	})
}

// listedAt is the time the store lists an article by: its publication
// time, unless it has none or claims one more than a day after we first
// saw it (a wrong date), then the time we first saw it. The stores
// compute the same from the same fields.
func listedAt(a *news.Article) time.Time {
	if a.Published.IsZero() || a.Published.After(a.FirstSeenAt.Add(24*time.Hour)) {
		return a.FirstSeenAt
	}
	return a.Published
}
