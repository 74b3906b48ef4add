// Package web is newsdesk's reader site, JSON API, feeds, sitemaps and
// operational endpoints. It only reads and writes through the store
// interface.
package web

import (
	"context"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/translate"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config is what the site needs.
type Config struct {
	Store    store.Store
	Log      *slog.Logger
	SiteName string // shown in the header; default "newsdesk"
	// Language is the readers' language (a BCP 47 tag, default "en"): the
	// one articles are translated into and shown in, and the pages' lang.
	// The site's own words (menus, notes) are English.
	Language string
	// BaseURL is the public URL of the site, for canonical links and feeds
	// ("" = derived from each request).
	BaseURL string
	// Now returns the current time; tests set it.
	Now func() time.Time
	// RemoteImages lets pages load images from the outlets' servers. Off by
	// default: every such request tells a third party who reads what, so
	// images are then shown through Media, or without it as links to the
	// original.
	RemoteImages bool
	// Media is the image proxy that serves article images from our own
	// origin at /media/{token}; nil shows images as links.
	Media *media.Proxy
	// TrustForwardedFor takes the client address for view counting from
	// the last X-Forwarded-For hop (set it only behind a reverse proxy).
	TrustForwardedFor bool
	// CacheTTL is how long rendered pages are reused (default 15s; <0 off).
	CacheTTL time.Duration
	// Admin turns /admin on when it holds a password hash.
	Admin *AdminOptions
	// WebSub, when set, answers WebSub hubs at /websub/{id}: the
	// collector's subscriber.
	WebSub http.Handler
	// Translator, when set, puts the roles an article's panel lists into
	// the reader's language: the pipeline's translation service, whose
	// store cache keeps each answer. Without it they show as written.
	Translator translate.Translator
}

// MaxHeaderBytes bounds a request's line and headers, for the http.Server
// that serves the site. No page reads a parameter longer than 200 bytes
// and a browser's headers take a few kB, so a longer request is junk: the
// server refuses it (431) before reading it all, where parsing a 60 kB
// query string would cost more than serving the page.
const MaxHeaderBytes = 16 << 10

// Server is the site. It is an http.Handler.
type Server struct {
	cfg    Config
	store  store.Store
	log    *slog.Logger
	pages  map[string]*template.Template
	assets *assets
	mux    *http.ServeMux
	csp    string

	// The store again, by the part of it each feature uses.
	views   store.ViewStore
	related store.RelatedStore
	facets  store.FacetStore
	sources sourceLookup

	cache  *pageCache // rendered pages
	memo   *pageCache // small computed parts (popular box, related, facets)
	viewer *viewCounter
	work   *workLimiter // page builds per client

	proxyWarning sync.Once
}

// A client may have this many pages built at once that the cache did not
// hold, then this many a second: a reader never notices, a crawler of
// unique addresses is slowed to what the site can afford.
const (
	uncachedBurst     = 100
	uncachedPerSecond = 20
)

// sourceLookup is the part of store.SourceStore the site uses.
type sourceLookup interface {
	Source(ctx context.Context, id int64) (*store.SourceRecord, error)
}

// New builds the site's handler.
func New(cfg Config) (*Server, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.SiteName == "" {
		cfg.SiteName = "newsdesk"
	}
	if cfg.Language == "" {
		cfg.Language = "en"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.CacheTTL == 0 {
		cfg.CacheTTL = 15 * time.Second
	}
	s := &Server{cfg: cfg, store: cfg.Store, log: cfg.Log, mux: http.NewServeMux()}
	s.views, s.related, s.facets, s.sources = cfg.Store, cfg.Store, cfg.Store, cfg.Store
	s.cache = newPageCache(64 << 20)
	s.memo = newPageCache(2000 * memoSize)
	s.work = newWorkLimiter(uncachedBurst, uncachedPerSecond)
	s.viewer = newViewCounter()
	s.csp = contentSecurityPolicy(cfg.RemoteImages)
	var err error
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if s.pages, err = s.parseTemplates(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

func (s *Server) now() time.Time { return s.cfg.Now().UTC() }
