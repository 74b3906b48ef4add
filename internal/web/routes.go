package web

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/newsdesk/newsdesk/internal/metrics"
)

// routes registers every route of the site in one place.
func (s *Server) routes() {
	page := func(pattern string, h http.HandlerFunc) {
		s.mux.Handle(pattern, s.observe(pattern, s.secure(h)))
	}
	page("GET /{$}", s.handleFront)
	page("GET /article/{id}", s.handleArticle)
	page("GET /search", s.handleSearch)
	page("GET /api/v1/articles", s.handleAPIArticles)
	page("GET /api/v1/articles/{id}", s.handleAPIArticle)
	page("GET /healthz", s.handleHealth)
	page("GET /static/{file}", s.assets.serve)
	s.mux.Handle("GET /metrics", s.observe("GET /metrics", promhttp.HandlerFor(metrics.Registry, promhttp.HandlerOpts{})))
	page("/", s.handleNotFound)
}
