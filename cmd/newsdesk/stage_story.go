package main

import (
	"context"

	"github.com/newsdesk/newsdesk/internal/dedup"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/pipeline"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/story"
)

// The story stage runs after translation: it finds each stored article's
// syndication group (and the group's credited original) and its story,
// comparing translated articles on their translation so that one story
// gathers every language. NEWSDESK_STORIES=off turns it off.
//
// The clusterer's window lives in the process: a long-running serve, poll
// or worker keeps it; a one-off import starts a fresh window (story ids
// continue after the stored ones).
func init() {
	stageFactories["story"] = func(ctx context.Context, e *env, st store.Store) (pipeline.Stage, error) {
		if v := e.getenv("NEWSDESK_STORIES"); v == "off" || v == "0" || v == "false" {
			return nil, nil
		}
		tr, err := story.NewTracker(ctx, st, story.Options{}, dedup.Options{})
		if err != nil {
			return nil, err
		}
		tr.Lang = readerLang(e)
		return &storyStage{tracker: tr, translations: st, lang: tr.Lang}, nil
	}
}

type storyStage struct {
	tracker      *story.Tracker
	translations store.TranslationStore
	lang         string
}

func (s *storyStage) Name() string { return "story" }

func (s *storyStage) AfterStore(ctx context.Context, a *news.Article, _ store.Outcome) error {
	title, text, translated := a.Title, a.Text, false
	if s.translations != nil && a.Language != "" && a.Language != s.lang {
		if t, err := s.translations.Translation(ctx, a.ID, s.lang); err == nil && t.Status == news.TranslationDone && t.Text != "" {
			title, text, translated = t.Title, t.Text, true
		}
	}
	_, err := s.tracker.Track(ctx, a, title, text, translated)
	return err
}
