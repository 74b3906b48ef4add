package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

func TestArticleShowsTranslationWithDisclosure(t *testing.T) {
	ts := newTestSite(t, nil)
	ctx := context.Background()
	a := &news.Article{URL: "https://diario.example.pe/nochebuena", SiteName: "Diario Ejemplo", Title: "La caravana salió en Nochebuena",
		Language: "es", Published: testNow.Add(-time.Hour), Text: "La caravana salió en Nochebuena con casi 10.000 personas.",
		BodyHTML: "<p>La caravana salió en Nochebuena con casi 10.000 personas.</p>"}
	if _, err := ts.st.UpsertArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	before := ts.get(t, fmt.Sprintf("/article/%d", a.ID)).body
	if strings.Contains(before, "Machine-translated") || !strings.Contains(before, "La caravana salió en Nochebuena") {
		t.Fatal("an untranslated article must show the original and no disclosure")
	}
	tr := &news.Translation{ArticleID: a.ID, Lang: "en", SourceLang: "es", Backend: "apertium", Engine: "Apertium",
		Title: "The caravan left on Christmas Eve", BodyHTML: "<p>The caravan left on Christmas Eve with almost 10,000 people.</p>",
		Text: "The caravan left on Christmas Eve with almost 10,000 people.", SourceHash: a.ContentHash,
		Status: news.TranslationDone, TranslatedAt: testNow}
	if err := ts.st.SaveTranslation(ctx, tr); err != nil {
		t.Fatal(err)
	}

	page := ts.get(t, fmt.Sprintf("/article/%d", a.ID)).body
	for _, want := range []string{
		"<h1>The caravan left on Christmas Eve</h1>",
		"Machine-translated from Spanish (Apertium)",
		fmt.Sprintf(`href="/article/%d?original=1" hreflang="es"`, a.ID),
		`href="https://diario.example.pe/nochebuena"`,
		"with almost 10,000 people",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("translated page lacks %q", want)
		}
	}
	if strings.Contains(page, `<article class="story" lang="es"`) {
		t.Error("the translated article is marked as Spanish")
	}

	orig := ts.get(t, fmt.Sprintf("/article/%d?original=1", a.ID)).body
	if !strings.Contains(orig, "La caravana salió en Nochebuena</h1>") || !strings.Contains(orig, `<article class="story" lang="es"`) {
		t.Error("?original=1 must show the Spanish text marked lang=es")
	}
	if !strings.Contains(orig, fmt.Sprintf(`href="/article/%d">Read the English machine translation`, a.ID)) {
		t.Error("the original page must link back to the translation")
	}

	front := ts.get(t, "/").body
	if !strings.Contains(front, "The caravan left on Christmas Eve") || !strings.Contains(front, "Translated from Spanish") {
		t.Error("the front page must list the translated headline, saying it is translated")
	}
}

func TestFrontShowsASyndicatedStoryOnce(t *testing.T) {
	ts := newTestSite(t, nil)
	ctx := context.Background()
	var ids []int64
	for i, site := range []string{"Agency Wire", "Paper One", "Paper Two"} {
		a := &news.Article{URL: fmt.Sprintf("https://%d.example/wire", i), SiteName: site, Title: fmt.Sprintf("Wire copy %d of the quake report", i),
			Language: "en", Published: testNow.Add(-time.Duration(3-i) * time.Minute), Text: "The quake report.", BodyHTML: "<p>The quake report.</p>"}
		if _, err := ts.st.UpsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	for i, id := range ids {
		var of int64
		if i > 0 {
			of = ids[0]
		}
		if err := ts.st.SetSyndication(ctx, id, ids[0], of, 0.9); err != nil {
			t.Fatal(err)
		}
	}
	front := ts.get(t, "/").body
	n := strings.Count(front, "of the quake report</a>")
	if n != 1 {
		t.Errorf("the syndicated story is listed %d times on the front page, want once", n)
	}
	if !strings.Contains(front, `href="/stories"`) {
		t.Error("no Stories link in the navigation")
	}
}
