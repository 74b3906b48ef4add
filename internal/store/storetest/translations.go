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

// testSearchTranslations: a search finds an article through the text of
// its translation (an English word finds a Spanish article) and through
// its own (a Spanish word still does); a replaced translation's old words
// no longer find it, and a failed attempt keeps the last good text
// searchable, as it keeps it readable.
func testSearchTranslations(t *testing.T, s store.Store) {
	ctx := context.Background()
	es := &news.Article{URL: "https://example.org/votacion", SiteName: "Diario", Language: "es",
		Title: "Votación en el Congreso", Text: "Los diputados aprobaron la ayuda a Ucrania por amplia mayoría.",
		BodyHTML:  "<p>Los diputados aprobaron la ayuda a Ucrania por amplia mayoría.</p>",
		Published: time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)}
	other := &news.Article{URL: "https://example.org/lluvia", SiteName: "Diario", Language: "es",
		Title: "Lluvia en Madrid", Text: "La lluvia volvió a la capital.", BodyHTML: "<p>La lluvia volvió a la capital.</p>",
		Published: time.Date(2024, 5, 1, 11, 0, 0, 0, time.UTC)}
	for _, a := range []*news.Article{es, other} {
		if _, err := s.UpsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	found := func(text string, q store.SearchQuery) []int64 {
		t.Helper()
		q.Text = text
		hits, total, err := s.Search(ctx, q)
		if err != nil {
			t.Fatalf("search %q: %v", text, err)
		}
		if total != len(hits) {
			t.Fatalf("search %q: total %d, %d hits", text, total, len(hits))
		}
		var ids []int64
		for _, h := range hits {
			ids = append(ids, h.Article.ID)
		}
		return ids
	}
	only := func(text string, q store.SearchQuery, want int64) {
		t.Helper()
		if ids := found(text, q); len(ids) != 1 || ids[0] != want {
			t.Errorf("search %q %+v: %v, want [%d]", text, q, ids, want)
		}
	}
	none := func(text string) {
		t.Helper()
		if ids := found(text, store.SearchQuery{}); len(ids) != 0 {
			t.Errorf("search %q: %v, want nothing", text, ids)
		}
	}
	none("ukraine")
	tr := &news.Translation{ArticleID: es.ID, Lang: "en", SourceLang: "es", Backend: "apertium", Engine: "Apertium",
		Title: "Vote in Congress", Text: "The deputies approved the aid to Ukraine by a wide majority.",
		SourceHash: es.ContentHash, Status: news.TranslationDone}
	if err := s.SaveTranslation(ctx, tr); err != nil {
		t.Fatal(err)
	}
	only("Ukraine", store.SearchQuery{}, es.ID)
	only("deputies approved", store.SearchQuery{}, es.ID)
	only("Congress", store.SearchQuery{Language: "es", Site: "Diario"}, es.ID) // filters are the article's
	only("Ucrania", store.SearchQuery{}, es.ID)
	only("diputados", store.SearchQuery{}, es.ID)
	if ids := found("ukraine", store.SearchQuery{Language: "en"}); len(ids) != 0 {
		t.Errorf("the language filter is the article's: %v", ids)
	}

	// A new translation replaces the old one's words.
	tr.Text, tr.Title = "Parliament backs aid for Kyiv.", "Parliament vote"
	if err := s.SaveTranslation(ctx, tr); err != nil {
		t.Fatal(err)
	}
	none("ukraine")
	none("congress")
	only("Kyiv", store.SearchQuery{}, es.ID)
	only("Ucrania", store.SearchQuery{}, es.ID)
	// A failed attempt keeps the last good text, searchable.
	if err := s.SaveTranslation(ctx, &news.Translation{ArticleID: es.ID, Lang: "en", Status: news.TranslationFailed, Error: "boom"}); err != nil {
		t.Fatal(err)
	}
	only("parliament", store.SearchQuery{}, es.ID)
	// Two translations of one article are both searched.
	fr := &news.Translation{ArticleID: other.ID, Lang: "fr", SourceLang: "es", Title: "Pluie à Madrid",
		Text: "La pluie est revenue dans la capitale.", Status: news.TranslationDone}
	en := &news.Translation{ArticleID: other.ID, Lang: "en", SourceLang: "es", Title: "Rain in Madrid",
		Text: "The rain returned to the capital.", Status: news.TranslationDone}
	for _, x := range []*news.Translation{fr, en} {
		if err := s.SaveTranslation(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	only("pluie", store.SearchQuery{}, other.ID)
	only("rain", store.SearchQuery{}, other.ID)
	only("lluvia", store.SearchQuery{}, other.ID)
	// The article's own update leaves its translations searched.
	other.Text = "La lluvia volvió a la capital el martes."
	other.BodyHTML, other.ContentHash = "<p>"+other.Text+"</p>", ""
	if _, err := s.UpsertArticle(ctx, other); err != nil {
		t.Fatal(err)
	}
	only("martes", store.SearchQuery{}, other.ID)
	only("rain", store.SearchQuery{}, other.ID)
}

// TwoTranslated stores two Spanish articles, each with an English
// translation: a ("Los diputados votaron" / "The deputies voted") and b
// ("Llueve" / "It rains"), for a backend's own tests of how its index
// follows translations.
func TwoTranslated(t *testing.T, s store.Store) (a, b *news.Article) {
	t.Helper()
	ctx := context.Background()
	a = &news.Article{URL: "https://example.org/a", Language: "es", Title: "Votación", Text: "Los diputados votaron.",
		BodyHTML: "<p>Los diputados votaron.</p>", Published: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)}
	b = &news.Article{URL: "https://example.org/b", Language: "es", Title: "Lluvia", Text: "Llueve.",
		BodyHTML: "<p>Llueve.</p>", Published: time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC)}
	for _, x := range []*news.Article{a, b} {
		if _, err := s.UpsertArticle(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	for _, tr := range []*news.Translation{
		{ArticleID: a.ID, Lang: "en", Title: "Vote", Text: "The deputies voted.", Status: news.TranslationDone},
		{ArticleID: b.ID, Lang: "en", Title: "Rain", Text: "It rains.", Status: news.TranslationDone},
	} {
		if err := s.SaveTranslation(ctx, tr); err != nil {
			t.Fatal(err)
		}
	}
	return a, b
}
