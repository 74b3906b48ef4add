package sqlite

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

func openViews(t *testing.T) *Store {
	t.Helper()
	return openTest(t).(*Store)
}

func addArticle(t *testing.T, s *Store, i int, title, text string, pub time.Time) *news.Article {
	t.Helper()
	a := &news.Article{URL: fmt.Sprintf("https://example.com/%d", i), SiteName: "Example", Language: "en",
		Title: title, Text: text, BodyHTML: "<p>" + text + "</p>", Published: pub}
	if _, err := s.UpsertArticle(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestRecordViewRateLimits(t *testing.T) {
	s, ctx := openViews(t), context.Background()
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	a := addArticle(t, s, 1, "One", "one text", t0)
	b := addArticle(t, s, 2, "Two", "two text", t0)
	steps := []struct {
		name   string
		v      store.View
		counts bool
	}{
		{"first view", store.View{ArticleID: a.ID, Client: "c1", At: t0}, true},
		{"reload", store.View{ArticleID: a.ID, Client: "c1", At: t0.Add(time.Minute)}, false},
		{"other client", store.View{ArticleID: a.ID, Client: "c2", At: t0.Add(time.Minute)}, true},
		{"other article", store.View{ArticleID: b.ID, Client: "c1", At: t0.Add(time.Minute)}, true},
		{"after window", store.View{ArticleID: a.ID, Client: "c1", At: t0.Add(store.RepeatWindow + time.Minute)}, true},
	}
	for _, st := range steps {
		got, err := s.RecordView(ctx, st.v)
		if err != nil || got != st.counts {
			t.Errorf("%s: counted=%v err=%v, want %v", st.name, got, err, st.counts)
		}
	}
	if _, err := s.RecordView(ctx, store.View{ArticleID: 999, Client: "c9", At: t0}); err == nil {
		t.Error("view of a missing article: no error")
	}
	// One client cannot add more than ClientViewsPerHour views an hour.
	counted := 0
	for i := range store.ClientViewsPerHour + 5 {
		x := addArticle(t, s, 100+i, "x", "x", t0)
		if ok, err := s.RecordView(ctx, store.View{ArticleID: x.ID, Client: "bot", At: t0.Add(2 * time.Hour)}); err != nil {
			t.Fatal(err)
		} else if ok {
			counted++
		}
	}
	if counted != store.ClientViewsPerHour {
		t.Errorf("bot counted %d views, want %d", counted, store.ClientViewsPerHour)
	}
}

func TestPopularDecays(t *testing.T) {
	s, ctx := openViews(t), context.Background()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	old := addArticle(t, s, 1, "Old favourite", "x", t0)
	fresh := addArticle(t, s, 2, "Fresh", "y", t0)
	// Old: 8 views two days ago. Fresh: 3 views now.
	for i := range 8 {
		s.RecordView(ctx, store.View{ArticleID: old.ID, Client: fmt.Sprint("o", i), At: t0})
	}
	now := t0.Add(48 * time.Hour)
	for i := range 3 {
		s.RecordView(ctx, store.View{ArticleID: fresh.ID, Client: fmt.Sprint("f", i), At: now})
	}
	pop, err := s.Popular(ctx, store.PopularQuery{Now: now, Limit: 5})
	if err != nil || len(pop) != 2 {
		t.Fatalf("popular = %v, %v", pop, err)
	}
	if pop[0].Article.ID != fresh.ID || pop[0].Views != 3 {
		t.Errorf("first = %d (%d views), want the fresh article", pop[0].Article.ID, pop[0].Views)
	}
	if d := pop[1].Score - 0.5; d < -0.01 || d > 0.01 { // 8 views, four half-lives
		t.Errorf("old score = %v, want 0.5", pop[1].Score)
	}
	pop, _ = s.Popular(ctx, store.PopularQuery{Now: now, Since: now.Add(-24 * time.Hour)})
	if len(pop) != 1 {
		t.Errorf("since filter kept %d, want 1", len(pop))
	}
}

func TestRelatedAndFacets(t *testing.T) {
	s, ctx := openViews(t), context.Background()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	base := addArticle(t, s, 1, "Blinken meets López Obrador over migrant caravan",
		"The caravan of migrants crossed Chiapas. Blinken and López Obrador discussed the border and the caravan.", t0)
	near := addArticle(t, s, 2, "Migrant caravan advances as Blinken visits Mexico",
		"A caravan of thousands of migrants moved north while Blinken met Lopez Obrador.", t0.Add(time.Hour))
	addArticle(t, s, 3, "Football final ends in a draw", "The final of the cup ended with no goals at all.", t0)
	addArticle(t, s, 4, "Weather: rain in the north", "Rain is expected across the north this week.", t0)
	addArticle(t, s, 5, "Caravan story from last year", "Blinken caravan migrants López Obrador border.", t0.Add(-60*24*time.Hour))
	rel, err := s.Related(ctx, base, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(rel) != 1 || rel[0].ID != near.ID {
		t.Errorf("related = %+v, want only article %d", rel, near.ID)
	}
	f, err := s.Facets(ctx)
	if err != nil || len(f.Sites) != 1 || f.Sites[0].Count != 5 || len(f.Languages) != 1 {
		t.Errorf("facets = %+v, %v", f, err)
	}
}
