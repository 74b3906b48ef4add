package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/translate"
)

// translationView is what the article page says about a translation.
type translationView struct {
	Disclosure   string // "Machine-translated from Spanish (Apertium)"
	SourceLang   string // the original's language tag
	SourceName   string // "Spanish"
	ShowOriginal bool   // the reader asked for the original text
	OriginalHref string // our page with the original text
	TransHref    string // our page with the translation
	OriginalURL  string // the outlet's page
}

// translated returns the article as the reader should see it: its
// translation into the site's language when there is one, unless the
// reader asked for the original (?original=1). The article's own language
// stays on the original, which the credit links to.
func (s *Server) translated(r *http.Request, a *news.Article, data *articlePage) *news.Article {
	t := s.readerTranslation(r.Context(), a)
	if t == nil {
		return a // none, or only failed attempts so far: the original is shown
	}
	view := &translationView{
		Disclosure:   translate.Disclosure(t),
		SourceLang:   a.Language,
		SourceName:   translate.LanguageName(a.Language),
		OriginalHref: fmt.Sprintf("/article/%d?original=1", a.ID),
		TransHref:    fmt.Sprintf("/article/%d", a.ID),
		OriginalURL:  a.URL,
	}
	data.Translation = view
	if r.URL.Query().Get("original") == "1" {
		view.ShowOriginal = true
		return a
	}
	shown := a.Localized(t)
	data.Title = shown.Title
	data.TranslatedFrom = a.Language
	data.Original = a
	return &shown
}

// readerTranslation is a's translation into the site's language when
// there is one to show (a done translation; a failed attempt has no
// title), else nil. An article already in the site's language has none.
func (s *Server) readerTranslation(ctx context.Context, a *news.Article) *news.Translation {
	lang := s.base("").Lang
	if a.Language == "" || sameLang(a.Language, lang) || a.TranslatedFrom != "" {
		return nil
	}
	t, err := s.store.Translation(ctx, a.ID, lang)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.log.Warn("translation lookup failed", "article", a.ID, "err", err)
		}
		return nil
	}
	if t.Title == "" {
		return nil
	}
	return t
}

// localize shows listed articles in the site's language where a
// translation exists: the reader scans headlines in their language. It
// returns the translations it used, by article id.
func (s *Server) localize(ctx context.Context, arts []news.Article) map[int64]*news.Translation {
	used := map[int64]*news.Translation{}
	for i := range arts {
		if t := s.readerTranslation(ctx, &arts[i]); t != nil {
			arts[i] = arts[i].Localized(t)
			used[arts[i].ID] = t
		}
	}
	return used
}
