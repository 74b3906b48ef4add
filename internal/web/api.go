package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

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

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

type apiError struct {
	Error string `json:"error"`
}

func (s *Server) handleAPIArticles(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, offset := 20, 0
	var err error
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 100 {
			writeJSON(w, http.StatusBadRequest, apiError{"limit must be a number from 1 to 100"})
			return
		}
	}
	if v := q.Get("offset"); v != "" {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 || offset > 100000 {
			writeJSON(w, http.StatusBadRequest, apiError{"offset must be a number from 0 to 100000"})
			return
		}
	}
	f := store.ArticleFilter{Limit: limit, Offset: offset, Language: q.Get("language"), Site: q.Get("site")}
	arts, err := s.store.ListArticles(r.Context(), f)
	if err != nil {
		s.logFailure(r, "api list failed", err)
		writeJSON(w, http.StatusInternalServerError, apiError{"internal error"})
		return
	}
	total, err := s.store.CountArticles(r.Context(), f)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{"internal error"})
		return
	}
	out := struct {
		Total    int          `json:"total"`
		Limit    int          `json:"limit"`
		Offset   int          `json:"offset"`
		Articles []apiArticle `json:"articles"`
	}{Total: total, Limit: limit, Offset: offset, Articles: []apiArticle{}}
	for i := range arts {
		out.Articles = append(out.Articles, s.toAPI(r, &arts[i], s.readerTranslation(r.Context(), &arts[i]), false))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleAPIArticle(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		writeJSON(w, http.StatusNotFound, apiError{"no such article"})
		return
	}
	a, err := s.store.Article(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		writeJSON(w, http.StatusNotFound, apiError{"no such article"})
		return
	}
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{"internal error"})
		return
	}
	writeJSON(w, http.StatusOK, s.toAPI(r, a, s.readerTranslation(r.Context(), a), true))
}
