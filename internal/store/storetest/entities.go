package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

func testEntities(t *testing.T, s store.Store) {
	ctx := context.Background()
	var ids []int64
	for i := 1; i <= 3; i++ {
		a := article(i, "Meeting", "López Obrador met Blinken.")
		a.URL += "-entities"
		if _, err := s.UpsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	amlo := news.Entity{Key: "andres-manuel-lopez-obrador", Kind: news.EntityPerson, Name: "Andrés Manuel López Obrador",
		Aliases: []string{"AMLO"}, Roles: []string{"president of Mexico"}, Mentions: []news.Span{{Start: 0, End: 13}}, Count: 2}
	blinken := news.Entity{Key: "antony-blinken", Kind: news.EntityPerson, Name: "Antony Blinken", Roles: []string{"US Secretary of State"}, Count: 1}
	mexico := news.Entity{Key: "mexico", Kind: news.EntityPlace, Name: "Mexico", Count: 1}
	quote := news.Quote{Text: "We have many things in common", Span: news.Span{Start: 20, End: 50}, Speaker: "López Obrador",
		SpeakerKey: amlo.Key, Verb: "said"}
	fig := news.Figure{Text: "more than 2.2 million migrants from January to November", Value: 2.2e6, Unit: "migrants",
		Qualifier: "more than", Period: "from January to November", Span: news.Span{Start: 60, End: 115}}

	save := func(e news.Enrichment) {
		t.Helper()
		if err := s.SaveEnrichment(ctx, &e); err != nil {
			t.Fatal(err)
		}
	}
	save(news.Enrichment{ArticleID: ids[0], Language: "en", Entities: []news.Entity{amlo, mexico}, Quotes: []news.Quote{quote}, Figures: []news.Figure{fig}})
	amlo2 := amlo
	amlo2.Roles = []string{"President of Mexico", "presidente de México"}
	save(news.Enrichment{ArticleID: ids[1], Language: "es", Entities: []news.Entity{amlo2, blinken}})
	save(news.Enrichment{ArticleID: ids[2], Language: "en", Entities: []news.Entity{blinken}})

	got, err := s.Enrichment(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if got.ArticleID != ids[0] || got.Language != "en" || len(got.Entities) != 2 || got.Entities[0].Name != amlo.Name ||
		len(got.Entities[0].Mentions) != 1 || len(got.Quotes) != 1 || got.Quotes[0] != quote || len(got.Figures) != 1 || got.Figures[0] != fig {
		t.Errorf("enrichment round trip: %+v", got)
	}
	if got.EnrichedAt.IsZero() {
		t.Errorf("enriched time not set")
	}
	if _, err := s.Enrichment(ctx, 999999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing enrichment: %v, want ErrNotFound", err)
	}

	sum, err := s.Entity(ctx, amlo.Key)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Name != amlo.Name || sum.Kind != news.EntityPerson || sum.Articles != 2 || sum.Quotes != 1 {
		t.Errorf("summary = %+v", sum)
	}
	if len(sum.Roles) != 2 || sum.Roles[0] != "President of Mexico" && sum.Roles[0] != "president of Mexico" || sum.Roles[1] != "presidente de México" {
		t.Errorf("roles = %q, want the English one (two articles) first, case folded, then the Spanish one", sum.Roles)
	}
	if _, err := s.Entity(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown entity: %v, want ErrNotFound", err)
	}

	// Articles by entity: newest first, paged.
	page, total, err := s.EntityArticles(ctx, amlo.Key, 1, 0)
	if err != nil || total != 2 || len(page) != 1 || page[0].ID != ids[1] {
		t.Fatalf("page 1 = %v, %d, %v; want article %d of 2", ids0(page), total, err, ids[1])
	}
	page, _, err = s.EntityArticles(ctx, amlo.Key, 1, 1)
	if err != nil || len(page) != 1 || page[0].ID != ids[0] {
		t.Fatalf("page 2 = %v, %v; want article %d", ids0(page), err, ids[0])
	}
	if page, total, err := s.EntityArticles(ctx, amlo.Key, 10, 5); err != nil || total != 2 || len(page) != 0 {
		t.Errorf("past the end = %v, %d, %v", ids0(page), total, err)
	}

	qs, err := s.EntityQuotes(ctx, amlo.Key, 10)
	if err != nil || len(qs) != 1 || qs[0].Text != quote.Text || qs[0].ArticleID != ids[0] || qs[0].ArticleTitle != "Meeting" {
		t.Errorf("quotes = %+v, %v", qs, err)
	}

	// Top entities over a window of article times.
	top, err := s.TopEntities(ctx, store.TopEntitiesQuery{})
	if err != nil || len(top) != 3 {
		t.Fatalf("top = %+v, %v", top, err)
	}
	if top[0].Key != amlo.Key || top[0].Articles != 2 || top[0].Mentions != 4 || top[1].Key != blinken.Key || top[2].Key != "mexico" {
		t.Errorf("top = %+v; want López Obrador (2 articles, 4 mentions), Blinken, Mexico", top)
	}
	since := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC).Add(3 * time.Hour)
	top, err = s.TopEntities(ctx, store.TopEntitiesQuery{Since: since})
	if err != nil || len(top) != 1 || top[0].Key != blinken.Key {
		t.Errorf("top since %v = %+v, %v; want Blinken only", since, top, err)
	}
	top, err = s.TopEntities(ctx, store.TopEntitiesQuery{Until: since, Kind: news.EntityPlace})
	if err != nil || len(top) != 1 || top[0].Key != "mexico" || top[0].Kind != news.EntityPlace {
		t.Errorf("top places = %+v, %v", top, err)
	}

	// Saving again replaces: Mexico and the quote are gone.
	save(news.Enrichment{ArticleID: ids[0], Language: "en", Entities: []news.Entity{amlo}})
	if _, err := s.Entity(ctx, "mexico"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("replaced entity still found: %v", err)
	}
	if qs, err := s.EntityQuotes(ctx, amlo.Key, 10); err != nil || len(qs) != 0 {
		t.Errorf("replaced quotes = %+v, %v", qs, err)
	}
	if got, err := s.Enrichment(ctx, ids[0]); err != nil || len(got.Entities) != 1 || len(got.Quotes) != 0 {
		t.Errorf("replaced enrichment = %+v, %v", got, err)
	}
	if _, total, _ := s.EntityArticles(ctx, amlo.Key, 10, 0); total != 2 {
		t.Errorf("articles after re-save = %d, want 2", total)
	}
}

func ids0(as []news.Article) []int64 {
	var out []int64
	for _, a := range as {
		out = append(out, a.ID)
	}
	return out
}
