package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

func testTranslationCache(t *testing.T, s store.Store) {
	ctx := context.Background()
	if err := s.PutTranslations(ctx, "apertium", "es-en", map[string]string{"h1": "one", "h2": "two"}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutTranslations(ctx, "apertium", "es-en", map[string]string{"h2": "two, again"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetTranslations(ctx, "apertium", "es-en", []string{"h1", "h2", "h3"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["h1"] != "one" || got["h2"] != "two, again" {
		t.Errorf("got %v", got)
	}
	// Keyed by backend and pair too.
	if got, _ := s.GetTranslations(ctx, "apy", "es-en", []string{"h1"}); len(got) != 0 {
		t.Errorf("other backend sees %v", got)
	}
	if got, _ := s.GetTranslations(ctx, "apertium", "fr-en", []string{"h1"}); len(got) != 0 {
		t.Errorf("other pair sees %v", got)
	}
}

func testTranslationRetry(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := &news.Article{URL: "https://example.org/a", Title: "Hola", Language: "es", Text: "Hola mundo"}
	if _, err := s.UpsertArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Translation(ctx, a.ID, "en"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing translation: err = %v", err)
	}
	// First attempt fails: retried later, listed as due once its time comes.
	fail := &news.Translation{ArticleID: a.ID, Lang: "en", SourceLang: "es", Status: news.TranslationFailed, Error: "apertium: no answer"}
	if err := s.SaveTranslation(ctx, fail); err != nil {
		t.Fatal(err)
	}
	if fail.Attempts != 1 || fail.NextAttemptAt.IsZero() {
		t.Errorf("failed attempt: attempts %d, next %v", fail.Attempts, fail.NextAttemptAt)
	}
	if due, _ := s.TranslationsDue(ctx, "en", time.Now(), 10); len(due) != 0 {
		t.Errorf("due before its time: %v", due)
	}
	if due, _ := s.TranslationsDue(ctx, "en", time.Now().Add(time.Hour), 10); len(due) != 1 || due[0] != a.ID {
		t.Errorf("due later = %v, want [%d]", due, a.ID)
	}
	// Then it succeeds.
	ok2 := &news.Translation{ArticleID: a.ID, Lang: "en", SourceLang: "es", Backend: "apertium", Engine: "Apertium",
		Title: "Hello", BodyHTML: "<p>Hello world</p>", Text: "Hello world", SourceHash: a.ContentHash, Status: news.TranslationDone}
	if err := s.SaveTranslation(ctx, ok2); err != nil {
		t.Fatal(err)
	}
	if ok2.Attempts != 0 || ok2.TranslatedAt.IsZero() {
		t.Errorf("done: attempts %d translated %v", ok2.Attempts, ok2.TranslatedAt)
	}
	// A later failure keeps the good text and says it failed.
	if err := s.SaveTranslation(ctx, &news.Translation{ArticleID: a.ID, Lang: "en", Status: news.TranslationFailed, Error: "boom"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Translation(ctx, a.ID, "en")
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Hello" || got.BodyHTML != "<p>Hello world</p>" || got.Engine != "Apertium" || got.SourceHash != a.ContentHash {
		t.Errorf("last good translation lost: %+v", got)
	}
	if got.Status != news.TranslationFailed || got.Error != "boom" || got.Attempts != 1 {
		t.Errorf("status %q error %q attempts %d", got.Status, got.Error, got.Attempts)
	}
}
