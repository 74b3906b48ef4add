package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"
)

// base is what every page's template gets.
type base struct {
	Lang     string // the page's language
	SiteName string
	Title    string
	Query    string // the search box's text
}

func (s *Server) base(title string) base {
	return base{Lang: "en", SiteName: s.cfg.SiteName, Title: title}
}

var pageNames = []string{"front", "article", "search", "notfound"}

func (s *Server) parseTemplates() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"asset": s.assets.url,
		"iso":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"date":  func(t time.Time) string { return t.UTC().Format("2 January 2006, 15:04 UTC") },
		// safe marks HTML that came out of the sanitiser; nothing else may
		// be passed to it.
		"safe":      func(s string) template.HTML { return template.HTML(s) },
		"highlight": highlight,
	}
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/pager.html", "templates/"+name+".html")
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

// render executes a page into a buffer first, so a template error becomes
// a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		s.log.Error("render failed", "page", name, "path", r.URL.Path, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

type notFoundPage struct {
	base
	Message string
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request, msg string) {
	s.render(w, r, http.StatusNotFound, "notfound", notFoundPage{base: s.base("Page not found"), Message: msg})
}

func (s *Server) badRequest(w http.ResponseWriter, r *http.Request, msg string) {
	s.render(w, r, http.StatusBadRequest, "notfound", notFoundPage{base: s.base("Bad request"), Message: msg})
}

func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("request failed", "path", r.URL.Path, "err", err)
	s.render(w, r, http.StatusInternalServerError, "notfound", notFoundPage{base: s.base("Something went wrong"), Message: "The page could not be shown. Please try again."})
}
