package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

const pageSize = 20

type pager struct{ Prev, Next string }

// pageParam reads ?page=N (1-based), bounded so that offsets stay sane.
func pageParam(r *http.Request) (int, error) {
	v := r.URL.Query().Get("page")
	if v == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 500 {
		return 0, fmt.Errorf("page must be a number from 1 to 500")
	}
	return n, nil
}

func makePager(r *http.Request, page, shown, total int) pager {
	link := func(p int) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(p))
		return r.URL.Path + "?" + q.Encode()
	}
	var pg pager
	if page > 1 {
		pg.Prev = link(page - 1)
	}
	if (page-1)*pageSize+shown < total {
		pg.Next = link(page + 1)
	}
	return pg
}

type frontPage struct {
	base
	Articles []news.Article
	Pager    pager
}

func (s *Server) handleFront(w http.ResponseWriter, r *http.Request) {
	page, err := pageParam(r)
	if err != nil {
		s.badRequest(w, r, err.Error())
		return
	}
	f := store.ArticleFilter{Limit: pageSize, Offset: (page - 1) * pageSize}
	arts, err := s.store.ListArticles(r.Context(), f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	total, err := s.store.CountArticles(r.Context(), f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "front", frontPage{base: s.base(""), Articles: arts, Pager: makePager(r, page, len(arts), total)})
}

type articlePage struct {
	base
	Article   *news.Article
	Canonical string
}

func (s *Server) handleArticle(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.notFound(w, r, "There is no article at this address.")
		return
	}
	a, err := s.store.Article(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r, "There is no article at this address.")
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "article", articlePage{base: s.base(a.Title), Article: a, Canonical: s.absURL(r, fmt.Sprintf("/article/%d", a.ID))})
}

// absURL makes an absolute URL to a path of this site.
func (s *Server) absURL(r *http.Request, path string) string {
	if s.cfg.BaseURL != "" {
		return strings.TrimSuffix(s.cfg.BaseURL, "/") + path
	}
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return (&url.URL{Scheme: scheme, Host: r.Host, Path: path}).String()
}

type searchPage struct {
	base
	Hits    []store.SearchHit
	Total   int
	Message string
	Pager   pager
}

// maxQueryBytes bounds what is read of a search; longer queries are refused.
const maxQueryBytes = 200

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	data := searchPage{base: s.base("Search")}
	page, err := pageParam(r)
	switch {
	case err != nil:
		data.Message = err.Error()
	case !utf8.ValidString(q):
		data.Message = "The search contains characters that are not valid text. Please retype it."
	case len(q) > maxQueryBytes:
		data.Message = fmt.Sprintf("The search is too long: at most %d characters.", maxQueryBytes)
	}
	if data.Message != "" {
		s.render(w, r, http.StatusBadRequest, "search", data)
		return
	}
	data.Query = strings.TrimSpace(q)
	if data.Query != "" && len(store.QueryWords(data.Query)) == 0 {
		data.Message = "Type one or more words to search for."
	}
	if len(store.QueryWords(data.Query)) > 0 {
		hits, total, err := s.store.Search(r.Context(), store.SearchQuery{Text: data.Query, Limit: pageSize, Offset: (page - 1) * pageSize})
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		data.Hits, data.Total = hits, total
		data.Pager = makePager(r, page, len(hits), total)
	}
	s.render(w, r, http.StatusOK, "search", data)
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if _, err := s.store.CountArticles(r.Context(), store.ArticleFilter{Limit: 1}); err != nil {
		http.Error(w, "store unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintln(w, "ok")
}

func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	s.notFound(w, r, "There is no page at this address.")
}
