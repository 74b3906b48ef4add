package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// The tests in this file cover the interfaces beyond articles; those a
// backend may leave out (views, related, facets) skip when it does.

func testSources(t *testing.T, s store.Store) {
	ctx := context.Background()
	src := &news.Source{URL: "https://a.example/feed.xml", Name: "A", Interval: 15 * time.Minute}
	if err := s.AddSource(ctx, src); err != nil || src.ID == 0 {
		t.Fatalf("AddSource: %v id=%d", err, src.ID)
	}
	if err := s.AddSource(ctx, &news.Source{URL: src.URL}); !errors.Is(err, store.ErrExists) {
		t.Fatalf("duplicate: %v", err)
	}
	b := &news.Source{URL: "https://b.example/", NextPollAt: time.Now().Add(time.Hour)}
	if err := s.AddSource(ctx, b); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	due, err := s.DueSources(ctx, now, 10)
	if err != nil || len(due) != 1 || due[0].ID != src.ID || due[0].State != news.StateNew {
		t.Fatalf("due: %+v %v", due, err)
	}
	if un, err := s.UnseenItems(ctx, src.ID, []string{"u1", "u2", "u1"}); err != nil || len(un) != 2 {
		t.Fatalf("UnseenItems: %v %v", un, err)
	}
	fresh, err := s.MarkSeen(ctx, src.ID, []string{"u1", "u2", "u1"}, now)
	if err != nil || len(fresh) != 2 || fresh[0] != "u1" || fresh[1] != "u2" {
		t.Fatalf("MarkSeen: %v %v", fresh, err)
	}
	fresh, _ = s.MarkSeen(ctx, src.ID, []string{"u2", "u3"}, now)
	if len(fresh) != 1 || fresh[0] != "u3" {
		t.Fatalf("MarkSeen again: %v", fresh)
	}
	if un, _ := s.UnseenItems(ctx, src.ID, []string{"u3", "u4"}); len(un) != 1 || un[0] != "u4" {
		t.Fatalf("UnseenItems after MarkSeen: %v", un)
	}
	next := now.Add(30 * time.Minute).Truncate(time.Millisecond)
	err = s.RecordPoll(ctx, src.ID, store.PollRecord{At: now, State: news.StateFailing, Error: "fetch: HTTP 500",
		Failures: 1, NextPollAt: next, Status: 500, Kind: news.KindFeed, Name: "ignored", Language: "es"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Source(ctx, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != news.StateFailing || got.LastError == "" || got.Failures != 1 || !got.NextPollAt.Equal(next) ||
		got.Kind != news.KindFeed || got.Name != "A" || got.Language != "es" || got.ItemsSeen != 3 || got.Polls != 1 {
		t.Fatalf("after poll: %+v", got)
	}
	// PollSoon makes a source in backoff due now
	if due, _ := s.DueSources(ctx, time.Now(), 10); len(due) != 0 {
		t.Fatalf("a source in backoff is due: %+v", due)
	}
	if err := s.PollSoon(ctx, src.ID); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueSources(ctx, time.Now().Add(time.Millisecond), 10); len(due) != 1 || due[0].ID != src.ID {
		t.Fatalf("after PollSoon due = %+v", due)
	}
	if err := s.PollSoon(ctx, src.ID+1000); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("PollSoon of an unknown source: %v", err)
	}
	// A 304 keeps the validators.
	s.RecordPoll(ctx, src.ID, store.PollRecord{At: now, State: news.StateOK, ETag: `"v1"`, NextPollAt: next})
	s.RecordPoll(ctx, src.ID, store.PollRecord{At: now, State: news.StateOK, NotModified: true, NextPollAt: next})
	got, _ = s.Source(ctx, src.ID)
	if got.ETag != `"v1"` || got.NotModified != 1 {
		t.Fatalf("etag %q notModified %d", got.ETag, got.NotModified)
	}
	if err := s.RecordPoll(ctx, 999999, store.PollRecord{At: now}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("poll of a missing source: %v, want ErrNotFound", err)
	}
	got.Paused = true
	if err := s.UpdateSource(ctx, &got.Source); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueSources(ctx, now.Add(2*time.Hour), 10); len(due) != 1 || due[0].ID != b.ID {
		t.Fatalf("paused source still due: %+v", due)
	}
	if err := s.SetWebSub(ctx, b.ID, store.WebSub{Hub: "https://hub.example/", Topic: "https://b.example/feed", State: "active"}); err != nil {
		t.Fatal(err)
	}
	if r, err := s.SourceByTopic(ctx, "https://b.example/feed"); err != nil || r.ID != b.ID {
		t.Fatalf("by topic: %v %v", r, err)
	}
	if r, err := s.SourceByURL(ctx, b.URL); err != nil || r.ID != b.ID {
		t.Fatalf("by URL: %v %v", r, err)
	}
	list, _ := s.ListSources(ctx)
	if len(list) != 2 || list[0].State != news.StatePaused {
		t.Fatalf("list: %+v", list)
	}
	if err := s.RemoveSource(ctx, src.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Source(ctx, src.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("removed source: %v", err)
	}
	if err := s.RemoveSource(ctx, src.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("remove twice: %v", err)
	}
	// The removed source's items went with it: a new source at the same
	// URL starts afresh.
	again := &news.Source{URL: src.URL}
	if err := s.AddSource(ctx, again); err != nil {
		t.Fatal(err)
	}
	if un, _ := s.UnseenItems(ctx, again.ID, []string{"u1"}); len(un) != 1 {
		t.Errorf("items of a removed source survived: %v", un)
	}
}

func addArticle(t *testing.T, s store.Store, i int, title, text string, pub time.Time) *news.Article {
	t.Helper()
	a := &news.Article{URL: fmt.Sprintf("https://example.com/%d", i), SiteName: "Example", Language: "en",
		Title: title, Text: text, BodyHTML: "<p>" + text + "</p>", Published: pub}
	if _, err := s.UpsertArticle(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return a
}

func testViews(t *testing.T, s store.Store) {
	ctx := context.Background()
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
	for _, step := range steps {
		got, err := s.RecordView(ctx, step.v)
		if err != nil || got != step.counts {
			t.Errorf("%s: counted=%v err=%v, want %v", step.name, got, err, step.counts)
		}
	}
	if _, err := s.RecordView(ctx, store.View{ArticleID: 999999, Client: "c9", At: t0}); err == nil {
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

func testPopular(t *testing.T, s store.Store) {
	ctx := context.Background()
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

func testRelatedAndFacets(t *testing.T, st store.Store) {
	ctx := context.Background()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	base := addArticle(t, st, 1, "Blinken meets López Obrador over migrant caravan",
		"The caravan of migrants crossed Chiapas. Blinken and López Obrador discussed the border and the caravan.", t0)
	near := addArticle(t, st, 2, "Migrant caravan advances as Blinken visits Mexico",
		"A caravan of thousands of migrants moved north while Blinken met Lopez Obrador.", t0.Add(time.Hour))
	addArticle(t, st, 3, "Football final ends in a draw", "The final of the cup ended with no goals at all.", t0)
	addArticle(t, st, 4, "Weather: rain in the north", "Rain is expected across the north this week.", t0)
	addArticle(t, st, 5, "Caravan story from last year", "Blinken caravan migrants López Obrador border.", t0.Add(-60*24*time.Hour))
	rel, err := st.Related(ctx, base, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(rel) != 1 || rel[0].ID != near.ID {
		t.Errorf("related = %+v, want only article %d", rel, near.ID)
	}
	f, err := st.Facets(ctx)
	if err != nil || len(f.Sites) != 1 || f.Sites[0].Count != 5 || len(f.Languages) != 1 {
		t.Errorf("facets = %+v, %v", f, err)
	}
}
