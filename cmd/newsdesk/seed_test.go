package main

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestSeedPageDoneRight runs a Spanish page built like the seed through
// the whole system (import with real Apertium, then the site) and checks
// every defect of the seed is gone.
func TestSeedPageDoneRight(t *testing.T) {
	haveApertium(t)
	db := t.TempDir() + "/seed.db"
	if code, out, errOut := runCmd(t, nil, "import", "--db", db, "testdata/seed-es.html"); code != exitOK {
		t.Fatalf("import: %d\n%s\n%s", code, out, errOut)
	}
	s := openDB(t, db)
	a, err := s.ArticleByURL(context.Background(), "https://diario.example/mundo/amlo-blinken-flujo-migratorio")
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	base, stop := startCmd(t, "serve", "--db", db, "--addr", "127.0.0.1:0", "--no-collect")
	defer stop()
	_, page := get(t, base+"article/"+strconv.FormatInt(a.ID, 10))
	body := page[strings.Index(page, `<div class="body">`):]
	body = body[:strings.Index(body, "</div>")]
	text := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(body, "")

	for _, want := range []string{"Obrador and", "Blinken met", "Christmas Eve", "2.2 million"} {
		if !strings.Contains(text, want) {
			t.Errorf("translated body lacks %q:\n%s", want, text)
		}
	}
	// No name glued to the next word where a link ended.
	if m := regexp.MustCompile(`(Obrador|Blinken|Nacional|Palace|Bárcena)[a-z]`).FindString(text); m != "" {
		t.Errorf("glued words %q in:\n%s", m, text)
	}
	for _, teaser := range []string{"MIRA", "LOOK HERE", "MÁS INFORMACIÓN", "MORE INFORMATION", "Fuente", "Source: EFE", "Compartir", "Goodnight"} {
		if strings.Contains(text, teaser) {
			t.Errorf("body still holds %q", teaser)
		}
	}
	for _, want := range []string{"Machine-translated from Spanish (Apertium)", `href="https://diario.example/mundo/amlo-blinken-flujo-migratorio"`, "Originally published by <strong>Diario Ejemplo</strong>"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Count(body, "<a ") < 3 {
		t.Errorf("the links inside the text were lost:\n%s", body)
	}
}
