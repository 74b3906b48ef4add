package web

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/translate"
)

// feedItems is how many articles a feed carries.
const feedItems = 50

type feedFormat int

const (
	feedAtom feedFormat = iota
	feedJSON
)

// feedData is a feed before it is written in a format.
type feedData struct {
	Title string
	Page  string // absolute URL of the page the feed follows
	Self  string // absolute URL of the feed
	// Articles are in the reader's language where a translation exists
	// (Localized); trans holds those translations by article id.
	Articles []news.Article
	trans    map[int64]*news.Translation
}

// feedSource builds a feed's data from a request; a non-nil response is
// an error page to send instead.
type feedSource func(r *http.Request) (*feedData, *response)

func (s *Server) handleFeed(format feedFormat, src feedSource) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.cachedPage(w, r, func(r *http.Request) *response {
			fd, errp := src(r)
			if errp != nil {
				return errp
			}
			fd.Self = s.absURL(r, r.URL.Path)
			if r.URL.RawQuery != "" {
				fd.Self += "?" + r.URL.RawQuery
			}
			var p *response
			var err error
			if format == feedAtom {
				p, err = s.atom(fd)
			} else {
				p, err = s.jsonFeed(fd)
			}
			if err != nil {
				return s.errorPage(r, err)
			}
			return p
		})
	}
}

// feedError is a plain-text error for feed readers.
func feedError(status int, msg string) *response {
	p := newResponse(status, "text/plain; charset=utf-8", []byte(msg+"\n"))
	p.cacheControl = "no-store"
	return p
}

func (s *Server) listFeed(r *http.Request, f store.ArticleFilter, title, page string) (*feedData, *response) {
	f.Limit = feedItems
	arts, err := s.store.ListArticles(r.Context(), f)
	if err != nil {
		s.logFailure(r, "feed failed", err)
		return nil, feedError(http.StatusInternalServerError, "The feed could not be made. Please try again.")
	}
	return &feedData{Title: title, Page: page, Articles: arts, trans: s.localize(r.Context(), arts)}, nil
}

func (s *Server) frontFeed(r *http.Request) (*feedData, *response) {
	q := r.URL.Query()
	site, err := textParam(q, "site", "site")
	if err != nil {
		return nil, feedError(http.StatusBadRequest, err.Error())
	}
	lang, err := textParam(q, "lang", "language")
	if err != nil {
		return nil, feedError(http.StatusBadRequest, err.Error())
	}
	title := s.cfg.SiteName + ": top stories"
	if site != "" {
		title += " from " + site
	}
	if lang != "" {
		title += " in " + langName(lang)
	}
	page := s.absURL(r, "/")
	if fq := filterQuery(site, lang); fq != "" {
		page += "?" + fq
	}
	return s.listFeed(r, store.ArticleFilter{Site: site, Language: lang}, title, page)
}

func (s *Server) siteFeed(r *http.Request) (*feedData, *response) {
	site := r.PathValue("site")
	if !utf8.ValidString(site) || site == "" || len(site) > maxParamBytes {
		return nil, feedError(http.StatusNotFound, "There is no site at this address.")
	}
	fd, errp := s.listFeed(r, store.ArticleFilter{Site: site}, s.cfg.SiteName+": news from "+site, s.absURL(r, "/site/"+pathEscape(site)))
	if errp == nil && len(fd.Articles) == 0 {
		return nil, feedError(http.StatusNotFound, "There are no articles from this site.")
	}
	return fd, errp
}

func (s *Server) sourceFeed(r *http.Request) (*feedData, *response) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, feedError(http.StatusNotFound, "There is no source at this address.")
	}
	fd, errp := s.listFeed(r, store.ArticleFilter{SourceID: id}, "", s.absURL(r, fmt.Sprintf("/source/%d", id)))
	if errp != nil {
		return nil, errp
	}
	if len(fd.Articles) == 0 {
		return nil, feedError(http.StatusNotFound, "There are no articles from this source.")
	}
	name := fd.Articles[0].SiteName
	if s.sources != nil {
		if src, err := s.sources.Source(r.Context(), id); err == nil && src.Name != "" {
			name = src.Name
		}
	}
	fd.Title = s.cfg.SiteName + ": news from " + name
	return fd, nil
}

