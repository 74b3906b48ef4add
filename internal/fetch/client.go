// Package fetch is newsdesk's HTTP client for the open web: polite
// (robots.txt, one connection and a minimum delay per host, conditional
// GET, a User-Agent with a contact URL) and safe (an SSRF guard at dial
// time, caps on redirects, time and decompressed size).
package fetch

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
)

// Config sets the client's policy. Zero fields take the defaults below.
type Config struct {
	// UserAgent is sent on every request. Default: "newsdesk/0.1 (+Contact)".
	UserAgent string
	// Contact is a URL (or mailto:) where site owners reach the operator.
	Contact string
	// RobotsAgent is the product token matched against robots.txt groups.
	RobotsAgent string
	// Allow opens internal address ranges (e.g. 127.0.0.1/32 in tests).
	Allow []netip.Prefix

	MaxBody        int64         // cap on the decompressed body; default 15 MiB
	MaxRedirects   int           // default 10
	ConnectTimeout time.Duration // default 10 s
	HeaderTimeout  time.Duration // default 20 s
	TotalTimeout   time.Duration // whole request incl. body; default 60 s
	// MinDelay is the least time between two requests to one host; a
	// longer robots.txt Crawl-delay wins, up to MaxCrawlDelay. Default
	// 1 s; negative means none (benchmarks on loopback).
	MinDelay      time.Duration
	MaxCrawlDelay time.Duration // default 60 s
	RobotsTTL     time.Duration // at most 24 h (RFC 9309); default 24 h
}

// Defaults.
const (
	DefaultMaxBody      = 15 << 20
	DefaultMaxRedirects = 10
	robotsMaxBody       = 512 << 10 // RFC 9309 asks parsers to read at least 500 KiB
)

func (c Config) withDefaults() Config {
	if c.Contact == "" {
		c.Contact = "https://github.com/newsdesk/newsdesk"
	}
	if c.UserAgent == "" {
		c.UserAgent = "newsdesk/0.1 (+" + c.Contact + ")"
	}
	if c.RobotsAgent == "" {
		c.RobotsAgent = "newsdesk"
	}
	if c.MaxBody <= 0 {
		c.MaxBody = DefaultMaxBody
	}
	if c.MaxRedirects <= 0 {
		c.MaxRedirects = DefaultMaxRedirects
	}
	if c.ConnectTimeout <= 0 {
		c.ConnectTimeout = 10 * time.Second
	}
	if c.HeaderTimeout <= 0 {
		c.HeaderTimeout = 20 * time.Second
	}
	if c.TotalTimeout <= 0 {
		c.TotalTimeout = 60 * time.Second
	}
	if c.MinDelay == 0 {
		c.MinDelay = time.Second
	}
	if c.MinDelay < 0 {
		c.MinDelay = 0
	}
	if c.MaxCrawlDelay <= 0 {
		c.MaxCrawlDelay = time.Minute
	}
	if c.RobotsTTL <= 0 || c.RobotsTTL > 24*time.Hour {
		c.RobotsTTL = 24 * time.Hour
	}
	return c
}

// Client fetches URLs under a Config. It is safe for concurrent use.
type Client struct {
	cfg    Config
	http   *http.Client
	plain  *http.Client // guarded and gated, no robots.txt: for WebSub hubs
	gate   *hostGate
	robots *robotsCache
	now    func() time.Time
}

// New returns a Client for cfg.
func New(cfg Config) *Client {
	cfg = cfg.withDefaults()
	dialer := &net.Dialer{
		Timeout:   cfg.ConnectTimeout,
		KeepAlive: 30 * time.Second,
		Control:   dialControl(cfg.Allow),
	}
	base := &http.Transport{
		Proxy:                  nil, // a proxy would dial on our behalf, past the guard
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           256,
		MaxIdleConnsPerHost:    1,
		MaxConnsPerHost:        1,
		IdleConnTimeout:        90 * time.Second,
		TLSHandshakeTimeout:    cfg.ConnectTimeout,
		ResponseHeaderTimeout:  cfg.HeaderTimeout,
		ExpectContinueTimeout:  time.Second,
		DisableCompression:     true, // we decode ourselves, under the size cap
		MaxResponseHeaderBytes: 256 << 10,
	}
	c := &Client{cfg: cfg, gate: newHostGate(), now: time.Now}
	gated := &gatedTransport{base: base, gate: c.gate, delay: func(*url.URL) time.Duration { return cfg.MinDelay }}
	c.robots = newRobotsCache(c, &http.Client{
		Transport:     gated,
		CheckRedirect: limitRedirects(5),
	})
	c.plain = &http.Client{Transport: gated, CheckRedirect: limitRedirects(cfg.MaxRedirects), Timeout: cfg.TotalTimeout}
	c.http = &http.Client{
		Transport: &gatedTransport{
			base:   base,
			gate:   c.gate,
			robots: c.robots,
			delay:  c.hostDelay,
		},
		CheckRedirect: limitRedirects(cfg.MaxRedirects),
	}
	return c
}

