package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

const pageSize = 20

// maxParamBytes bounds every text parameter; longer ones are refused.
const maxParamBytes = 200

type pager struct{ Prev, Next string }

// pageParam reads ?page=N (1-based), bounded so that offsets stay sane.
func pageParam(q url.Values) (int, error) {
	v := q.Get("page")
	if v == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 500 {
		return 0, fmt.Errorf("The page number must be a number from 1 to 500.")
	}
	return n, nil
}

// textParam reads a text parameter and checks it is valid, short text.
func textParam(q url.Values, name, label string) (string, error) {
	v := q.Get(name)
	if !utf8.ValidString(v) {
		return "", fmt.Errorf("The %s contains characters that are not valid text. Please retype it.", label)
	}
	if len(v) > maxParamBytes {
		return "", fmt.Errorf("The %s is too long: at most %d characters.", label, maxParamBytes)
	}
	return strings.TrimSpace(v), nil
}

// dateParam reads a YYYY-MM-DD parameter.
func dateParam(q url.Values, name, label string) (time.Time, error) {
	v := strings.TrimSpace(q.Get(name))
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil || t.Year() < 1900 || t.Year() > 2200 {
		return time.Time{}, fmt.Errorf("The %s date must look like 2024-05-31.", label)
	}
	return t, nil
}