func (s *Server) searchFeed(r *http.Request) (*feedData, *response) {
	sq, _, err := searchParams(r.URL.Query())
	if err != nil {
		return nil, feedError(http.StatusBadRequest, err.Error())
	}
	if len(store.QueryWords(sq.Text)) == 0 {
		return nil, feedError(http.StatusBadRequest, "A search feed needs words to search for: add ?q=...")
	}
	sq.Limit, sq.Offset = feedItems, 0
	hits, _, err := s.store.Search(r.Context(), sq)
	if err != nil {
		s.logFailure(r, "search feed failed", err)
		return nil, feedError(http.StatusInternalServerError, "The feed could not be made. Please try again.")
	}
	fd := &feedData{Title: s.cfg.SiteName + ": search for " + sq.Text, Page: s.absURL(r, "/search?"+r.URL.RawQuery)}
	for _, h := range hits {
		fd.Articles = append(fd.Articles, h.Article)
	}
	fd.trans = s.localize(r.Context(), fd.Articles)
	return fd, nil
}

// storyFeed follows one story: its newest articles, in the reader's
// language where they have a translation. A story merged into another
// sends its readers to the other's feed.
func (s *Server) storyFeed(r *http.Request) (*feedData, *response) {
	id, ok := storyID(r)
	if !ok {
		return nil, feedError(http.StatusNotFound, "There is no story at this address.")
	}
	v, err := s.loadStory(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) || err == nil && v.Total == 0 {
		return nil, feedError(http.StatusNotFound, "There is no story at this address.")
	}
	if err != nil {
		s.logFailure(r, "story feed failed", err, "id", id)
		return nil, feedError(http.StatusInternalServerError, "The feed could not be made. Please try again.")
	}
	if v.Story.ID != id {
		p := feedError(http.StatusMovedPermanently, "This story is now part of another.")
		p.location = fmt.Sprintf("/story/%d/%s", v.Story.ID, path.Base(r.URL.Path))
		return nil, p
	}
	// A story lists its articles oldest first; a feed wants the newest.
	items := slices.Clone(v.Articles)
	slices.SortStableFunc(items, func(a, b *storyArticle) int { return b.At.Compare(a.At) })
	fd := &feedData{Title: s.cfg.SiteName + ": " + v.Headline, Page: s.absURL(r, fmt.Sprintf("/story/%d", id)), trans: map[int64]*news.Translation{}}
	for _, sa := range items[:min(len(items), feedItems)] {
		fd.Articles = append(fd.Articles, sa.Article)
		if sa.trans != nil {
			fd.trans[sa.ID] = sa.trans
		}
	}
	return fd, nil
}

// entityFeed follows one person, organisation or place: the newest
// articles that name it, in the reader's language where they have a
// translation.
func (s *Server) entityFeed(r *http.Request) (*feedData, *response) {
	key, ok := entityKey(r)
	if !ok {
		return nil, feedError(http.StatusNotFound, "There is no one and nothing at this address.")
	}
	sum, err := s.store.Entity(r.Context(), key)
	if errors.Is(err, store.ErrNotFound) {
		return nil, feedError(http.StatusNotFound, "No article names anyone or anything by this name.")
	}
	if err != nil {
		s.logFailure(r, "entity feed failed", err, "key", key)
		return nil, feedError(http.StatusInternalServerError, "The feed could not be made. Please try again.")
	}
	arts, _, err := s.store.EntityArticles(r.Context(), key, feedItems, 0)
	if err != nil {
		s.logFailure(r, "entity feed failed", err, "key", key)
		return nil, feedError(http.StatusInternalServerError, "The feed could not be made. Please try again.")
	}
	return &feedData{Title: s.cfg.SiteName + ": news naming " + sum.Name, Page: s.absURL(r, "/entity/"+key),
		Articles: arts, trans: s.localize(r.Context(), arts)}, nil
}

// feedLinks are the Atom and JSON Feed versions of a page.
func (s *Server) feedLinks(r *http.Request, prefix, rawQuery, title string) []feedLink {
	q := ""
	if rawQuery != "" {
		q = "?" + rawQuery
	}
	return []feedLink{
		{Type: "application/atom+xml", Title: title + " (Atom)", Href: prefix + ".atom" + q},
		{Type: "application/feed+json", Title: title + " (JSON Feed)", Href: prefix + ".json" + q},
	}
}