// UserAgent is the User-Agent header the client sends.
func (c *Client) UserAgent() string { return c.cfg.UserAgent }

func (c *Client) hostDelay(u *url.URL) time.Duration {
	d := c.cfg.MinDelay
	if cd := c.robots.crawlDelay(u); cd > d {
		d = min(cd, c.cfg.MaxCrawlDelay)
	}
	return d
}

func limitRedirects(n int) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) > n {
			return &Error{Kind: KindRedirects, URL: via[0].URL.String(), Err: fmt.Errorf("more than %d redirects", n)}
		}
		if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
			return &Error{Kind: KindInvalid, URL: req.URL.String(), Err: errors.New("redirect to a non-HTTP scheme")}
		}
		for _, v := range via {
			if v.URL.String() == req.URL.String() {
				return &Error{Kind: KindRedirects, URL: via[0].URL.String(), Err: errors.New("redirect loop")}
			}
		}
		return nil
	}
}

// Request is one GET.
type Request struct {
	URL string
	// ETag and LastModified from the last fetch make the GET conditional.
	ETag         string
	LastModified string
	Accept       string // default: anything
	// MaxBody overrides the client's cap for this request (e.g. sitemaps).
	MaxBody int64
	// MaxWait, when set, is the longest the request waits for its turn at
	// the host (behind other requests and the politeness delay); past it
	// Get fails fast with KindBusy and a RetryAfter, so that a worker can
	// do other hosts' work meanwhile. 0 waits as long as ctx allows.
	MaxWait time.Duration
}

// Response is a completed fetch. Body is decompressed and capped.
type Response struct {
	URL          string // final URL after redirects
	Status       int
	Header       http.Header
	Body         []byte
	NotModified  bool // 304: Body is empty, the caller's copy is current
	ETag         string
	LastModified string
	ContentType  string
	// Fresh is how long the server says the response stays fresh
	// (Cache-Control max-age, else Expires - Date); 0 when unsaid.
	Fresh time.Duration
	// RetryAfter is the server's Retry-After, if any.
	RetryAfter time.Duration
	FetchedAt  time.Time
	Elapsed    time.Duration
}

// Get fetches req.URL. A status >= 400 is an *Error of KindHTTP; 304 is a
// Response with NotModified set.
func (c *Client) Get(ctx context.Context, req Request) (*Response, error) {
	u, err := url.Parse(req.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		if err == nil {
			err = errors.New("only absolute http and https URLs are fetched")
		}
		return nil, &Error{Kind: KindInvalid, URL: req.URL, Err: err}
	}
	u.Fragment = ""
	start := c.now()
	// The total timeout counts the time the request holds its host's
	// slot (connect, headers, body, on every redirect hop), not the time
	// it waits behind other requests to the same host: the caller's
	// context bounds that wait.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	b := &budget{remaining: c.cfg.TotalTimeout, cancel: cancel, maxWait: req.MaxWait}
	defer b.pause()
	ctx = context.WithValue(ctx, budgetKey{}, b)
	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &Error{Kind: KindInvalid, URL: req.URL, Err: err}
	}
	hr.Header.Set("User-Agent", c.cfg.UserAgent)
	hr.Header.Set("Accept-Encoding", "gzip, deflate, br")
	accept := req.Accept
	if accept == "" {
		accept = "*/*"
	}
	hr.Header.Set("Accept", accept)
	if req.ETag != "" {
		hr.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hr.Header.Set("If-Modified-Since", req.LastModified)
	}
	resp, err := c.http.Do(hr)
	if err != nil {
		return nil, c.classify(ctx, req.URL, err)
	}
	defer resp.Body.Close()

	out := &Response{
		URL:          resp.Request.URL.String(),
		Status:       resp.StatusCode,
		Header:       resp.Header,
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		ContentType:  resp.Header.Get("Content-Type"),
		FetchedAt:    start,
	}
	now := c.now()
	out.RetryAfter = ParseRetryAfter(resp.Header.Get("Retry-After"), now)
	out.Fresh = Freshness(resp.Header, now)
	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.NotModified = true
		if out.ETag == "" {
			out.ETag = req.ETag
		}
		if out.LastModified == "" {
			out.LastModified = req.LastModified
		}
		out.Elapsed = c.now().Sub(start)
		return out, nil
	case resp.StatusCode >= 400:
		// Drain a little so the connection can be reused, no more.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return out, &Error{Kind: KindHTTP, URL: req.URL, Status: resp.StatusCode, RetryAfter: out.RetryAfter}
	}
	limit := c.cfg.MaxBody
	if req.MaxBody > 0 {
		limit = req.MaxBody
	}
	body, err := readBody(resp, limit)
	if err != nil {
		if errors.Is(context.Cause(ctx), errTotalTimeout) {
			return nil, &Error{Kind: KindTimeout, URL: req.URL, Err: errTotalTimeout}
		}
		if fe, ok := AsError(err); ok {
			fe.URL = req.URL
			return nil, fe
		}
		return nil, c.classify(ctx, req.URL, err)
	}
	out.Body = body
	out.Elapsed = c.now().Sub(start)
	return out, nil
}

