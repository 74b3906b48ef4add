package main

import (
	"context"
	"strings"

	"github.com/newsdesk/newsdesk/internal/pipeline"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/translate"
)

// pipelineConfig reads the pipeline's settings from the environment:
// NEWSDESK_LANG (the readers' language), NEWSDESK_LANGUAGES (what the
// detector knows), NEWSDESK_TRANSLATE_BACKEND ("off" turns translation
// off), NEWSDESK_GLOSSARY_DIR, NEWSDESK_ENRICH=off, NEWSDESK_STORIES=off.
func pipelineConfig(e *env, st store.Store) pipeline.Config {
	var langs []string
	for _, l := range strings.Split(e.getenv("NEWSDESK_LANGUAGES"), ",") {
		if l = strings.TrimSpace(l); l != "" {
			langs = append(langs, l)
		}
	}
	return pipeline.Config{
		Store:      st,
		Log:        e.log,
		ReaderLang: e.getenv("NEWSDESK_LANG"),
		Languages:  langs,
		Translate: translate.Config{
			Backend:     e.getenv("NEWSDESK_TRANSLATE_BACKEND"),
			GlossaryDir: e.getenv("NEWSDESK_GLOSSARY_DIR"),
			Getenv:      e.getenv,
		},
		NoEnrich:  isOff(e.getenv("NEWSDESK_ENRICH")),
		NoStories: isOff(e.getenv("NEWSDESK_STORIES")),
	}
}

func isOff(v string) bool { return v == "off" || v == "0" || v == "false" }

// startPipeline builds the pipeline and runs its background work (the
// story writer, retries, the sweep) until the returned stop is called,
// which also closes it.
func startPipeline(ctx context.Context, e *env, st store.Store) (*pipeline.Processor, func(), error) {
	proc, err := newPipeline(ctx, e, st)
	if err != nil {
		return nil, nil, err
	}
	bg, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { proc.Run(bg); close(done) }()
	return proc, func() { cancel(); <-done; proc.Close() }, nil
}

// newPipeline builds the pipeline for st as the environment configures it.
func newPipeline(ctx context.Context, e *env, st store.Store) (*pipeline.Processor, error) {
	return pipeline.New(ctx, pipelineConfig(e, st))
}
