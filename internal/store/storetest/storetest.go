// Package storetest is the conformance suite every store backend passes:
// the same inputs must give the same answers on SQLite and PostgreSQL.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Opener returns a fresh, empty store for one test.
type Opener func(t *testing.T) store.Store

// Run runs the whole suite.
func Run(t *testing.T, open Opener) {
	t.Run("Upsert", func(t *testing.T) { testUpsert(t, open(t)) })
	t.Run("ListAndPaging", func(t *testing.T) { testList(t, open(t)) })
	t.Run("Search", func(t *testing.T) { testSearch(t, open(t)) })
	t.Run("SearchLanguages", func(t *testing.T) { testSearchLanguages(t, open(t)) })
	t.Run("SearchHostileInput", func(t *testing.T) { testSearchHostile(t, open(t)) })
	t.Run("SearchOrderAndFilters", func(t *testing.T) { testSearchOrder(t, open(t)) })
	t.Run("SearchCap", func(t *testing.T) { testSearchCap(t, open(t)) })
	t.Run("SearchTranslations", func(t *testing.T) { testSearchTranslations(t, open(t)) })
	t.Run("ConcurrentUpserts", func(t *testing.T) { testConcurrent(t, open(t)) })
	t.Run("Sources", func(t *testing.T) { testSources(t, open(t)) })
	t.Run("Views", func(t *testing.T) { testViews(t, open(t)) })
	t.Run("Popular", func(t *testing.T) { testPopular(t, open(t)) })
	t.Run("RelatedAndFacets", func(t *testing.T) { testRelatedAndFacets(t, open(t)) })
	t.Run("TranslationCache", func(t *testing.T) { testTranslationCache(t, open(t)) })
	t.Run("TranslationRetry", func(t *testing.T) { testTranslationRetry(t, open(t)) })
	t.Run("Stories", func(t *testing.T) { testStories(t, open(t)) })
	t.Run("Syndication", func(t *testing.T) { testSyndication(t, open(t)) })
	t.Run("Entities", func(t *testing.T) { testEntities(t, open(t)) })
	t.Run("Steps", func(t *testing.T) { testSteps(t, open(t)) })
	t.Run("Leases", func(t *testing.T) { testLeases(t, open(t)) })
	t.Run("StoryWindow", func(t *testing.T) { testStoryWindow(t, open(t)) })
	t.Run("Migrations", func(t *testing.T) { testMigrations(t, open(t)) })
}

// testMigrations: an opened store has applied every migration it knows,
// once each, listed in order of version.
func testMigrations(t *testing.T, s store.Store) {
	ms, err := s.Migrations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 {
		t.Fatal("no migrations listed")
	}
	for i, m := range ms {
		if m.AppliedAt.IsZero() {
			t.Errorf("migration %s pending after open", m.Name)
		}
		if !strings.HasPrefix(m.Name, fmt.Sprintf("%04d_", m.Version)) || i > 0 && m.Version <= ms[i-1].Version {
			t.Errorf("migration %d is %d %s, after %d", i, m.Version, m.Name, ms[max(i-1, 0)].Version)
		}
	}
}

func article(i int, title, text string) *news.Article {
	return &news.Article{
		URL: fmt.Sprintf("https://example.com/news/%d", i), FetchURL: fmt.Sprintf("https://example.com/news/%d?utm=x", i),
		SiteName: "Example", Title: title, Byline: "Ana Pérez", Language: "en",
		Published: time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour),
		Text:      text, BodyHTML: "<p>" + text + "</p>",
	}
}

