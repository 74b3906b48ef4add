package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/translate"
)

// apiArticle is an article as the JSON API shows it.
type apiArticle struct {
	ID          int64      `json:"id"`
	URL         string     `json:"url"`
	Link        string     `json:"link"` // our page
	Site        string     `json:"site"`
	Title       string     `json:"title"`
	Byline      string     `json:"byline,omitempty"`
	Published   *time.Time `json:"published,omitempty"`
	Modified    *time.Time `json:"modified,omitempty"`
	Language    string     `json:"language,omitempty"`
	Image       string     `json:"image,omitempty"`
	Description string     `json:"description,omitempty"`
	BodyHTML    string     `json:"body_html,omitempty"`
	Text        string     `json:"text,omitempty"`
	FirstSeen   time.Time  `json:"first_seen"`
	// In lists, title, description and language are those of the text a
	// reader is shown: the translation's when there is one, and then the
	// original's title and language are these two.
	OriginalTitle    string `json:"original_title,omitempty"`
	OriginalLanguage string `json:"original_language,omitempty"`
	// Translation is the article in the site's language, when the store
	// has a machine translation of it. A single article keeps the
	// original's fields above and has the whole translation here; lists
	// carry its title and description only.
	Translation *apiTranslation `json:"translation,omitempty"`
	// Snippet is the text around the matched words, in a search (?q=).
	Snippet string `json:"snippet,omitempty"`
}

