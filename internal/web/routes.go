package web

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/newsdesk/newsdesk/internal/metrics"
)

// Route registers a page route on the site with the standard wrapping
// (metrics by pattern, panic recovery, security headers).
type Route func(pattern string, h http.HandlerFunc)

// extraRoutes lets other files of this package (the admin, stories) add
// their routes in init() without editing this one.
var extraRoutes []func(s *Server, page Route)

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
	// per search.
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

	page("GET /api/v1/articles", s.handleAPIArticles)
	page("GET /api/v1/articles/{id}", s.handleAPIArticle)
	page("GET /healthz", s.handleHealth)
	page("GET /static/{file}", s.serveAsset)
	s.mux.Handle("GET /metrics", s.observe("GET /metrics", promhttp.HandlerFor(metrics.Registry, promhttp.HandlerOpts{})))
	for _, add := range extraRoutes {
		add(s, page)
	}
	page("/", s.handleNotFound)
}
