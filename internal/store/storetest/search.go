package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// testSearchOrder checks the order every store gives: recency weighs with
// relevance, paging is stable, and the filters hold on their bounds.
func testSearchOrder(t *testing.T, s store.Store) {
	ctx := context.Background()
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	var all []*news.Article
	for i := range 30 {
		a := article(i, fmt.Sprintf("Harbour report %d", i), "Boats came and went at the harbour.")
		a.Published = day.Add(time.Duration(i) * time.Hour)
		a.SiteName = []string{"Example", `Le "Monde" d'ici`, "Diario 7"}[i%3]
		a.Language = []string{"en", "fr", "es-MX"}[i%3]
		if _, err := s.UpsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		all = append(all, a)
	}
	// Same text in one language, same weight: the newest first.
	hits, total, err := s.Search(ctx, store.SearchQuery{Text: "harbour", Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if total != 10 || len(hits) != 10 {
		t.Fatalf("harbour in English: total %d, %d hits; want 10", total, len(hits))
	}
	for i, h := range hits {
		if want := all[27-3*i].ID; h.Article.ID != want {
			t.Fatalf("hit %d is article %d, want %d (newest first)", i, h.Article.ID, want)
		}
	}
	hits, total, err = s.Search(ctx, store.SearchQuery{Text: "harbour", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if total != 30 || len(hits) != 30 {
		t.Fatalf("harbour: total %d, %d hits; want 30", total, len(hits))
	}
	for i, h := range hits {
		if i > 0 && h.Rank > hits[i-1].Rank {
			t.Errorf("hit %d ranks %v above hit %d's %v", i, h.Rank, i-1, hits[i-1].Rank)
		}
	}
	// Pages of 7 give the same hits in the same order.
	var paged []int64
	for off := 0; off < 35; off += 7 {
		page, total, err := s.Search(ctx, store.SearchQuery{Text: "harbour", Limit: 7, Offset: off})
		if err != nil || total != 30 {
			t.Fatalf("page at %d: total %d, %v", off, total, err)
		}
		for _, h := range page {
			paged = append(paged, h.Article.ID)
		}
	}
	if len(paged) != 30 {
		t.Fatalf("paging gave %d hits, want 30", len(paged))
	}
	for i, id := range paged {
		if id != hits[i].Article.ID {
			t.Fatalf("paged hit %d is %d, one page gave %d", i, id, hits[i].Article.ID)
		}
	}
	// A title match outweighs a few hours of age.
	old := article(100, "Lighthouse keeper retires", "After forty years at the lighthouse.")
	old.Published = day.Add(-6 * time.Hour)
	recent := article(101, "Weather", "The lighthouse was seen in the fog.")
	recent.Published = day
	for _, a := range []*news.Article{old, recent} {
		if _, err := s.UpsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if hits, _, _ := s.Search(ctx, store.SearchQuery{Text: "lighthouse"}); len(hits) != 2 || hits[0].Article.ID != old.ID {
		t.Errorf("lighthouse: the title match six hours older should come first: %v", ids(hits))
	}

	tests := []struct {
		name string
		q    store.SearchQuery
		want int
	}{
		{"site with quotes", store.SearchQuery{Text: "harbour", Site: `Le "Monde" d'ici`}, 10},
		{"site and language", store.SearchQuery{Text: "harbour", Site: "Diario 7", Language: "es-MX"}, 10},
		{"site and other language", store.SearchQuery{Text: "harbour", Site: "Diario 7", Language: "fr"}, 0},
		{"site unknown", store.SearchQuery{Text: "harbour", Site: "Diario"}, 0},
		{"language", store.SearchQuery{Text: "harbour", Language: "es-MX"}, 10},
		{"language prefix is not the language", store.SearchQuery{Text: "harbour", Language: "es"}, 0},
		{"since inclusive", store.SearchQuery{Text: "harbour", Since: day.Add(20 * time.Hour)}, 10},
		{"until exclusive", store.SearchQuery{Text: "harbour", Until: day.Add(20 * time.Hour)}, 20},
		{"between", store.SearchQuery{Text: "harbour", Since: day.Add(5 * time.Hour), Until: day.Add(7 * time.Hour)}, 2},
		{"bounds off the second", store.SearchQuery{Text: "harbour", Since: day.Add(5*time.Hour - time.Millisecond), Until: day.Add(7*time.Hour + time.Millisecond)}, 3},
		{"bounds just after", store.SearchQuery{Text: "harbour", Since: day.Add(5*time.Hour + time.Millisecond), Until: day.Add(7*time.Hour - time.Millisecond)}, 1},
		{"before 1970", store.SearchQuery{Text: "harbour", Until: time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)}, 0},
		{"far future", store.SearchQuery{Text: "harbour", Since: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)}, 0},
		{"whole range", store.SearchQuery{Text: "harbour", Since: time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC), Until: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)}, 30},
	}
	for _, tt := range tests {
		hits, total, err := s.Search(ctx, tt.q)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if total != tt.want || len(hits) != min(tt.want, 20) {
			t.Errorf("%s: total %d, %d hits; want %d", tt.name, total, len(hits), tt.want)
		}
		for _, h := range hits {
			a := h.Article
			if tt.q.Site != "" && a.SiteName != tt.q.Site || tt.q.Language != "" && a.Language != tt.q.Language ||
				!tt.q.Since.IsZero() && a.Published.Before(tt.q.Since) || !tt.q.Until.IsZero() && !a.Published.Before(tt.q.Until) {
				t.Errorf("%s: hit outside the filter: %s %s %v", tt.name, a.SiteName, a.Language, a.Published)
			}
		}
	}
}

// testSearchCap checks that a search counts up to store.SearchTotalCap and
// says "more" beyond, and that paging goes on past the ranked window.
func testSearchCap(t *testing.T, s store.Store) {
	if testing.Short() {
		t.Skip("stores more than SearchWindow articles")
	}
	ctx := context.Background()
	n := store.SearchWindow + 5
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		a := article(i, "Market day", fmt.Sprintf("Stall %d sold apples.", i))
		a.Published = day.Add(time.Duration(i) * time.Minute)
		if _, err := s.UpsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	hits, total, err := s.Search(ctx, store.SearchQuery{Text: "apples"})
	if err != nil {
		t.Fatal(err)
	}
	if total != store.SearchTotalCap+1 || !store.MoreHits(total) || len(hits) != 20 {
		t.Fatalf("apples: total %d (more: %v), %d hits; want %d, more", total, store.MoreHits(total), len(hits), store.SearchTotalCap+1)
	}
	if !hits[0].Article.Published.Equal(day.Add(time.Duration(n-1) * time.Minute)) {
		t.Errorf("first hit published %v, want the newest", hits[0].Article.Published)
	}
	// Past the window: the older matches, newest first, then the end.
	hits, total, err = s.Search(ctx, store.SearchQuery{Text: "apples", Offset: store.SearchWindow - 2, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if total != store.SearchTotalCap+1 || len(hits) != 7 {
		t.Fatalf("last page: total %d, %d hits; want more and 7", total, len(hits))
	}
	for i, h := range hits {
		if want := day.Add(time.Duration(6-i) * time.Minute); !h.Article.Published.Equal(want) {
			t.Errorf("last page hit %d published %v, want %v", i, h.Article.Published, want)
		}
	}
	if hits, _, _ := s.Search(ctx, store.SearchQuery{Text: "apples", Site: "Example", Offset: n}); len(hits) != 0 {
		t.Errorf("page past the end: %d hits", len(hits))
	}
	// A word in a few of them is counted exactly.
	if _, total, _ := s.Search(ctx, store.SearchQuery{Text: "stall 7"}); total != 1 {
		t.Errorf("stall 7: total %d, want 1", total)
	}
}

func ids(hits []store.SearchHit) []int64 {
	var out []int64
	for _, h := range hits {
		out = append(out, h.Article.ID)
	}
	return out
}