// articleTime is when an article is listed as published.
func articleTime(a *news.Article) time.Time {
	if !a.Published.IsZero() {
		return a.Published
	}
	return a.FirstSeenAt
}

func articleUpdated(a *news.Article) time.Time {
	t := articleTime(a)
	if a.Modified.After(t) {
		t = a.Modified
	}
	return t
}

func (fd *feedData) updated(now time.Time) time.Time {
	var t time.Time
	for i := range fd.Articles {
		if u := articleUpdated(&fd.Articles[i]); u.After(t) {
			t = u
		}
	}
	if t.IsZero() {
		t = now
	}
	return t.UTC()
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr,omitempty"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Gen     string      `xml:"generator"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel      string `xml:"rel,attr,omitempty"`
	Type     string `xml:"type,attr,omitempty"`
	Href     string `xml:"href,attr"`
	HrefLang string `xml:"hreflang,attr,omitempty"`
	Title    string `xml:"title,attr,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Text string `xml:",chardata"`
}

type atomEntry struct {
	Lang      string     `xml:"xml:lang,attr,omitempty"`
	Title     string     `xml:"title"`
	ID        string     `xml:"id"`
	Links     []atomLink `xml:"link"`
	Published string     `xml:"published,omitempty"`
	Updated   string     `xml:"updated"`
	Author    atomAuthor `xml:"author"`
	Summary   *atomText  `xml:"summary,omitempty"`
	Content   *atomText  `xml:"content,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

// xmlSafe drops characters XML 1.0 cannot carry (encoding/xml would
// escape them into references that are still invalid XML).
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == 0x9 || r == 0xA || r == 0xD || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF) {
			return r
		}
		return -1
	}, strings.ToValidUTF8(s, ""))
}

func (s *Server) atom(fd *feedData) (*response, error) {
	f := atomFeed{Lang: s.cfg.Language, Title: xmlSafe(fd.Title), ID: fd.Self, Updated: fd.updated(s.now()).Format(time.RFC3339), Gen: "newsdesk",
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: fd.Self}, {Rel: "alternate", Type: "text/html", Href: fd.Page}}}
	base := strings.TrimSuffix(fd.Page, "/")
	if u, err := url.Parse(fd.Page); err == nil {
		base = u.Scheme + "://" + u.Host
	}
	for i := range fd.Articles {
		a := &fd.Articles[i]
		link := base + "/article/" + strconv.FormatInt(a.ID, 10)
		e := atomEntry{Lang: a.Language, Title: xmlSafe(a.Title), ID: link,
			Links:   []atomLink{{Rel: "alternate", Type: "text/html", Href: link}},
			Updated: articleUpdated(a).UTC().Format(time.RFC3339)}
		origLang := firstNonEmpty(a.TranslatedFrom, a.Language)
		if orig := webURL(a.URL); orig != "" {
			rel := "related"
			if a.TranslatedFrom != "" {
				rel = "via" // the entry is a translation of that page
			}
			e.Links = append(e.Links, atomLink{Rel: rel, Type: "text/html", Href: orig, HrefLang: origLang, Title: xmlSafe("Original at " + a.SiteName)})
		}
		if !a.Published.IsZero() {
			e.Published = a.Published.UTC().Format(time.RFC3339)
		}
		e.Author.Name = xmlSafe(firstNonEmpty(a.Byline, a.SiteName, "unknown"))
		if sum := summary(a); sum != "" {
			e.Summary = &atomText{Type: "text", Text: xmlSafe(sum)}
		}
		if t := fd.trans[a.ID]; t != nil {
			e.Content = &atomText{Type: "html", Text: xmlSafe(translatedContentHTML(a, t))}
		}
		f.Entries = append(f.Entries, e)
	}
	b, err := xml.MarshalIndent(f, "", " ")
	if err != nil {
		return nil, fmt.Errorf("web: atom: %w", err)
	}
	p := newResponse(http.StatusOK, "application/atom+xml; charset=utf-8", append([]byte(xml.Header), b...))
	p.modified = fd.updated(s.now())
	return p, nil
}