func testUpsert(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := article(1, "Blinken meets López Obrador", "The meeting was held at the National Palace.")
	out, err := s.UpsertArticle(ctx, a)
	if err != nil || out != store.Inserted {
		t.Fatalf("first upsert = %v, %v; want inserted", out, err)
	}
	if a.ID == 0 || a.FirstSeenAt.IsZero() {
		t.Fatalf("upsert did not set ID/FirstSeenAt: %+v", a)
	}
	firstSeen := a.FirstSeenAt
	same := article(1, a.Title, a.Text)
	if out, err = s.UpsertArticle(ctx, same); err != nil || out != store.Unchanged {
		t.Fatalf("same content = %v, %v; want unchanged", out, err)
	}
	if same.ID != a.ID {
		t.Errorf("unchanged upsert gave ID %d, want %d", same.ID, a.ID)
	}
	time.Sleep(2 * time.Millisecond)
	changed := article(1, a.Title, a.Text+" It lasted two hours.")
	if out, err = s.UpsertArticle(ctx, changed); err != nil || out != store.Updated {
		t.Fatalf("changed content = %v, %v; want updated", out, err)
	}
	got, err := s.Article(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got.Text, "two hours") {
		t.Errorf("update not stored: %q", got.Text)
	}
	if !got.FirstSeenAt.Equal(firstSeen) {
		t.Errorf("first seen changed on update: %v -> %v", firstSeen, got.FirstSeenAt)
	}
	if got.Byline != "Ana Pérez" || got.FetchURL != a.FetchURL || !got.Published.Equal(a.Published) {
		t.Errorf("fields not kept: %+v", got)
	}
	if n, _ := s.CountArticles(ctx, store.ArticleFilter{}); n != 1 {
		t.Errorf("count = %d, want 1", n)
	}
	if _, err := s.Article(ctx, 999999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing article: err = %v, want ErrNotFound", err)
	}
	byURL, err := s.ArticleByURL(ctx, a.URL)
	if err != nil || byURL.ID != a.ID {
		t.Errorf("ArticleByURL = %v, %v", byURL, err)
	}
}

