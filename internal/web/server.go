// Package web is newsdesk's reader site, JSON API and operational
// endpoints. It only reads and writes through the store interfaces.
package web

import (
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
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
	// BaseURL is the public URL of the site, for canonical links and feeds
	// ("" = derived from each request).
	BaseURL string
	// Now returns the current time; tests set it.
	Now func() time.Time
}

// Server is the site. It is an http.Handler.
type Server struct {
	cfg    Config
	store  store.Store
	log    *slog.Logger
	pages  map[string]*template.Template
	assets *assets
	mux    *http.ServeMux
}

// New builds the site's handler.
func New(cfg Config) (*Server, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.SiteName == "" {
		cfg.SiteName = "newsdesk"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, store: cfg.Store, log: cfg.Log, mux: http.NewServeMux()}
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
