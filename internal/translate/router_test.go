package translate

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
)

func TestRouterPicksPerPair(t *testing.T) {
	es := &Service{Backend: &fakeBackend{}, Display: "Apertium"}
	r := &Router{Pairs: map[Pair]Translator{esEn: es}}
	if out, err := r.TranslateText(context.Background(), esEn, "Hola mundo"); err != nil || out != "Hello world" {
		t.Errorf("es-en: %q, %v", out, err)
	}
	if _, err := r.TranslateText(context.Background(), Pair{"de", "en"}, "Hallo"); !errors.Is(err, ErrUnsupportedPair) {
		t.Errorf("de-en without default: %v", err)
	}
}

func TestGlossaryFilesRoundTrip(t *testing.T) {
	dir := t.TempDir()
	g := &Glossary{Entries: []GlossaryEntry{{"Nochebuena", "Christmas Eve"}, {"EFE", ""}}}
	if err := SaveGlossary(dir, esEn, g); err != nil {
		t.Fatal(err)
	}
	got, err := LoadGlossaries(dir)
	if err != nil {
		t.Fatal(err)
	}
	if e := got[esEn].Entries; len(e) != 2 || e[0] != g.Entries[0] || e[1] != g.Entries[1] {
		t.Errorf("round trip: %+v", e)
	}
}

// The store's translation cache makes re-processing an unchanged article free.
func TestStoreCacheHitDoesNoWork(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	f := &fakeBackend{}
	s := &Service{Backend: f, Cache: st}
	a := &news.Article{ID: 1, Language: "es", Title: "Hola mundo", Description: "El presidente",
		BodyHTML: `<p>El presidente <a href="/x">dijo</a> hola.</p><p>Hola mundo.</p>`}
	first, err := Article(ctx, s, a, "en")
	if err != nil {
		t.Fatal(err)
	}
	calls := f.calls.Load()
	second, err := Article(ctx, s, a, "en")
	if err != nil {
		t.Fatal(err)
	}
	if f.calls.Load() != calls {
		t.Errorf("unchanged article: %d more backend calls", f.calls.Load()-calls)
	}
	if second.BodyHTML != first.BodyHTML || second.Title != first.Title {
		t.Errorf("cached translation differs:\n%s\n%s", first.BodyHTML, second.BodyHTML)
	}
}

func TestNewFromConfig(t *testing.T) {
	r, err := New(Config{Backend: "apertium", PairBackends: map[string]string{"de-en": "libretranslate"},
		Getenv: func(k string) string {
			if k == "NEWSDESK_APERTIUM_MODES" {
				return "testdata/no-modes"
			}
			return ""
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	err = r.Check(esEn)
	if err == nil || !strings.Contains(err.Error(), "apertium-eng-spa") {
		t.Errorf("missing Apertium: %v", err)
	}
	if err := r.Check(Pair{"de", "en"}); err != nil {
		t.Errorf("HTTP backend check: %v", err)
	}
	if _, err := New(Config{Backend: "nope"}); err == nil {
		t.Error("unknown backend accepted")
	}
}
