package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// base is what every page's template gets.
type base struct {
	Lang        string // the page's language
	SiteName    string
	Title       string
	Description string
	Query       string // the search box's text
	Canonical   string // absolute URL of this page, when it has one
	Section     string // which navigation entry is current
	Feeds       []feedLink
	OG          *openGraph
	JSONLD      any  // schema.org data, rendered as application/ld+json
	NoIndex     bool // error pages and searches are not for search engines
}

// feedLink is a feed of the page, offered as <link rel=alternate> and as
// links on the page.
type feedLink struct {
	Type, Title, Href string
}

func (s *Server) base(title string) base {
	return base{Lang: s.cfg.Language, SiteName: s.cfg.SiteName, Title: title}
}

// pageNames are the templates with a page of their own.
var pageNames = []string{"front", "article", "search", "list", "sites", "about", "notfound",
	"story", "stories", "entity", "entities"}

// extraTemplates are shared template files parsed after the standard ones
// into every page: they fill the blocks the standard templates leave empty
// ("article-story", "article-translation", ...).
var extraTemplates = []string{"templates/entity_parts.html", "templates/story_parts.html",
	"templates/story_article.html", "templates/translation.html"}

func (s *Server) parseTemplates() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"asset": s.assets.url,
		"iso":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"date":  func(t time.Time) string { return t.UTC().Format("2 January 2006, 15:04 UTC") },
		"day":   func(t time.Time) string { return t.UTC().Format("2006-01-02") },
		// safe marks HTML that came out of the sanitiser; nothing else may
		// be passed to it.
		"safe":      func(s string) template.HTML { return template.HTML(s) },
		"highlight": highlight,
		"langName":  langName,
		"pathEsc":   pathEscape,
		"thumb":     s.thumbnail,
		"plural": func(n int, one, many string) string {
			if n == 1 {
				return one
			}
			return many
		},
	}
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		files := append([]string{"templates/layout.html", "templates/parts.html", "templates/" + name + ".html"}, extraTemplates...)
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, files...)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// highlight escapes a snippet and wraps the marked byte ranges in <mark>.
func highlight(text string, marks [][2]int) template.HTML {
	var b strings.Builder
	at := 0
	for _, m := range marks {
		if m[0] < at || m[1] > len(text) || m[0] > m[1] {
			continue
		}
		b.WriteString(template.HTMLEscapeString(text[at:m[0]]))
		b.WriteString("<mark>")
		b.WriteString(template.HTMLEscapeString(text[m[0]:m[1]]))
		b.WriteString("</mark>")
		at = m[1]
	}
	b.WriteString(template.HTMLEscapeString(text[at:]))
	return template.HTML(b.String())
}

// page executes a page template into a finished response, so a template
// error becomes a clean 500 rather than half a page.
func (s *Server) page(r *http.Request, status int, name string, data any) *response {
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		s.log.Error("render failed", "page", name, "path", r.URL.Path, "err", err)
		p := newResponse(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("internal error\n"))
		p.cacheControl = "no-store"
		return p
	}
	p := newResponse(status, "text/html; charset=utf-8", buf.Bytes())
	if status != http.StatusOK {
		p.cacheControl = "no-store"
	}
	return p
}

// render builds and sends a page that is not cached.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	s.send(w, r, s.page(r, status, name, data))
}

type messagePage struct {
	base
	Message string
}

func (s *Server) notFoundPage(r *http.Request, msg string) *response {
	b := s.base("Page not found")
	b.NoIndex = true
	return s.page(r, http.StatusNotFound, "notfound", messagePage{base: b, Message: msg})
}

func (s *Server) badRequestPage(r *http.Request, msg string) *response {
	b := s.base("Bad request")
	b.NoIndex = true
	return s.page(r, http.StatusBadRequest, "notfound", messagePage{base: b, Message: msg})
}

func (s *Server) errorPage(r *http.Request, err error) *response {
	s.logFailure(r, "request failed", err)
	b := s.base("Something went wrong")
	b.NoIndex = true
	return s.page(r, http.StatusInternalServerError, "notfound", messagePage{base: b, Message: "The page could not be shown. Please try again."})
}

// langName names a language tag in English for filters and labels.
func langName(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return tag
	}
	if n := display.English.Tags().Name(t); n != "" {
		return n
	}
	return tag
}

// notFoundPage is the data of the message page (the name it had first).
type notFoundPage = messagePage

// notFound, badRequest and serverError send the message page; handlers
// that build cached responses use the *Page forms instead.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request, msg string) {
	s.send(w, r, s.notFoundPage(r, msg))
}

func (s *Server) badRequest(w http.ResponseWriter, r *http.Request, msg string) {
	s.send(w, r, s.badRequestPage(r, msg))
}

func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	s.send(w, r, s.errorPage(r, err))
}
