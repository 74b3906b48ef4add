package news

import "time"

// Translation is an article in another language: what a reader sees when
// the original is not in their language.
type Translation struct {
	ArticleID   int64
	Lang        string // the translation's language (BCP 47), e.g. "en"
	SourceLang  string // the original's language, e.g. "es"
	Backend     string // the engine that made it: "apertium", "apy", "libretranslate", "openai"
	Engine      string // the engine as a reader sees it: "Apertium"
	Title       string
	Description string
	BodyHTML    string // sanitised, safe to render
	Text        string // plain text, paragraphs separated by blank lines
	// SourceHash is the article's ContentHash when it was translated; a
	// different hash means the translation is stale.
	SourceHash string
	Status     TranslationStatus
	Error      string // why the last attempt failed
	Attempts   int
	// NextAttemptAt is when a failed translation is tried again.
	NextAttemptAt time.Time
	TranslatedAt  time.Time
}

// TranslationStatus says where an article's translation stands. An
// article whose translation failed is published in its original language
// meanwhile.
type TranslationStatus string

// The states of a translation.
const (
	TranslationDone    TranslationStatus = "done"
	TranslationFailed  TranslationStatus = "failed"
	TranslationPending TranslationStatus = "pending"
)

// Localized returns a copy of a showing t's title, description and text in
// place of its own, marked with the language it was translated from.
func (a Article) Localized(t *Translation) Article {
	if t == nil || t.Title == "" {
		return a
	}
	a.TranslatedFrom = a.Language
	a.Language = t.Lang
	a.Title = t.Title
	if t.Description != "" {
		a.Description = t.Description
	}
	if t.BodyHTML != "" {
		a.BodyHTML, a.Text = t.BodyHTML, t.Text
	}
	return a
}
