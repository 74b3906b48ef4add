package web

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/newsdesk/newsdesk/internal/metrics"
)

// Route registers a page route on the site with the standard wrapping
// (metrics by pattern, panic recovery, security headers).
type Route func(pattern string, h http.HandlerFunc)

// routes registers every route of the site in one place.
func (s *Server) routes() {
	page := func(pattern string, h http.HandlerFunc) {
		s.mux.Handle(pattern, s.observe(pattern, s.secure(s.limitAPI(pattern, h))))
	}
	page("GET /{$}", s.handleFront)
	page("GET /article/{id}", s.handleArticle)
	page("GET /search", s.handleSearch)
	page("GET /sites", s.handleSites)
	page("GET /site/{site}", s.handleSite)
	page("GET /source/{id}", s.handleSource)
	page("GET /about", s.handleAbout)

	// Feeds out: the front page (with its filters), per site, per source,
	// per search; per story and per entity below.
	page("GET /feed.atom", s.handleFeed(feedAtom, s.frontFeed))
	page("GET /feed.json", s.handleFeed(feedJSON, s.frontFeed))
	page("GET /site/{site}/feed.atom", s.handleFeed(feedAtom, s.siteFeed))
	page("GET /site/{site}/feed.json", s.handleFeed(feedJSON, s.siteFeed))
	page("GET /source/{id}/feed.atom", s.handleFeed(feedAtom, s.sourceFeed))
	page("GET /source/{id}/feed.json", s.handleFeed(feedJSON, s.sourceFeed))
	page("GET /search/feed.atom", s.handleFeed(feedAtom, s.searchFeed))
	page("GET /search/feed.json", s.handleFeed(feedJSON, s.searchFeed))

	page("GET /sitemap.xml", s.handleSitemap)
	page("GET /sitemaps/articles/{file}", s.handleSitemapPart)
	page("GET /news-sitemap.xml", s.handleNewsSitemap)
	page("GET /sitemaps/news/{file}", s.handleNewsSitemapPart)
	page("GET /robots.txt", s.handleRobots)
	page("GET /favicon.ico", s.handleFavicon)

	// The JSON API, described in openapi.json; its errors are problems
	// (api_problem.go), also for addresses and methods it does not have.
	api := func(pattern string, h http.HandlerFunc) { page(pattern, s.apiRoute(h)) }
	api("GET /api/v1/openapi.json", s.handleOpenAPI)
	api("GET /api/v1/articles", s.handleAPIArticles)
	api("GET /api/v1/articles/{id}", s.handleAPIArticle)
	api("GET /api/v1/stories", s.handleAPIStoryList)
	api("GET /api/v1/stories/{id}", s.handleAPIStoryOne)
	api("GET /api/v1/entities", s.handleAPIEntities)
	api("GET /api/v1/entities/{key}", s.handleAPIEntity)
	api(apiFallback, s.handleAPIFallback)
	page("GET /healthz", s.handleHealth)
	page("GET /static/{file}", s.serveAsset)
	page("GET /media/{token}", s.handleMedia)
	s.mux.Handle("GET /metrics", s.observe("GET /metrics", promhttp.HandlerFor(metrics.Registry, promhttp.HandlerOpts{})))

	page("GET /story/{id}", s.handleStoryPage)
	page("GET /stories", s.handleStoriesPage)
	page("GET /story/{id}/feed.atom", s.handleFeed(feedAtom, s.storyFeed))
	page("GET /story/{id}/feed.json", s.handleFeed(feedJSON, s.storyFeed))

	page("GET /entity/{key}", s.handleEntity)
	page("GET /entities", s.handleEntities)
	page("GET /entity/{key}/feed.atom", s.handleFeed(feedAtom, s.entityFeed))
	page("GET /entity/{key}/feed.json", s.handleFeed(feedJSON, s.entityFeed))

	if s.cfg.Admin != nil && s.cfg.Admin.PasswordHash != "" {
		a := newAdmin(s, *s.cfg.Admin)
		page("GET /admin", a.requireLogin(a.handleSources))
		page("GET /admin/login", a.handleLoginForm)
		page("POST /admin/login", a.handleLogin)
		page("POST /admin/logout", a.requireLogin(a.handleLogout))
		page("POST /admin/sources", a.requireLogin(a.handleAdd))
		page("POST /admin/sources/{id}/{action}", a.requireLogin(a.handleAction))
		page("POST /admin/import-opml", a.requireLogin(a.handleImport))
	}
	if h := s.cfg.WebSub; h != nil {
		page("GET /websub/{id}", h.ServeHTTP)
		page("POST /websub/{id}", h.ServeHTTP)
	}
	page("/", s.handleNotFound)
}