// apiTranslation is an article's machine translation as the API shows it.
type apiTranslation struct {
	Language    string `json:"language"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Text        string `json:"text,omitempty"`
	BodyHTML    string `json:"body_html,omitempty"`
	Engine      string `json:"engine,omitempty"`
	Status      string `json:"status"`
	// Disclosure is the line a republisher shows with it.
	Disclosure string `json:"disclosure"`
}

func toAPITranslation(t *news.Translation, full bool) *apiTranslation {
	if t == nil {
		return nil
	}
	out := &apiTranslation{Language: t.Lang, Title: t.Title, Description: t.Description,
		Engine: firstNonEmpty(t.Engine, translate.DisplayName(t.Backend)), Status: string(t.Status), Disclosure: translate.Disclosure(t)}
	if full {
		out.Text, out.BodyHTML = t.Text, t.BodyHTML
	}
	return out
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// toAPI is a as the API shows it: a must be the original (not Localized);
// t, its translation into the site's language, may be nil.
func (s *Server) toAPI(r *http.Request, a *news.Article, t *news.Translation, full bool) apiArticle {
	out := apiArticle{ID: a.ID, URL: webURL(a.URL), Link: s.absURL(r, "/article/"+strconv.FormatInt(a.ID, 10)),
		Site: a.SiteName, Title: a.Title, Byline: a.Byline, Published: timePtr(a.Published), Modified: timePtr(a.Modified),
		Language: a.Language, Image: a.Image, Description: a.Description, FirstSeen: a.FirstSeenAt}
	if full {
		out.BodyHTML, out.Text = a.BodyHTML, a.Text
	}
	out.Translation = toAPITranslation(t, full)
	if t != nil && !full {
		out.OriginalTitle, out.OriginalLanguage = a.Title, a.Language
		out.Title, out.Language = t.Title, t.Lang
		if t.Description != "" {
			out.Description = t.Description
		}
	}
	return out
}

// webURL returns an original's address if it is one on the web, else "":
// a page imported from a file without a canonical URL is stored under its
// file path, which must not be shown to the world.
func webURL(u string) string {
	if p, err := url.Parse(u); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	return u
}

// apiResponseCheck, when set, sees every API response before it is sent,
// with the headers set so far. The package's tests set it to validate
// each response against the OpenAPI document; it is nil in a real server.
var apiResponseCheck func(s *Server, r *http.Request, h http.Header, p *response)

// sendAPI sends an API response: with an ETag (a client's current copy
// gets 304) and compressed when the client accepts it.
func (s *Server) sendAPI(w http.ResponseWriter, r *http.Request, p *response) {
	if apiResponseCheck != nil {
		apiResponseCheck(s, r, w.Header(), p)
	}
	s.send(w, r, p)
}

// writeAPI sends v as a JSON body with status.
func (s *Server) writeAPI(w http.ResponseWriter, r *http.Request, status int, v any) {
	body, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		s.writeInternal(w, r, "api encode failed", err)
		return
	}
	s.sendAPI(w, r, newResponse(status, "application/json; charset=utf-8", append(body, '\n')))
}

// articleQuery is what a request asks of the article list.
type articleQuery struct {
	text, site, language string
	since, until         time.Time
	page                 apiPage
}

// articleParams are the parameters the article list reads; the deprecated
// lang is language under the name the site's pages use.
var articleParams = []string{"q", "language", "lang", "site", "since", "until"}

// apiArticleParams reads and checks the article list's parameters.
func apiArticleParams(q url.Values) (aq articleQuery, err error) {
	if aq.page, err = apiPageParams(q); err != nil {
		return aq, err
	}
	if aq.text, err = apiText(q, "q"); err != nil {
		return aq, err
	}
	if aq.text != "" && len(store.QueryWords(aq.text)) == 0 {
		return aq, badParam("q", "q has no words to search for")
	}
	if aq.site, err = apiText(q, "site"); err != nil {
		return aq, err
	}
	if aq.language, err = apiLanguage(q); err != nil {
		return aq, err
	}
	if aq.since, err = apiTime(q, "since", false); err != nil {
		return aq, err
	}
	if aq.until, err = apiTime(q, "until", true); err != nil {
		return aq, err
	}
	if !aq.since.IsZero() && !aq.until.IsZero() && !aq.since.Before(aq.until) {
		return aq, badParam("until", "until must be after since")
	}
	return aq, nil
}

// apiText reads a text parameter: valid UTF-8 of at most maxParamBytes.
func apiText(q url.Values, name string) (string, error) {
	v := q.Get(name)
	if !utf8.ValidString(v) {
		return "", badParam(name, "%s is not valid UTF-8 text", name)
	}
	if len(v) > maxParamBytes {
		return "", badParam(name, "%s is too long: at most %d bytes", name, maxParamBytes)
	}
	return strings.TrimSpace(v), nil
}

// apiLanguage reads language (or the deprecated lang) as a BCP 47 tag, in
// its canonical form ("ES" is "es").
func apiLanguage(q url.Values) (string, error) {
	name, v := "language", q.Get("language")
	if old := q.Get("lang"); old != "" {
		if v != "" && v != old {
			return "", badParam("lang", "give language or the deprecated lang, not both")
		}
		name, v = "lang", old
	}
	if v == "" {
		return "", nil
	}
	t, err := language.Parse(v)
	if err != nil || len(v) > 35 {
		return "", badParam(name, "%s must be a language tag such as en or pt-BR, not %q", name, v)
	}
	return t.String(), nil
}

// apiTime reads a time: RFC 3339, or a date (YYYY-MM-DD, UTC) that means
// its start, or for an end (until) its whole day.
func apiTime(q url.Values, name string, end bool) (time.Time, error) {
	v := q.Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		if t, err = time.Parse(time.DateOnly, v); err == nil && end {
			t = t.AddDate(0, 0, 1)
		}
	}
	if err != nil || t.Year() < 1900 || t.Year() > 2200 {
		return time.Time{}, badParam(name, "%s must be an RFC 3339 time (2026-03-10T12:00:00Z) or a date (2026-03-10), not %q", name, v)
	}
	return t, nil
}

// apiArticleList is the body of /api/v1/articles.
type apiArticleList struct {
	// Total is how many articles match. A search counts exactly up to
	// store.SearchTotalCap; TotalCapped says there are more.
	Total       int  `json:"total"`
	TotalCapped bool `json:"total_capped,omitempty"`
	apiPaging
	Articles []apiArticle `json:"articles"`
}

func (s *Server) handleAPIArticles(w http.ResponseWriter, r *http.Request) {
	aq, err := apiArticleParams(r.URL.Query())
	if err != nil {
		s.writeBadParams(w, r, err)
		return
	}
	var out apiArticleList
	if aq.text != "" {
		err = s.searchArticles(r, aq, &out)
	} else {
		err = s.listArticles(r, aq, &out)
	}
	if err != nil {
		s.writeInternal(w, r, "api articles failed", err)
		return
	}
	more := aq.page.Offset+len(out.Articles) < out.Total || out.TotalCapped && len(out.Articles) == aq.page.Limit
	out.apiPaging = s.paging(w, r, aq.page, more, articleParams...)
	s.writeAPI(w, r, http.StatusOK, out)
}

// listArticles fills out with a page of the newest articles.
func (s *Server) listArticles(r *http.Request, aq articleQuery, out *apiArticleList) error {
	f := store.ArticleFilter{Limit: aq.page.Limit, Offset: aq.page.Offset, Language: aq.language, Site: aq.site, Since: aq.since, Until: aq.until}
	arts, err := s.store.ListArticles(r.Context(), f)
	if err != nil {
		return fmt.Errorf("list: %w", err)
	}
	if out.Total, err = s.store.CountArticles(r.Context(), f); err != nil {
		return fmt.Errorf("count: %w", err)
	}
	out.Articles = make([]apiArticle, 0, len(arts))
	for i := range arts {
		out.Articles = append(out.Articles, s.toAPI(r, &arts[i], s.readerTranslation(r.Context(), &arts[i]), false))
	}
	return nil
}

// searchArticles fills out with a page of the articles that match ?q=,
// in the store's search order.
func (s *Server) searchArticles(r *http.Request, aq articleQuery, out *apiArticleList) error {
	hits, total, err := s.store.Search(r.Context(), store.SearchQuery{Text: aq.text, Site: aq.site, Language: aq.language,
		Since: aq.since, Until: aq.until, Limit: aq.page.Limit, Offset: aq.page.Offset})
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	out.Total = total
	if total > store.SearchTotalCap {
		out.Total, out.TotalCapped = store.SearchTotalCap, true
	}
	out.Articles = make([]apiArticle, 0, len(hits))
	for i := range hits {
		a := &hits[i].Article
		art := s.toAPI(r, a, s.readerTranslation(r.Context(), a), false)
		art.Snippet = hits[i].Snippet
		out.Articles = append(out.Articles, art)
	}
	return nil
}

func (s *Server) handleAPIArticle(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.writeProblem(w, r, http.StatusNotFound, "There is no article at this address: an article's id is a positive whole number.")
		return
	}
	a, err := s.store.Article(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.writeProblem(w, r, http.StatusNotFound, fmt.Sprintf("There is no article %d.", id))
		return
	}
	if err != nil {
		s.writeInternal(w, r, "api article failed", err, "id", id)
		return
	}
	s.writeAPI(w, r, http.StatusOK, s.toAPI(r, a, s.readerTranslation(r.Context(), a), true))
}
