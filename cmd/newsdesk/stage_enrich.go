package main

import (
	"context"
	"fmt"
	"time"

	"github.com/newsdesk/newsdesk/internal/enrich"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/pipeline"
	"github.com/newsdesk/newsdesk/internal/store"
)

// The enrich stage runs wherever pages are processed (import, poll,
// worker, demo) when the store keeps entities. NEWSDESK_ENRICH=off turns
// it off.
func init() {
	stageFactories["enrich"] = func(ctx context.Context, e *env, st store.Store) (pipeline.Stage, error) {
		if v := e.getenv("NEWSDESK_ENRICH"); v == "off" || v == "0" || v == "false" {
			return nil, nil
		}
		return &enrichStage{store: st}, nil
	}
}

// enrichStage finds an article's people, organisations, places, quotes and
// figures once it is stored, and saves them in place of the old ones.
type enrichStage struct {
	store store.EntityStore
}

func (s *enrichStage) Name() string { return "enrich" }

func (s *enrichStage) AfterStore(ctx context.Context, a *news.Article, _ store.Outcome) error {
	r := enrich.Enrich(a.Title, a.Text, a.Language)
	en := &news.Enrichment{ArticleID: a.ID, Language: a.Language, Entities: r.Entities, Quotes: r.Quotes,
		Figures: r.Figures, EnrichedAt: time.Now().UTC()}
	if err := s.store.SaveEnrichment(ctx, en); err != nil {
		return fmt.Errorf("enrich: unable to save article %d: %w", a.ID, err)
	}
	return nil
}