func testList(t *testing.T, s store.Store) {
	ctx := context.Background()
	for i := range 25 {
		a := article(i, fmt.Sprintf("Story %d", i), fmt.Sprintf("Body of story %d.", i))
		if i%5 == 0 {
			a.Language = "es"
		}
		if _, err := s.UpsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	page1, err := s.ListArticles(ctx, store.ArticleFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(page1) != 10 || page1[0].Title != "Story 24" || page1[9].Title != "Story 15" {
		t.Fatalf("page 1 wrong: %d items, first %q", len(page1), page1[0].Title)
	}
	page3, _ := s.ListArticles(ctx, store.ArticleFilter{Limit: 10, Offset: 20})
	if len(page3) != 5 || page3[4].Title != "Story 0" {
		t.Fatalf("page 3 wrong: %d items", len(page3))
	}
	es, _ := s.ListArticles(ctx, store.ArticleFilter{Language: "es", Limit: 100})
	if len(es) != 5 {
		t.Errorf("language filter: %d, want 5", len(es))
	}
	if n, _ := s.CountArticles(ctx, store.ArticleFilter{Language: "es"}); n != 5 {
		t.Errorf("count es = %d, want 5", n)
	}
	since := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC).Add(20 * time.Hour)
	if n, _ := s.CountArticles(ctx, store.ArticleFilter{Since: since}); n != 5 {
		t.Errorf("count since = %d, want 5", n)
	}
}

func testSearch(t *testing.T, s store.Store) {
	ctx := context.Background()
	docs := []*news.Article{
		article(1, "Migrant caravan crosses southern Mexico", "More than 6,000 migrants walk north toward the border."),
		article(2, "Football results", "The migrant workers' team won; caravan mentioned once."),
		article(3, "Blinken in Mexico", "Talks on migration with López Obrador at the National Palace."),
	}
	for _, d := range docs {
		if _, err := s.UpsertArticle(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	hits, total, err := s.Search(ctx, store.SearchQuery{Text: "caravan migrants"})
	if err != nil {
		t.Fatal(err)
	}
	if total < 1 || len(hits) < 1 || hits[0].Article.ID != docs[0].ID {
		t.Fatalf("search caravan migrants: total %d, first %+v", total, hits)
	}
	if len(hits[0].Marks) == 0 {
		t.Errorf("no highlighted terms in snippet %q", hits[0].Snippet)
	}
	for _, m := range hits[0].Marks {
		w := strings.ToLower(hits[0].Snippet[m[0]:m[1]])
		if !strings.HasPrefix(w, "migrant") && !strings.HasPrefix(w, "caravan") {
			t.Errorf("mark %q is not a query term", w)
		}
	}
	// Accents are folded: "lopez" finds "López".
	if _, total, _ := s.Search(ctx, store.SearchQuery{Text: "lopez obrador"}); total != 1 {
		t.Errorf("accent-folded search found %d, want 1", total)
	}
	// Paging.
	hits, total, _ = s.Search(ctx, store.SearchQuery{Text: "caravan", Limit: 1, Offset: 1})
	if total != 2 || len(hits) != 1 {
		t.Errorf("paged search: total %d len %d, want 2 and 1", total, len(hits))
	}
	if _, total, _ := s.Search(ctx, store.SearchQuery{Text: "caravan", Language: "fr"}); total != 0 {
		t.Errorf("language filter ignored: %d", total)
	}
	// A page past the end still counts every hit.
	if hits, total, _ := s.Search(ctx, store.SearchQuery{Text: "caravan", Limit: 10, Offset: 5}); total != 2 || len(hits) != 0 {
		t.Errorf("page past the end: total %d len %d, want 2 and 0", total, len(hits))
	}
}

func testSearchLanguages(t *testing.T, s store.Store) {
	ctx := context.Background()
	es := article(1, "La caravana de migrantes cruza Chiapas", "Más de seis mil personas caminan hacia el norte en Nochebuena.")
	es.Language = "es-MX"
	en := article(2, "Weather report", "Rain is expected tomorrow in the north.")
	de := article(3, "Wetterbericht für München", "Morgen regnet es im Norden.")
	de.Language = "de"
	und := article(4, "Ripoti ya hali ya hewa", "Mvua inatarajiwa kesho kaskazini.")
	und.Language = "sw" // no stemmer: indexed as is
	for _, a := range []*news.Article{es, en, de, und} {
		if _, err := s.UpsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		q    store.SearchQuery
		want int64 // the article found, 0 for none
	}{
		{store.SearchQuery{Text: "Chiapas"}, es.ID},
		{store.SearchQuery{Text: "personas caminan"}, es.ID},
		{store.SearchQuery{Text: "nochebuena", Language: "es-MX"}, es.ID},
		{store.SearchQuery{Text: "nochebuena", Language: "en"}, 0},
		{store.SearchQuery{Text: "munchen"}, de.ID},
		{store.SearchQuery{Text: "kaskazini"}, und.ID},
		{store.SearchQuery{Text: "tomorrow rain"}, en.ID},
	}
	for _, tt := range tests {
		hits, total, err := s.Search(ctx, tt.q)
		if err != nil {
			t.Errorf("search %+v: %v", tt.q, err)
			continue
		}
		switch {
		case tt.want == 0 && total != 0:
			t.Errorf("search %+v found %d, want none", tt.q, total)
		case tt.want != 0 && (total != 1 || len(hits) != 1 || hits[0].Article.ID != tt.want):
			t.Errorf("search %+v: total %d hits %d, want only article %d", tt.q, total, len(hits), tt.want)
		}
	}
}

func testSearchHostile(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.UpsertArticle(ctx, article(1, "Near the border", "A quoted \"phrase\" here.")); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`"`, `NEAR(`, `near(border`, `title:border`, `a OR`, `*`, `'; DROP TABLE articles; --`,
		"\xff\xfe", strings.Repeat("border ", 500), `(((`, `-border`, `^border`, `border AND NOT`, ``} {
		if _, _, err := s.Search(ctx, store.SearchQuery{Text: q}); err != nil {
			t.Errorf("search %q: %v", q, err)
		}
	}
	if n, _ := s.CountArticles(ctx, store.ArticleFilter{}); n != 1 {
		t.Errorf("articles changed by hostile search: %d", n)
	}
}

func testConcurrent(t *testing.T, s store.Store) {
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 30 {
				// Every worker writes the same 30 URLs: each must end up once.
				a := article(i, fmt.Sprintf("Story %d", i), fmt.Sprintf("Text %d from %d", i, w%2))
				if _, err := s.UpsertArticle(ctx, a); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n, _ := s.CountArticles(ctx, store.ArticleFilter{}); n != 30 {
		t.Errorf("count = %d, want 30", n)
	}
}
