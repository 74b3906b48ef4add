package pipeline

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/dedup"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/story"
)

// The story step has exactly one writer at a time, whichever process
// holds the store's story lease: the clusterer's window and the
// syndication index live in that process's memory, so two processes
// assigning stories side by side would each see half the stream and hand
// out the same ids. Every process stores articles and queues their story
// step; the holder assigns them in arrival order. A process that takes the
// lease first rebuilds its window from the store, so stories carry on
// across restarts and from one process to the next.
const (
	leaseTTL   = 30 * time.Second // a writer that stops renewing loses the lease after this
	renewEvery = 10 * time.Second
	idleEvery  = 2 * time.Second // how often an idle process looks for work or a free lease
	// settleAfter is how long the queue stays empty before a long-running
	// writer refines what came since the last refine
	settleAfter = 30 * time.Second
	storyBatch  = 100
)

type storyWriter struct {
	st     store.Store
	holder string
	lang   string
	log    *slog.Logger
	opts   story.Options
	dopts  dedup.Options
	every  int
	wake   chan struct{}

	mu       sync.Mutex     // one drain at a time
	tracker  *story.Tracker // set while this process holds the lease
	renewed  time.Time
	assigned time.Time // the last assignment
	settled  bool      // nothing assigned since the last settle
}

func newStoryWriter(cfg Config, lang string, log *slog.Logger) *storyWriter {
	holder := cfg.Holder
	if holder == "" {
		host, _ := os.Hostname()
		var b [4]byte
		_, _ = rand.Read(b[:])
		holder = fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b[:]))
	}
	return &storyWriter{st: cfg.Store, holder: holder, lang: lang, log: log, opts: cfg.Story, dopts: cfg.Dedup,
		every: cfg.RefineEvery, wake: make(chan struct{}, 1)}
}

// nudge tells the writer loop there is work, without waiting.
func (w *storyWriter) nudge() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// run drains the story queue whenever this process holds (or can take)
// the lease, until ctx ends; then it gives the lease up.
func (w *storyWriter) run(ctx context.Context) {
	defer func() {
		// a writer that stops leaves its stories refined
		bg := context.WithoutCancel(ctx)
		if err := w.settle(bg); err != nil {
			w.log.Warn("story writer failed to settle", "err", err)
		}
		_ = w.release(bg)
	}()
	tick := time.NewTicker(idleEvery)
	defer tick.Stop()
	for {
		if _, err := w.drain(ctx); err != nil && ctx.Err() == nil {
			w.log.Warn("story writer failed; trying again shortly", "err", err)
		}
		if time.Since(w.assigned) >= settleAfter {
			if err := w.settle(ctx); err != nil && ctx.Err() == nil {
				w.log.Warn("story writer failed to settle", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-w.wake:
		case <-tick.C:
		}
	}
}

// finish drains until the queue is empty, taking the lease when it is
// free; while another live process holds it, it waits for that process to
// empty the queue.
func (w *storyWriter) finish(ctx context.Context) error {
	waiting := false
	for {
		held, err := w.drain(ctx)
		if err != nil {
			return err
		}
		if held {
			// the end of the stream this command brought: refine what
			// came since the last refine, as the evaluation does
			if err := w.settle(ctx); err != nil {
				return err
			}
			if err := w.release(ctx); err != nil {
				return err
			}
		}
		q, err := w.st.StoryQueue(ctx, 1)
		if err != nil {
			return fmt.Errorf("pipeline: %w", err)
		}
		if len(q) == 0 {
			return nil
		}
		if !held && !waiting {
			waiting = true
			w.log.Info("waiting for the process that holds the story writer's lease to assign the queued stories")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// drain assigns every queued article if this process holds or can take
// the lease, and reports whether it held it.
func (w *storyWriter) drain(ctx context.Context) (bool, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	ok, err := w.st.TryLease(ctx, store.StoryLease, w.holder, leaseTTL)
	if err != nil {
		return false, fmt.Errorf("pipeline: %w", err)
	}
	if !ok {
		w.tracker = nil // another process writes: what we knew is stale
		return false, nil
	}
	w.renewed = time.Now()
	if w.tracker == nil {
		if err := w.rebuild(ctx); err != nil {
			return true, err
		}
	}
	for {
		ids, err := w.st.StoryQueue(ctx, storyBatch)
		if err != nil {
			return true, fmt.Errorf("pipeline: %w", err)
		}
		if len(ids) == 0 {
			return true, nil
		}
		for _, id := range ids {
			if time.Since(w.renewed) > renewEvery {
				if ok, err := w.st.TryLease(ctx, store.StoryLease, w.holder, leaseTTL); err != nil || !ok {
					w.tracker = nil
					if err == nil {
						err = fmt.Errorf("pipeline: the story writer's lease was lost")
					}
					return false, err
				}
				w.renewed = time.Now()
			}
			if err := w.assign(ctx, id); err != nil {
				// the window may be half updated: rebuild before going on
				w.tracker = nil
				return true, err
			}
			w.assigned, w.settled = time.Now(), false
		}
	}
}

// settle refines what came since the last refine, once, if this process
// still writes stories. Refining at the end of a stream (or after a quiet
// while), not whenever the queue happens to run dry, keeps the stories
// the same from run to run.
func (w *storyWriter) settle(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.tracker == nil || w.settled {
		return nil
	}
	if err := w.tracker.Settle(ctx); err != nil {
		w.tracker = nil
		return fmt.Errorf("pipeline: %w", err)
	}
	w.settled = true
	return nil
}

// rebuild starts a tracker from the store's window.
func (w *storyWriter) rebuild(ctx context.Context) error {
	tr, err := story.NewTracker(ctx, w.st, w.opts, w.dopts)
	if err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}
	tr.Lang = w.lang
	if w.every > 0 {
		tr.RefineEvery = w.every
	}
	stats, err := tr.Rebuild(ctx)
	if err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}
	w.log.Info("story writer: took the lease and rebuilt the window from the store",
		"articles", stats.Articles, "took", stats.Took.Round(time.Millisecond).String())
	w.tracker = tr
	return nil
}

// assign runs the story step of one article: on its translation when it
// has one, else on its own text.
func (w *storyWriter) assign(ctx context.Context, id int64) error {
	a, err := w.st.Article(ctx, id)
	if err != nil {
		// deleted meanwhile: nothing to assign
		return w.st.FinishStep(ctx, id, store.StepStory)
	}
	title, text, translated := a.Title, a.Text, false
	if a.Language != "" && a.Language != w.lang {
		if t, err := w.st.Translation(ctx, a.ID, w.lang); err == nil && t.Status == news.TranslationDone && t.Text != "" {
			title, text, translated = t.Title, t.Text, true
		}
	}
	if _, err := w.tracker.Track(ctx, a, title, text, translated); err != nil {
		return err
	}
	return w.st.FinishStep(ctx, id, store.StepStory)
}

// release gives the lease up (when held) and forgets the window.
func (w *storyWriter) release(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.tracker = nil
	return w.st.ReleaseLease(ctx, store.StoryLease, w.holder)
}
