package fetch

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// robotsCache keeps each origin's robots.txt for at most RobotsTTL
// (RFC 9309 §2.4: no longer than 24 hours).
type robotsCache struct {
	c      *Client
	client *http.Client

	mu      sync.Mutex
	origins map[string]*robotsEntry
}

type robotsEntry struct {
	mu      sync.Mutex // held while fetching, so one fetch per origin
	data    *robotstxt.RobotsData
	expires time.Time
	err     error // set when the origin is unreachable: disallow for now
}

// unreachableTTL is how long an unreachable robots.txt (5xx, network
// error) keeps its origin disallowed before we look again.
const unreachableTTL = time.Hour

func newRobotsCache(c *Client, hc *http.Client) *robotsCache {
	return &robotsCache{c: c, client: hc, origins: map[string]*robotsEntry{}}
}

func (r *robotsCache) entry(u *url.URL) *robotsEntry {
	key := u.Scheme + "://" + u.Host
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.origins[key]
	if e == nil {
		e = &robotsEntry{}
		r.origins[key] = e
	}
	return e
}

// load returns the origin's robots data, fetching it when absent or stale.
func (r *robotsCache) load(ctx context.Context, u *url.URL) (*robotstxt.RobotsData, error) {
	e := r.entry(u)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.data != nil && r.c.now().Before(e.expires) {
		return e.data, e.err
	}
	data, err := r.fetch(ctx, u)
	if err != nil && ctx.Err() != nil {
		return nil, ctx.Err() // our cancellation says nothing about the site
	}
	if err != nil {
		if fe, ok := AsError(err); ok && fe.Kind == KindBlocked {
			return nil, err // never cached: the guard decides each time
		}
		e.data, e.err = disallowAll, err
		e.expires = r.c.now().Add(min(unreachableTTL, r.c.cfg.RobotsTTL))
		return e.data, e.err
	}
	e.data, e.err = data, nil
	e.expires = r.c.now().Add(r.c.cfg.RobotsTTL)
	return data, nil
}

var disallowAll, _ = robotstxt.FromStatusAndBytes(http.StatusInternalServerError, nil)
var allowAll, _ = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)

func (r *robotsCache) fetch(ctx context.Context, u *url.URL) (*robotstxt.RobotsData, error) {
	ru := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}
	ctx, cancel := context.WithTimeout(ctx, min(r.c.cfg.TotalTimeout, 30*time.Second))
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ru.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", r.c.cfg.UserAgent)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, r.c.classify(ctx, ru.String(), err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode >= 500:
		return nil, &Error{Kind: KindHTTP, URL: ru.String(), Status: resp.StatusCode}
	case resp.StatusCode >= 400:
		return allowAll, nil // RFC 9309 §2.3.1.3: "unavailable" = allowed
	case resp.StatusCode >= 300:
		// Redirects were followed; a 3xx left over is a loop or too many.
		return allowAll, nil
	}
	dec, err := decoder(resp.Header.Get("Content-Encoding"), resp.Body)
	if err != nil {
		return allowAll, nil
	}
	// Parse at most robotsMaxBody bytes; the rest is ignored (RFC 9309 §2.5).
	body, err := io.ReadAll(io.LimitReader(dec, robotsMaxBody))
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, r.c.classify(ctx, ru.String(), err)
	}
	data, err := robotstxt.FromBytes(body)
	if err != nil || data == nil {
		// A file the parser rejects is treated as no rules at all.
		return allowAll, nil
	}
	return data, nil
}

// check returns a KindRobots *Error when robots.txt disallows u.
func (r *robotsCache) check(ctx context.Context, u *url.URL) error {
	if u.Path == "/robots.txt" {
		return nil
	}
	data, err := r.load(ctx, u)
	if data == nil {
		return err
	}
	if !data.TestAgent(u.RequestURI(), r.c.cfg.RobotsAgent) {
		if err != nil {
			// RFC 9309 says to stay away while robots.txt cannot be
			// read, but an unreachable host (DNS, refused, a timeout, a
			// 5xx) is a temporary state: retried on the short backoff
			kind := KindNetwork
			if fe, ok := AsError(err); ok && fe.Kind == KindTimeout {
				kind = KindTimeout
			}
			return &Error{Kind: kind, URL: u.String(), Err: errors.New("robots.txt unreachable: " + err.Error())}
		}
		return &Error{Kind: KindRobots, URL: u.String(), Err: errors.New("disallowed by robots.txt")}
	}
	return nil
}

// crawlDelay is the cached Crawl-delay for u's origin, 0 if none known.
func (r *robotsCache) crawlDelay(u *url.URL) time.Duration {
	e := r.entry(u)
	if !e.mu.TryLock() {
		return 0
	}
	defer e.mu.Unlock()
	if e.data == nil {
		return 0
	}
	return e.data.FindGroup(r.c.cfg.RobotsAgent).CrawlDelay
}

// Allowed reports whether robots.txt lets us fetch rawURL, fetching the
// file if needed.
func (c *Client) Allowed(ctx context.Context, rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return &Error{Kind: KindInvalid, URL: rawURL, Err: err}
	}
	return c.robots.check(ctx, u)
}

// Sitemaps returns the Sitemap lines of the robots.txt of rawURL's origin.
func (c *Client) Sitemaps(ctx context.Context, rawURL string) ([]string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, &Error{Kind: KindInvalid, URL: rawURL, Err: err}
	}
	data, err := c.robots.load(ctx, u)
	if data == nil {
		return nil, err
	}
	return data.Sitemaps, nil
}