func makePager(r *http.Request, page, shown, total int) pager {
	link := func(p int) string {
		q := r.URL.Query()
		if p == 1 {
			q.Del("page")
		} else {
			q.Set("page", strconv.Itoa(p))
		}
		if len(q) == 0 {
			return r.URL.Path
		}
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

// filterLink is one choice of a filter on the front page.
type filterLink struct {
	Label, Href string
	Count       int
	Current     bool
	Lang        string // set when the label is in that language
}

type frontPage struct {
	base
	Heading   string
	Latest    []news.Article
	Popular   []store.PopularArticle
	Sites     []filterLink
	Languages []filterLink
	Filtered  bool
	Pager     pager
	Stories   any // the Stories section (story.go)
}

func (s *Server) handleFront(w http.ResponseWriter, r *http.Request) {
	s.cachedPage(w, r, func(r *http.Request) *response { return s.buildFront(r) })
}

func (s *Server) buildFront(r *http.Request) *response {
	q := r.URL.Query()
	page, err := pageParam(q)
	if err != nil {
		return s.badRequestPage(r, err.Error())
	}
	site, err := textParam(q, "site", "site")
	if err != nil {
		return s.badRequestPage(r, err.Error())
	}
	lang, err := textParam(q, "lang", "language")
	if err != nil {
		return s.badRequestPage(r, err.Error())
	}
	ctx := r.Context()
	f := store.ArticleFilter{Site: site, Language: lang, Limit: pageSize, Offset: (page - 1) * pageSize}
	arts, err := s.store.ListArticles(ctx, f)
	if err != nil {
		return s.errorPage(r, err)
	}
	s.localize(ctx, arts)
	arts = s.onePerSyndication(ctx, arts)
	total, err := s.store.CountArticles(ctx, f)
	if err != nil {
		return s.errorPage(r, err)
	}
	data := frontPage{base: s.base(""), Latest: arts, Pager: makePager(r, page, len(arts), total), Filtered: site != "" || lang != ""}
	data.Section = "front"
	data.Heading = "Top stories"
	if data.Filtered {
		var parts []string
		if lang != "" {
			parts = append(parts, "in "+langName(lang))
		}
		if site != "" {
			parts = append(parts, "from "+site)
		}
		data.Heading = "Stories " + strings.Join(parts, " ")
		data.Title = data.Heading
	}
	data.Canonical = s.absURL(r, "/")
	if data.Filtered || page > 1 {
		data.Canonical = s.absURL(r, r.URL.Path+"?"+r.URL.RawQuery)
	}
	data.Description = "The latest news from the outlets " + s.cfg.SiteName + " follows, and what readers read most."
	data.Feeds = s.feedLinks(r, "/feed", filterQuery(site, lang), data.Heading)
	if data.Popular, err = s.popular(ctx, site, lang, 8); err != nil {
		s.log.Warn("popular failed", "err", err)
	}
	if fc, err := s.facetList(ctx); err == nil {
		for _, v := range fc.Sites {
			data.Sites = append(data.Sites, filterLink{Label: v.Value, Count: v.Count, Current: v.Value == site,
				Href: "/?" + filterQuery(v.Value, lang)})
		}
		for _, v := range fc.Languages {
			data.Languages = append(data.Languages, filterLink{Label: langName(v.Value), Count: v.Count, Current: v.Value == lang,
				Href: "/?" + filterQuery(site, v.Value)})
		}
	}
	if err := frontStoriesHook(ctx, s, &data); err != nil {
		s.log.Warn("front page stories failed", "err", err)
	}
	return s.page(r, http.StatusOK, "front", data)
}

func filterQuery(site, lang string) string {
	q := url.Values{}
	if site != "" {
		q.Set("site", site)
	}
	if lang != "" {
		q.Set("lang", lang)
	}
	return q.Encode()
}

func (s *Server) facetList(ctx context.Context) (store.Facets, error) {
	if s.facets == nil {
		return store.Facets{}, nil
	}
	return memoize(s, "facets", time.Minute, func() (store.Facets, error) { return s.facets.Facets(ctx) })
}

// articlePage is the article page's data. Translation and Story are
// filled by the translation and stories parts of the site (the side
// panels) and shown through the article-translation and article-story
// template blocks.
type articlePage struct {
	base
	Article     *news.Article
	Body        any // the sanitised body, images made safe to show
	Image       *leadImage
	Related     []news.Article
	Popular     []store.PopularArticle
	Share       []shareLink
	Permalink   string
	OtherLang   bool // the article is not in the page's language
	Translation any
	Story       any
	Entities    any // people, places, quotes, figures (entity.go)
	// TranslatedFrom is the original's language when the page shows a
	// machine translation of it (translation.go), and Original the
	// article as published.
	TranslatedFrom string
	Original       *news.Article
}

func (s *Server) handleArticle(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.send(w, r, s.notFoundPage(r, "There is no article at this address."))
		return
	}
	p := s.cachedPageResp(w, r, func(r *http.Request) *response { return s.buildArticle(r, id) })
	if p.status == http.StatusOK {
		s.countView(r, id)
	}
}

func (s *Server) buildArticle(r *http.Request, id int64) *response {
	ctx := r.Context()
	a, err := s.store.Article(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return s.notFoundPage(r, "There is no article at this address.")
	}
	if err != nil {
		return s.errorPage(r, err)
	}
	a.URL = webURL(a.URL)
	data := articlePage{base: s.base(a.Title), Article: a}
	a = s.translated(r, a, &data)
	data.Article = a
	data.Permalink = s.absURL(r, fmt.Sprintf("/article/%d", a.ID))
	data.Canonical = data.Permalink
	data.Description = a.Description
	data.OtherLang = a.Language != "" && !sameLang(a.Language, data.Lang) && data.TranslatedFrom == ""
	data.Image = s.leadImage(a)
	if data.Image != nil && data.Image.Inline {
		data.Body = s.articleBodyWithout(a.BodyHTML, a.Image)
	} else {
		data.Body = s.articleBody(a.BodyHTML)
	}
	data.Share = shareLinks(data.Permalink, a.Title)
	data.OG = openGraphFor(a, data.Permalink, s.cfg.SiteName)
	data.JSONLD = newsArticleLD(a, data.Original, data.Permalink, s.cfg.SiteName)
	if s.related != nil {
		data.Related, err = memoize(s, fmt.Sprintf("related:%d:%s", a.ID, a.ContentHash), 10*time.Minute, func() ([]news.Article, error) {
			return s.related.Related(ctx, a, 5)
		})
		if err != nil {
			s.log.Warn("related failed", "article", a.ID, "err", err)
		}
		data.Related = append([]news.Article(nil), data.Related...) // the memo's slice is shared
		s.localize(ctx, data.Related)
	}
	if data.Popular, err = s.popular(ctx, "", "", 6); err != nil {
		s.log.Warn("popular failed", "err", err)
	}
	// the side panels: who and what the article names, its story
	for _, panel := range []func(context.Context, *Server, *articlePage) error{articleEntitiesHook, articleStoryHook} {
		if err := panel(ctx, s, &data); err != nil {
			s.log.Warn("article panel failed", "article", a.ID, "err", err)
		}
	}
	p := s.page(r, http.StatusOK, "article", data)
	p.modified = a.UpdatedAt
	return p
}

func sameLang(a, b string) bool {
	a, _, _ = strings.Cut(strings.ToLower(a), "-")
	b, _, _ = strings.Cut(strings.ToLower(b), "-")
	return a == b
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
	return scheme + "://" + r.Host + path
}

// searchHitView is a search result as the page shows it: its article in
// the reader's language where there is a translation.
type searchHitView struct {
	store.SearchHit
	// SnippetLang is the snippet's language when it is not the page's:
	// the store may quote the original where the title is translated.
	SnippetLang string
}

// snippetLang tells which text a hit's snippet was cut from: the shown
// (translated) text when it holds the snippet's words, else the original.
func snippetLang(h *store.SearchHit, pageLang string) string {
	a := &h.Article
	if a.TranslatedFrom == "" {
		if a.Language != "" && !sameLang(a.Language, pageLang) {
			return a.Language
		}
		return ""
	}
	core := strings.Trim(h.Snippet, " ….")
	if core == "" || strings.Contains(strings.Join(strings.Fields(a.Text+" "+a.Title+" "+a.Description), " "), strings.Join(strings.Fields(core), " ")) {
		return ""
	}
	return a.TranslatedFrom
}

type searchPage struct {
	base
	Hits      []searchHitView
	Total     int
	Message   string
	Pager     pager
	Site      string
	Language  string
	From, To  string
	Sites     []store.Facet
	Languages []store.Facet
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	s.cachedPage(w, r, func(r *http.Request) *response { return s.buildSearch(r) })
}

// searchParams reads and checks a search's parameters; the error is a
// message for the reader.
func searchParams(q url.Values) (sq store.SearchQuery, page int, err error) {
	if page, err = pageParam(q); err != nil {
		return
	}
	if sq.Text, err = textParam(q, "q", "search"); err != nil {
		return
	}
	if sq.Site, err = textParam(q, "site", "site"); err != nil {
		return
	}
	if sq.Language, err = textParam(q, "lang", "language"); err != nil {
		return
	}
	if sq.Since, err = dateParam(q, "from", "from"); err != nil {
		return
	}
	if sq.Until, err = dateParam(q, "to", "to"); err != nil {
		return
	}
	if !sq.Until.IsZero() {
		sq.Until = sq.Until.AddDate(0, 0, 1) // the whole "to" day
		if !sq.Since.IsZero() && !sq.Since.Before(sq.Until) {
			err = fmt.Errorf("The from date must not be after the to date.")
			return
		}
	}
	sq.Limit, sq.Offset = pageSize, (page-1)*pageSize
	return
}

func (s *Server) buildSearch(r *http.Request) *response {
	q := r.URL.Query()
	data := searchPage{base: s.base("Search")}
	data.Section, data.NoIndex = "search", true
	if fc, err := s.facetList(r.Context()); err == nil {
		data.Sites, data.Languages = fc.Sites, fc.Languages
	}
	sq, page, err := searchParams(q)
	if err != nil {
		data.Message = err.Error()
		return s.page(r, http.StatusBadRequest, "search", data)
	}
	data.Query, data.Site, data.Language = sq.Text, sq.Site, sq.Language
	data.From, data.To = q.Get("from"), q.Get("to")
	if data.Query != "" {
		data.Title = "Search: " + data.Query
	}
	if data.Query != "" && len(store.QueryWords(data.Query)) == 0 {
		data.Message = "Type one or more words to search for."
	}
	if len(store.QueryWords(data.Query)) > 0 {
		hits, total, err := s.store.Search(r.Context(), sq)
		if err != nil {
			return s.errorPage(r, err)
		}
		for i := range hits {
			if t := s.readerTranslation(r.Context(), &hits[i].Article); t != nil {
				hits[i].Article = hits[i].Article.Localized(t)
			}
			data.Hits = append(data.Hits, searchHitView{SearchHit: hits[i], SnippetLang: snippetLang(&hits[i], s.cfg.Language)})
		}
		data.Total = total
		data.Pager = makePager(r, page, len(hits), total)
		fq := url.Values{}
		for _, k := range []string{"q", "site", "lang", "from", "to"} {
			if v := q.Get(k); v != "" {
				fq.Set(k, v)
			}
		}
		data.Feeds = s.feedLinks(r, "/search/feed", fq.Encode(), "Search: "+data.Query)
	}
	return s.page(r, http.StatusOK, "search", data)
}

type listPage struct {
	base
	Heading  string
	Intro    string
	Articles []news.Article
	Pager    pager
}

func (s *Server) handleSite(w http.ResponseWriter, r *http.Request) {
	s.cachedPage(w, r, func(r *http.Request) *response {
		site := r.PathValue("site")
		if !utf8.ValidString(site) || len(site) > maxParamBytes || site == "" {
			return s.notFoundPage(r, "There is no site at this address.")
		}
		return s.buildList(r, store.ArticleFilter{Site: site}, site, "/site/"+pathEscape(site))
	})
}

func (s *Server) handleSource(w http.ResponseWriter, r *http.Request) {
	s.cachedPage(w, r, func(r *http.Request) *response {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || id <= 0 {
			return s.notFoundPage(r, "There is no source at this address.")
		}
		name := ""
		if s.sources != nil {
			if src, err := s.sources.Source(r.Context(), id); err == nil {
				name = src.Name
				if name == "" {
					name = src.URL
				}
			}
		}
		return s.buildList(r, store.ArticleFilter{SourceID: id}, name, fmt.Sprintf("/source/%d", id))
	})
}

// buildList is a site's or source's page: its articles, newest first.
func (s *Server) buildList(r *http.Request, f store.ArticleFilter, name, path string) *response {
	page, err := pageParam(r.URL.Query())
	if err != nil {
		return s.badRequestPage(r, err.Error())
	}
	f.Limit, f.Offset = pageSize, (page-1)*pageSize
	arts, err := s.store.ListArticles(r.Context(), f)
	if err != nil {
		return s.errorPage(r, err)
	}
	s.localize(r.Context(), arts)
	total, err := s.store.CountArticles(r.Context(), f)
	if err != nil {
		return s.errorPage(r, err)
	}
	if total == 0 {
		return s.notFoundPage(r, "There are no articles from this source.")
	}
	if name == "" {
		name = arts0Site(arts)
	}
	data := listPage{base: s.base(name), Heading: "News from " + name, Articles: arts, Pager: makePager(r, page, len(arts), total)}
	data.Section = "sites"
	data.Intro = fmt.Sprintf("%d %s from %s, newest first. Each links to the original on the outlet's own site.", total, pluralize(total, "article", "articles"), name)
	data.Canonical = s.absURL(r, path)
	data.Feeds = s.feedLinks(r, path+"/feed", "", "News from "+name)
	return s.page(r, http.StatusOK, "list", data)
}

func arts0Site(arts []news.Article) string {
	if len(arts) > 0 && arts[0].SiteName != "" {
		return arts[0].SiteName
	}
	return "this source"
}

func pluralize(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

type sitesPage struct {
	base
	Sites     []store.Facet
	Languages []store.Facet
}

func (s *Server) handleSites(w http.ResponseWriter, r *http.Request) {
	s.cachedPage(w, r, func(r *http.Request) *response {
		fc, err := s.facetList(r.Context())
		if err != nil {
			return s.errorPage(r, err)
		}
		data := sitesPage{base: s.base("Sources"), Sites: fc.Sites, Languages: fc.Languages}
		data.Section = "sites"
		data.Canonical = s.absURL(r, "/sites")
		return s.page(r, http.StatusOK, "sites", data)
	})
}

type aboutPage struct {
	base
	HalfLifeHours, RepeatHours, PerHour int
	RemoteImages, ProxyImages           bool
}

func (s *Server) handleAbout(w http.ResponseWriter, r *http.Request) {
	s.cachedPage(w, r, func(r *http.Request) *response {
		data := aboutPage{base: s.base("About"), HalfLifeHours: int(store.ViewHalfLife.Hours()),
			RepeatHours: int(store.RepeatWindow.Hours()), PerHour: store.ClientViewsPerHour, RemoteImages: s.cfg.RemoteImages,
			ProxyImages: s.cfg.Media != nil}
		data.Section = "about"
		data.Canonical = s.absURL(r, "/about")
		return s.page(r, http.StatusOK, "about", data)
	})
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
	if allow := s.allowed(r); allow != "" {
		w.Header().Set("Allow", allow)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	s.notFound(w, r, "There is no page at this address.")
}

// allowed lists the methods a route of r's path answers ("" when none
// does): the catch-all route would otherwise answer 404 to a PUT on a
// page that exists.
func (s *Server) allowed(r *http.Request) string {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		if m == r.Method {
			continue
		}
		r2 := r.WithContext(r.Context())
		r2.Method = m
		if _, pattern := s.mux.Handler(r2); pattern != "" && pattern != "/" && pattern != apiFallback {
			allow = append(allow, m)
			if m == http.MethodGet {
				allow = append(allow, http.MethodHead)
			}
		}
	}
	return strings.Join(allow, ", ")
}

// pathEscape escapes a value for one path segment.
func pathEscape(v string) string { return url.PathEscape(v) }
