package web

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Sitemap limits (sitemaps.org and Google News). Variables so tests can
// make the index form appear without thousands of articles.
var (
	sitemapPerFile     = 50_000
	newsSitemapPerFile = 1_000
)

// newsSitemapWindow is how far back the Google News sitemap reaches.
const newsSitemapWindow = 48 * time.Hour

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

type urlSet struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	NewsNS  string       `xml:"xmlns:news,attr,omitempty"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string       `xml:"loc"`
	LastMod string       `xml:"lastmod,omitempty"`
	News    *sitemapNews `xml:"news:news,omitempty"`
}

type sitemapNews struct {
	Publication struct {
		Name     string `xml:"news:name"`
		Language string `xml:"news:language"`
	} `xml:"news:publication"`
	Date  string `xml:"news:publication_date"`
	Title string `xml:"news:title"`
}

type sitemapIndex struct {
	XMLName  xml.Name       `xml:"sitemapindex"`
	NS       string         `xml:"xmlns,attr"`
	Sitemaps []sitemapEntry `xml:"sitemap"`
}

type sitemapEntry struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

func xmlResponse(v any) *response {
	b, err := xml.MarshalIndent(v, "", " ")
	if err != nil {
		return feedError(http.StatusInternalServerError, "The sitemap could not be made.")
	}
	return newResponse(http.StatusOK, "application/xml; charset=utf-8", append([]byte(xml.Header), b...))
}

func parts(total, per int) int { return max(1, (total+per-1)/per) }

// sitemapFile reads the number N of a ".../N.xml" part, 1-based.
func sitemapFile(r *http.Request, nparts int) (int, bool) {
	name, ok := strings.CutSuffix(r.PathValue("file"), ".xml")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(name)
	if err != nil || n < 1 || n > nparts || strconv.Itoa(n) != name {
		return 0, false
	}
	return n, true
}

// articlesRange lists articles [offset, offset+n) of f, newest first.
func (s *Server) articlesRange(r *http.Request, f store.ArticleFilter, offset, n int) ([]news.Article, error) {
	var out []news.Article
	for len(out) < n {
		f.Offset, f.Limit = offset+len(out), min(1000, n-len(out))
		arts, err := s.store.ListArticles(r.Context(), f)
		if err != nil {
			return nil, err
		}
		out = append(out, arts...)
		if len(arts) < f.Limit {
			break
		}
	}
	return out, nil
}

func lastMod(a *news.Article) string {
	t := a.UpdatedAt
	if t.IsZero() {
		t = articleUpdated(a)
	}
	return t.UTC().Format(time.RFC3339)
}

// handleSitemap serves every article's page: one sitemap, or an index of
// parts when there are more than a file may hold.
func (s *Server) handleSitemap(w http.ResponseWriter, r *http.Request) {
	s.cachedPage(w, r, func(r *http.Request) *response {
		total, err := s.store.CountArticles(r.Context(), store.ArticleFilter{})
		if err != nil {
			return s.errorPage(r, err)
		}
		if n := parts(total, sitemapPerFile); n > 1 {
			idx := sitemapIndex{NS: sitemapNS}
			for i := 1; i <= n; i++ {
				idx.Sitemaps = append(idx.Sitemaps, sitemapEntry{Loc: s.absURL(r, fmt.Sprintf("/sitemaps/articles/%d.xml", i))})
			}
			return xmlResponse(idx)
		}
		return s.sitemapPart(r, 1, true)
	})
}

func (s *Server) handleSitemapPart(w http.ResponseWriter, r *http.Request) {
	s.cachedPage(w, r, func(r *http.Request) *response {
		total, err := s.store.CountArticles(r.Context(), store.ArticleFilter{})
		if err != nil {
			return s.errorPage(r, err)
		}
		n, ok := sitemapFile(r, parts(total, sitemapPerFile))
		if !ok {
			return s.notFoundPage(r, "There is no sitemap at this address.")
		}
		return s.sitemapPart(r, n, n == 1)
	})
}

func (s *Server) sitemapPart(r *http.Request, n int, withPages bool) *response {
	arts, err := s.articlesRange(r, store.ArticleFilter{}, (n-1)*sitemapPerFile, sitemapPerFile)
	if err != nil {
		return s.errorPage(r, err)
	}
	set := urlSet{NS: sitemapNS}
	if withPages {
		for _, p := range []string{"/", "/about", "/sites"} {
			set.URLs = append(set.URLs, sitemapURL{Loc: s.absURL(r, p)})
		}
	}
	for i := range arts {
		set.URLs = append(set.URLs, sitemapURL{Loc: s.absURL(r, "/article/"+strconv.FormatInt(arts[i].ID, 10)), LastMod: lastMod(&arts[i])})
	}
	return xmlResponse(set)
}

// handleNewsSitemap serves the Google News sitemap: articles of the last
// 48 hours, at most 1,000 a file, with an index beyond that.
func (s *Server) handleNewsSitemap(w http.ResponseWriter, r *http.Request) {
	s.cachedPage(w, r, func(r *http.Request) *response {
		f := store.ArticleFilter{Since: s.now().Add(-newsSitemapWindow)}
		total, err := s.store.CountArticles(r.Context(), f)
		if err != nil {
			return s.errorPage(r, err)
		}
		if n := parts(total, newsSitemapPerFile); n > 1 {
			idx := sitemapIndex{NS: sitemapNS}
			for i := 1; i <= n; i++ {
				idx.Sitemaps = append(idx.Sitemaps, sitemapEntry{Loc: s.absURL(r, fmt.Sprintf("/sitemaps/news/%d.xml", i))})
			}
			return xmlResponse(idx)
		}
		return s.newsSitemapPart(r, f, 1)
	})
}

func (s *Server) handleNewsSitemapPart(w http.ResponseWriter, r *http.Request) {
	s.cachedPage(w, r, func(r *http.Request) *response {
		f := store.ArticleFilter{Since: s.now().Add(-newsSitemapWindow)}
		total, err := s.store.CountArticles(r.Context(), f)
		if err != nil {
			return s.errorPage(r, err)
		}
		n, ok := sitemapFile(r, parts(total, newsSitemapPerFile))
		if !ok {
			return s.notFoundPage(r, "There is no sitemap at this address.")
		}
		return s.newsSitemapPart(r, f, n)
	})
}

func (s *Server) newsSitemapPart(r *http.Request, f store.ArticleFilter, n int) *response {
	arts, err := s.articlesRange(r, f, (n-1)*newsSitemapPerFile, newsSitemapPerFile)
	if err != nil {
		return s.errorPage(r, err)
	}
	s.localize(r.Context(), arts) // the title and language our page shows
	set := urlSet{NS: sitemapNS, NewsNS: "http://www.google.com/schemas/sitemap-news/0.9"}
	for i := range arts {
		a := &arts[i]
		nw := &sitemapNews{Date: articleTime(a).UTC().Format(time.RFC3339), Title: xmlSafe(a.Title)}
		nw.Publication.Name = xmlSafe(s.cfg.SiteName)
		nw.Publication.Language = firstNonEmpty(a.Language, s.cfg.Language)
		set.URLs = append(set.URLs, sitemapURL{Loc: s.absURL(r, "/article/"+strconv.FormatInt(a.ID, 10)), LastMod: lastMod(a), News: nw})
	}
	return xmlResponse(set)
}

func (s *Server) handleRobots(w http.ResponseWriter, r *http.Request) {
	body := "User-agent: *\nDisallow: /search\nDisallow: /api/\n\nSitemap: " + s.absURL(r, "/sitemap.xml") +
		"\nSitemap: " + s.absURL(r, "/news-sitemap.xml") + "\n"
	s.send(w, r, newResponse(http.StatusOK, "text/plain; charset=utf-8", []byte(body)))
}

// handleFavicon answers browsers that ask for /favicon.ico regardless of
// the page's icon link.
func (s *Server) handleFavicon(w http.ResponseWriter, r *http.Request) {
	if p, ok := s.assets.files[s.assets.byName["favicon.svg"]]; ok {
		s.send(w, r, p)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
