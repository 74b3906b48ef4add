// Package media is newsdesk's image proxy. Pages show article images from
// our own origin (/media/{token}), so a reader's browser never tells an
// outlet who reads what. The proxy fetches only URLs our pages signed,
// with the project's guarded fetcher, and serves only raster images it
// has checked: size-capped, sniffed, and with their pixel count read from
// the header before anything is decoded. Checked images are kept on disk
// under a byte bound.
package media

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/newsdesk/newsdesk/internal/fetch"
)

// Errors a request for an image can end in. They are wrapped with detail.
var (
	ErrBadToken      = errors.New("media: bad token")          // not signed by us: never fetched
	ErrTooLarge      = errors.New("media: image too large")    // more bytes than MaxBytes
	ErrTooManyPixels = errors.New("media: too many pixels")    // width × height over MaxPixels
	ErrNotImage      = errors.New("media: not a raster image") // HTML, SVG, truncated, unknown...
	ErrFetch         = errors.New("media: unable to fetch")    // network, HTTP status, SSRF guard...
)

// Fetcher gets an image's bytes. *fetch.Client is the one for the open
// web; the demo supplies its bundled copies.
type Fetcher interface {
	Get(ctx context.Context, req fetch.Request) (*fetch.Response, error)
}

// Config sets up a Proxy. Zero limits take the defaults below.
type Config struct {
	Fetcher Fetcher // required
	// Dir holds the cache and, unless Key is set, the signing key (file
	// "key", made on first use so addresses survive a restart).
	Dir        string
	Key        []byte
	MaxBytes   int64 // largest image fetched; default 8 MiB
	MaxPixels  int64 // largest width × height; default 40 million
	CacheBytes int64 // bound on the disk cache; default 256 MiB
	// FailureTTL is how long a failed URL is answered from memory
	// before it is fetched again; default 10 minutes.
	FailureTTL time.Duration
	Log        *slog.Logger
}

// The defaults. 8 MiB holds any sensible news photograph; 40 million
// pixels is an 8000 × 5000 image, 160 MB once a browser decodes it.
const (
	DefaultMaxBytes   = 8 << 20
	DefaultMaxPixels  = 40_000_000
	DefaultCacheBytes = 256 << 20
	maxFailures       = 10_000
)

// Image is a checked image, ready to serve.
type Image struct {
	Body          []byte
	Type          string // sniffed Content-Type
	Width, Height int
	ModTime       time.Time // when it was fetched
}

// Proxy signs image URLs for pages and serves the images they name.
type Proxy struct {
	cfg    Config
	sign   signer
	cache  *diskCache
	flight singleflight.Group

	mu       sync.Mutex
	failures map[string]failure // URL -> the last failure, for FailureTTL
}

type failure struct {
	err   error
	until time.Time
}

// New opens a Proxy on cfg.Dir.
func New(cfg Config) (*Proxy, error) {
	if cfg.Fetcher == nil || cfg.Dir == "" {
		return nil, errors.New("media: a fetcher and a directory are required")
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	if cfg.MaxPixels <= 0 {
		cfg.MaxPixels = DefaultMaxPixels
	}
	if cfg.CacheBytes <= 0 {
		cfg.CacheBytes = DefaultCacheBytes
	}
	if cfg.FailureTTL <= 0 {
		cfg.FailureTTL = 10 * time.Minute
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	key := cfg.Key
	if len(key) == 0 {
		var err error
		if key, err = loadKey(filepath.Join(cfg.Dir, "key")); err != nil {
			return nil, err
		}
	}
	cache, err := openCache(filepath.Join(cfg.Dir, "images"), cfg.CacheBytes)
	if err != nil {
		return nil, err
	}
	return &Proxy{cfg: cfg, sign: signer{key: key}, cache: cache, failures: map[string]failure{}}, nil
}

// Path returns the address on our origin that serves the image at raw
// ("/media/{token}"), or false when raw is not an absolute http(s) URL
// the proxy takes.
func (p *Proxy) Path(raw string) (string, bool) {
	if len(raw) > maxURLLen {
		return "", false
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	return "/media/" + p.sign.token(raw), true
}

// Size returns an image's dimensions when the proxy has it cached, so that
// pages can reserve its space.
func (p *Proxy) Size(raw string) (w, h int, ok bool) {
	e, ok := p.cache.lookup(raw)
	if !ok {
		return 0, 0, false
	}
	return e.Width, e.Height, true
}

// Open returns the image a token names: from the cache, or fetched and
// checked. Concurrent requests for one image share one fetch.
func (p *Proxy) Open(ctx context.Context, token string) (*Image, error) {
	raw, err := p.sign.open(token)
	if err != nil {
		return nil, err
	}
	if img, ok := p.cache.get(raw); ok {
		return img, nil
	}
	if err := p.failed(raw); err != nil {
		return nil, err
	}
	v, err, _ := p.flight.Do(raw, func() (any, error) {
		// the fetch outlives one reader's request: others may wait on it
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		img, err := p.fetch(ctx, raw)
		if err != nil {
			p.remember(raw, err)
			return nil, err
		}
		if err := p.cache.put(raw, img); err != nil {
			p.cfg.Log.Warn("media: image not cached", "url", raw, "err", err)
		}
		return img, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*Image), nil
}

func (p *Proxy) fetch(ctx context.Context, raw string) (*Image, error) {
	resp, err := p.cfg.Fetcher.Get(ctx, fetch.Request{
		URL:     raw,
		Accept:  "image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.1",
		MaxBody: p.cfg.MaxBytes,
	})
	if err != nil {
		if fe, ok := fetch.AsError(err); ok && fe.Kind == fetch.KindTooLarge {
			return nil, fmt.Errorf("%w: %s: %v", ErrTooLarge, raw, err)
		}
		return nil, fmt.Errorf("%w: %w", ErrFetch, err)
	}
	if int64(len(resp.Body)) > p.cfg.MaxBytes { // a Fetcher that does not cap
		return nil, fmt.Errorf("%w: %s: %d bytes", ErrTooLarge, raw, len(resp.Body))
	}
	ct, w, h, err := check(resp.Body, p.cfg.MaxPixels)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", raw, err)
	}
	at := resp.FetchedAt
	if at.IsZero() {
		at = time.Now()
	}
	return &Image{Body: resp.Body, Type: ct, Width: w, Height: h, ModTime: at.UTC().Truncate(time.Second)}, nil
}

// failed returns the remembered failure of raw, if it is recent.
func (p *Proxy) failed(raw string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	f, ok := p.failures[raw]
	if !ok {
		return nil
	}
	if time.Now().After(f.until) {
		delete(p.failures, raw)
		return nil
	}
	return f.err
}

func (p *Proxy) remember(raw string, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.failures) >= maxFailures {
		clear(p.failures)
	}
	p.failures[raw] = failure{err: err, until: time.Now().Add(p.cfg.FailureTTL)}
}