// translatedContentHTML is a translated feed item's content: its summary
// and the disclosure that it is a machine translation, with a link to the
// original (a is the Localized article).
func translatedContentHTML(a *news.Article, t *news.Translation) string {
	var b strings.Builder
	if sum := summary(a); sum != "" {
		b.WriteString("<p>" + html.EscapeString(sum) + "</p>\n")
	}
	b.WriteString("<p><em>" + html.EscapeString(translate.Disclosure(t)) + ".")
	if orig := webURL(a.URL); orig != "" {
		b.WriteString(` <a href="` + html.EscapeString(orig) + `" hreflang="` + html.EscapeString(a.TranslatedFrom) + `">Read the original at ` +
			html.EscapeString(firstNonEmpty(a.SiteName, "its source")) + `</a>.`)
	}
	b.WriteString("</em></p>")
	return b.String()
}

// translatedContentText is translatedContentHTML as plain text.
func translatedContentText(a *news.Article, t *news.Translation) string {
	s := summary(a)
	if s != "" {
		s += "\n\n"
	}
	s += translate.Disclosure(t) + "."
	if orig := webURL(a.URL); orig != "" {
		s += " Original: " + orig
	}
	return s
}

// summary is the description, or the start of the text.
func summary(a *news.Article) string {
	if a.Description != "" {
		return a.Description
	}
	t := strings.Join(strings.Fields(a.Text), " ")
	if len(t) <= 300 {
		return t
	}
	cut := strings.LastIndex(t[:300], " ")
	if cut < 100 {
		cut = 300
	}
	return strings.ToValidUTF8(t[:cut], "") + " …"
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

type jsonFeedDoc struct {
	Version     string         `json:"version"`
	Title       string         `json:"title"`
	HomePageURL string         `json:"home_page_url"`
	FeedURL     string         `json:"feed_url"`
	Language    string         `json:"language,omitempty"`
	Items       []jsonFeedItem `json:"items"`
}

type jsonFeedItem struct {
	ID            string           `json:"id"`
	URL           string           `json:"url"`
	ExternalURL   string           `json:"external_url,omitempty"`
	Title         string           `json:"title"`
	Summary       string           `json:"summary,omitempty"`
	ContentText   string           `json:"content_text"`
	ContentHTML   string           `json:"content_html,omitempty"`
	Image         string           `json:"image,omitempty"`
	DatePublished string           `json:"date_published,omitempty"`
	DateModified  string           `json:"date_modified,omitempty"`
	Authors       []jsonFeedAuthor `json:"authors,omitempty"`
	Language      string           `json:"language,omitempty"`
}

type jsonFeedAuthor struct {
	Name string `json:"name"`
}

func (s *Server) jsonFeed(fd *feedData) (*response, error) {
	doc := jsonFeedDoc{Version: "https://jsonfeed.org/version/1.1", Title: fd.Title, HomePageURL: fd.Page, FeedURL: fd.Self, Language: s.cfg.Language, Items: []jsonFeedItem{}}
	base := fd.Page
	if u, err := url.Parse(fd.Page); err == nil {
		base = u.Scheme + "://" + u.Host
	}
	for i := range fd.Articles {
		a := &fd.Articles[i]
		link := base + "/article/" + strconv.FormatInt(a.ID, 10)
		it := jsonFeedItem{ID: link, URL: link, ExternalURL: webURL(a.URL), Title: a.Title, ContentText: summary(a),
			Language: a.Language, Authors: []jsonFeedAuthor{{Name: firstNonEmpty(a.Byline, a.SiteName, "unknown")}}}
		if a.Description != "" {
			it.Summary = a.Description
		}
		if t := fd.trans[a.ID]; t != nil {
			it.ContentText, it.ContentHTML = translatedContentText(a, t), translatedContentHTML(a, t)
		}
		if strings.HasPrefix(a.Image, "https://") || strings.HasPrefix(a.Image, "http://") {
			it.Image = a.Image
		}
		it.DatePublished = articleTime(a).UTC().Format(time.RFC3339)
		if !a.Modified.IsZero() {
			it.DateModified = a.Modified.UTC().Format(time.RFC3339)
		}
		doc.Items = append(doc.Items, it)
	}
	b, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		return nil, fmt.Errorf("web: json feed: %w", err)
	}
	p := newResponse(http.StatusOK, "application/feed+json; charset=utf-8", append(b, '\n'))
	p.modified = fd.updated(s.now())
	return p, nil
}
