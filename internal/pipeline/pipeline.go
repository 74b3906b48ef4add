// Package pipeline wires newsdesk's stages for one page: extract, then the
// optional later stages (language, translation, de-duplication, stories),
// then store. Import, the collector's jobs and the demo all call it, so a
// page is processed the same way whichever way it came in.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/newsdesk/newsdesk/internal/extract"
	"github.com/newsdesk/newsdesk/internal/metrics"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Page is one fetched or read page, before extraction.
type Page struct {
	Raw         []byte
	URL         string // where it was fetched from (URL or file path)
	ContentType string // HTTP Content-Type, "" for files
	SourceID    int64
	// CanonicalURL, when set, overrides what the page declares: used for
	// pages whose origin is known but whose markup lies or says nothing.
	CanonicalURL string
	// Language is the source's language, a fallback for short texts.
	Language  string
	FetchedAt time.Time
}

// Stage is a later stage that sees an article after extraction and before
// it is stored (language detection, enrichment), or after it is stored
// (translation, de-duplication, stories: they need its ID). A stage's error
// is logged and does not lose the article: the article is stored anyway and
// the stage can be retried.
type Stage interface {
	Name() string
}

// BeforeStore is a stage that may change the article before it is stored.
type BeforeStore interface {
	Stage
	BeforeStore(ctx context.Context, a *news.Article) error
}

// AfterStore is a stage that runs once the article has its ID, when it was
// inserted or updated (never for unchanged content).
type AfterStore interface {
	Stage
	AfterStore(ctx context.Context, a *news.Article, outcome store.Outcome) error
}

// Processor processes pages into stored articles.
type Processor struct {
	Store  store.ArticleStore
	Stages []Stage
	Log    *slog.Logger
}

// Result is what happened to one page.
type Result struct {
	Outcome store.Outcome
	Article *news.Article
}

// Process extracts one page and stores its article.
func (p *Processor) Process(ctx context.Context, pg Page) (Result, error) {
	start := time.Now()
	res, err := extract.ExtractWithType(pg.Raw, pg.URL, pg.ContentType)
	metrics.ExtractDuration.Observe(time.Since(start).Seconds())
	if err != nil {
		metrics.ArticlesProcessed.WithLabelValues("failed").Inc()
		return Result{}, err
	}
	a := &res.Article
	a.SourceID = pg.SourceID
	if pg.CanonicalURL != "" {
		a.URL = pg.CanonicalURL
	}
	if a.Language == "" {
		a.Language = pg.Language
	}
	a.FetchedAt = pg.FetchedAt
	if a.FetchedAt.IsZero() {
		a.FetchedAt = time.Now().UTC()
	}
	for _, s := range p.Stages {
		if b, ok := s.(BeforeStore); ok {
			if err := b.BeforeStore(ctx, a); err != nil {
				p.logger().Warn("stage failed", "stage", s.Name(), "url", a.URL, "err", err)
			}
		}
	}
	a.ContentHash = news.ContentHash(a.Title, a.Text)
	out, err := p.Store.UpsertArticle(ctx, a)
	if err != nil {
		metrics.ArticlesProcessed.WithLabelValues("failed").Inc()
		return Result{}, fmt.Errorf("pipeline: %w", err)
	}
	metrics.ArticlesProcessed.WithLabelValues(out.String()).Inc()
	if out != store.Unchanged {
		for _, s := range p.Stages {
			if as, ok := s.(AfterStore); ok {
				if err := as.AfterStore(ctx, a, out); err != nil {
					if errors.Is(err, context.Canceled) {
						return Result{Outcome: out, Article: a}, err
					}
					p.logger().Warn("stage failed", "stage", s.Name(), "article", a.ID, "err", err)
				}
			}
		}
	}
	return Result{Outcome: out, Article: a}, nil
}

func (p *Processor) logger() *slog.Logger {
	if p.Log == nil {
		return slog.Default()
	}
	return p.Log
}