// PostForm posts a form (a WebSub subscription request) through the same
// SSRF guard and host gate, without a robots.txt check: robots.txt governs
// crawling, not an API the site asked us to call. It returns the status
// and up to 64 KiB of the response body.
func (c *Client) PostForm(ctx context.Context, rawURL string, form url.Values) (int, []byte, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return 0, nil, &Error{Kind: KindInvalid, URL: rawURL, Err: errors.New("only absolute http and https URLs")}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return 0, nil, &Error{Kind: KindInvalid, URL: rawURL, Err: err}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	resp, err := c.plain.Do(req)
	if err != nil {
		return 0, nil, c.classify(ctx, rawURL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, body, nil
}

// classify turns a transport error into an *Error, keeping a
// cancellation by the caller as it is.
func (c *Client) classify(ctx context.Context, rawURL string, err error) error {
	if fe, ok := AsError(err); ok {
		if fe.URL == "" {
			fe.URL = rawURL
		}
		return fe
	}
	if errors.Is(err, ErrBlockedAddress) {
		return &Error{Kind: KindBlocked, URL: rawURL, Err: err}
	}
	if errors.Is(context.Cause(ctx), errTotalTimeout) {
		return &Error{Kind: KindTimeout, URL: rawURL, Err: errTotalTimeout}
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &Error{Kind: KindTimeout, URL: rawURL, Err: err}
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return &Error{Kind: KindTimeout, URL: rawURL, Err: err}
	}
	return &Error{Kind: KindNetwork, URL: rawURL, Err: err}
}

// readBody decodes the response's Content-Encoding and reads at most limit
// decompressed bytes: a small gzip bomb cannot grow past the cap.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	if enc == "" || enc == "identity" {
		if resp.ContentLength > limit {
			return nil, &Error{Kind: KindTooLarge, Err: fmt.Errorf("Content-Length %d over the %d byte cap", resp.ContentLength, limit)}
		}
	}
	r, err := decoder(enc, resp.Body)
	if err != nil {
		return nil, &Error{Kind: KindEncoding, Err: err}
	}
	var buf bytes.Buffer
	if resp.ContentLength > 0 && resp.ContentLength <= limit {
		buf.Grow(int(resp.ContentLength))
	}
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if n > limit {
		return nil, &Error{Kind: KindTooLarge, Err: fmt.Errorf("decompressed body over the %d byte cap", limit)}
	}
	if err != nil {
		if enc != "" && enc != "identity" && !isTimeout(err) {
			return nil, &Error{Kind: KindEncoding, Err: err}
		}
		return nil, err
	}
	return buf.Bytes(), nil
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

func decoder(enc string, r io.Reader) (io.Reader, error) {
	switch enc {
	case "", "identity":
		return r, nil
	case "gzip", "x-gzip":
		return gzip.NewReader(r)
	case "br":
		return brotli.NewReader(r), nil
	case "deflate":
		// "deflate" is meant to be zlib-wrapped, but servers send raw
		// DEFLATE too: look at the header to tell.
		br := bufio.NewReader(r)
		h, _ := br.Peek(2)
		if len(h) == 2 && h[0]&0x0f == 8 && (uint16(h[0])<<8|uint16(h[1]))%31 == 0 {
			return zlib.NewReader(br)
		}
		return flate.NewReader(br), nil
	}
	return nil, fmt.Errorf("unsupported Content-Encoding %q", enc)
}

// ParseRetryAfter reads a Retry-After header: seconds or an HTTP date.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil {
		if s < 0 {
			return 0
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// Freshness is how long a response stays fresh per Cache-Control max-age,
// or else Expires minus Date (or now). no-cache/no-store give 0.
func Freshness(h http.Header, now time.Time) time.Duration {
	for _, d := range strings.Split(h.Get("Cache-Control"), ",") {
		d = strings.ToLower(strings.TrimSpace(d))
		if d == "no-cache" || d == "no-store" {
			return 0
		}
		if v, ok := strings.CutPrefix(d, "max-age="); ok {
			if s, err := strconv.Atoi(strings.Trim(v, `"`)); err == nil && s > 0 {
				return time.Duration(s) * time.Second
			}
			return 0
		}
	}
	if exp := h.Get("Expires"); exp != "" {
		t, err := http.ParseTime(exp)
		if err != nil {
			return 0
		}
		base := now
		if d, err := http.ParseTime(h.Get("Date")); err == nil {
			base = d
		}
		if f := t.Sub(base); f > 0 {
			return f
		}
	}
	return 0
}

type budgetKey struct{}

var errTotalTimeout = errors.New("total request time exceeded")

// budget is a request's TotalTimeout, spent only while it holds a slot.
type budget struct {
	mu        sync.Mutex
	remaining time.Duration
	started   time.Time
	timer     *time.Timer
	cancel    context.CancelCauseFunc
	maxWait   time.Duration // for the host gate; 0 = no limit
}

func (b *budget) resume() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.timer != nil {
		return
	}
	b.started = time.Now()
	b.timer = time.AfterFunc(b.remaining, func() { b.cancel(errTotalTimeout) })
}

func (b *budget) pause() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.timer == nil {
		return
	}
	b.timer.Stop()
	b.timer = nil
	b.remaining -= time.Since(b.started)
}

