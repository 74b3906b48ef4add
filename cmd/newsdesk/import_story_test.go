package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestSyndicatedCopyIsCredited imports a page and a republished copy of it
// (another outlet, a day later, re-headlined): both land in one story and
// one syndication group whose original is the first outlet, and the copy's
// page says so.
func TestSyndicatedCopyIsCredited(t *testing.T) {
	dir := t.TempDir()
	raw, err := os.ReadFile("testdata/article.html")
	if err != nil {
		t.Fatal(err)
	}
	copyRaw := strings.NewReplacer(
		"https://diario.example/mundo/caravana-migrante-avanza", "https://otro.example/noticias/caravana",
		"Diario de Prueba", "Otro Medio",
		"2023-12-27T18:30:00Z", "2023-12-28T09:00:00Z",
		"Caravana migrante avanza hacia el norte", "Miles de migrantes marchan al norte",
	).Replace(string(raw))
	os.WriteFile(filepath.Join(dir, "a.html"), raw, 0o644)
	os.WriteFile(filepath.Join(dir, "b.html"), []byte(copyRaw), 0o644)
	db := filepath.Join(t.TempDir(), "s.db")
	env := map[string]string{"NEWSDESK_TRANSLATE_BACKEND": "off"}
	if code, out, errOut := runCmd(t, env, "import", "--db", db, "--workers", "1", dir); code != exitOK {
		t.Fatalf("import: %d\n%s\n%s", code, out, errOut)
	}
	s := openDB(t, db)
	ctx := context.Background()
	orig, err := s.ArticleByURL(ctx, "https://diario.example/mundo/caravana-migrante-avanza")
	if err != nil {
		t.Fatal(err)
	}
	cp, err := s.ArticleByURL(ctx, "https://otro.example/noticias/caravana")
	if err != nil {
		t.Fatal(err)
	}
	s1, err1 := s.StoryOf(ctx, orig.ID)
	s2, err2 := s.StoryOf(ctx, cp.ID)
	if err1 != nil || err2 != nil || s1 != s2 {
		t.Errorf("stories %d (%v) and %d (%v): want one story", s1, err1, s2, err2)
	}
	syn, err := s.Syndication(ctx, cp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if syn.Members != 2 || syn.OriginalID != orig.ID {
		t.Errorf("syndication %+v: want 2 members, original %d", syn, orig.ID)
	}
	s.Close()

	base, stop := startCmd(t, "serve", "--db", db, "--addr", "127.0.0.1:0", "--no-collect")
	defer stop()
	_, page := get(t, base+"article/"+itoa(cp.ID))
	if !strings.Contains(page, "Originally published by <a href=\"/article/"+itoa(orig.ID)+"\">Diario de Prueba</a>") {
		t.Error("the copy's page does not credit the original outlet")
	}
	if !strings.Contains(page, "Also published by 1 other outlet.") {
		t.Error("the copy's page does not count the other outlet")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
