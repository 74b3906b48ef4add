package main

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/testenv"
)

func haveApertium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(apertiumSpaEng); err != nil {
		testenv.Missing(t, "apertium", "apt-get install apertium apertium-eng-spa")
	}
}

// TestImportTranslatesSpanish runs the real pipeline with real Apertium: a
// Spanish page is stored in Spanish and its English translation beside it.
func TestImportTranslatesSpanish(t *testing.T) {
	haveApertium(t)
	db := t.TempDir() + "/t.db"
	if code, out, errOut := runCmd(t, nil, "import", "--db", db, "testdata/article.html"); code != exitOK {
		t.Fatalf("import: %d\n%s\n%s", code, out, errOut)
	}
	s := openDB(t, db)
	defer s.Close()
	ctx := context.Background()
	a, err := s.ArticleByURL(ctx, "https://diario.example/mundo/caravana-migrante-avanza")
	if err != nil {
		t.Fatal(err)
	}
	if a.Language != "es" || !strings.Contains(a.Text, "caravana") {
		t.Fatalf("original not kept in Spanish: %q %q", a.Language, a.Title)
	}
	tr, err := s.Translation(ctx, a.ID, "en")
	if err != nil {
		t.Fatal(err)
	}
	if tr.Status != news.TranslationDone || !strings.Contains(strings.ToLower(tr.Title), "caravan") || !strings.Contains(tr.Text, "2.2 million") {
		t.Errorf("translation %+v", tr)
	}
	if tr.SourceHash != a.ContentHash {
		t.Error("translation not tied to the article's content")
	}
}

func TestTranslationOff(t *testing.T) {
	db := t.TempDir() + "/t.db"
	env := map[string]string{"NEWSDESK_TRANSLATE_BACKEND": "off"}
	if code, _, _ := runCmd(t, env, "import", "--db", db, "testdata/article.html"); code != exitOK {
		t.Fatal("import failed")
	}
	s := openDB(t, db)
	defer s.Close()
	a, _ := s.ArticleByURL(context.Background(), "https://diario.example/mundo/caravana-migrante-avanza")
	if _, err := s.Translation(context.Background(), a.ID, "en"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("translation with translation off: %v", err)
	}
}