func budgetOf(ctx context.Context) *budget {
	b, _ := ctx.Value(budgetKey{}).(*budget)
	return b
}

// hostGate lets one request at a time reach a host, and no sooner than the
// host's delay after the previous one finished.
type hostGate struct {
	mu    sync.Mutex
	hosts map[string]*hostSlot
}

type hostSlot struct {
	sem  chan struct{}
	next time.Time // guarded by holding sem
}

func newHostGate() *hostGate { return &hostGate{hosts: map[string]*hostSlot{}} }

func (g *hostGate) acquire(ctx context.Context, host string, maxWait time.Duration) (*hostSlot, error) {
	g.mu.Lock()
	s := g.hosts[host]
	if s == nil {
		s = &hostSlot{sem: make(chan struct{}, 1)}
		g.hosts[host] = s
	}
	g.mu.Unlock()
	var deadline <-chan time.Time
	if maxWait > 0 {
		t := time.NewTimer(maxWait)
		defer t.Stop()
		deadline = t.C
	}
	select {
	case s.sem <- struct{}{}:
	case <-deadline:
		return nil, &Error{Kind: KindBusy, RetryAfter: maxWait, Err: errors.New("host busy with other requests")}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if wait := time.Until(s.next); wait > 0 {
		if maxWait > 0 && wait > maxWait {
			<-s.sem
			return nil, &Error{Kind: KindBusy, RetryAfter: wait, Err: errors.New("host's politeness delay not over")}
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			<-s.sem
			return nil, ctx.Err()
		}
	}
	return s, nil
}

func (s *hostSlot) release(delay time.Duration) {
	s.next = time.Now().Add(delay)
	<-s.sem
}

// gatedTransport checks robots.txt and passes each request (each redirect
// hop included) through the host gate; the slot is held until the body is
// closed, so "one connection per host" holds for the body too.
type gatedTransport struct {
	base   http.RoundTripper
	gate   *hostGate
	robots *robotsCache // nil: no robots check (used to fetch robots.txt)
	delay  func(*url.URL) time.Duration
}

func (t *gatedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.robots != nil {
		if err := t.robots.check(req.Context(), req.URL); err != nil {
			return nil, err
		}
	}
	b := budgetOf(req.Context())
	var maxWait time.Duration
	if b != nil {
		maxWait = b.maxWait
	}
	slot, err := t.gate.acquire(req.Context(), req.URL.Host, maxWait)
	if err != nil {
		return nil, err
	}
	b.resume()
	delay := t.delay(req.URL)
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		b.pause()
		slot.release(delay)
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: func() { b.pause(); slot.release(delay) }}
	return resp, nil
}

type releasingBody struct {
	io.ReadCloser
	once    sync.Once
	release func()
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}
