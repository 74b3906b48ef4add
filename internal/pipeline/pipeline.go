// Package pipeline is newsdesk's flow for one page, in the order a page
// goes through it:
//
//	extract → language → store → translate → enrich → syndication and story
//
// New builds it from a plain Config. Import, the collector's jobs, the
// worker and the demo all call Process, so a page is handled the same way
// whichever way it came in.
//
// Storing an article queues its later steps in the same transaction
// (store.StepStore): translate and enrich run right after, in the process
// that stored it; the story step belongs to one process at a time, the
// story writer (storywriter.go), which holds a lease in the store, rebuilds
// its window from the store when it takes the lease, and assigns queued
// articles in arrival order. A process that dies mid-way leaves its steps
// queued, and the next process to start finishes them (Run's sweep, or
// Process when the same page comes in again).
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/dedup"
	"github.com/newsdesk/newsdesk/internal/enrich"
	"github.com/newsdesk/newsdesk/internal/extract"
	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/internal/metrics"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/sanitize"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/story"
	"github.com/newsdesk/newsdesk/internal/translate"
)

// Config is everything the pipeline needs. The zero value of a field
// means its default; a zero Config with a Store runs every stage.
type Config struct {
	Store store.Store
	Log   *slog.Logger
	// ReaderLang is the language the site is read in: what articles are
	// translated into (default "en").
	ReaderLang string
	// Languages are the languages the detector knows (default en, es,
	// fr, de, pt); the reader's is always added.
	Languages []string
	// Translate configures machine translation; its Cache and Detector
	// are filled in by New. Backend "off" turns translation off.
	Translate translate.Config
	// NoEnrich skips entity, quote and figure extraction.
	NoEnrich bool
	// NoStories skips syndication and story assignment.
	NoStories bool
	// Story and Dedup tune the clusterer and the syndication index.
	Story story.Options
	Dedup dedup.Options
	// Holder names this process in the story writer's lease (default:
	// host, pid and a random part).
	Holder string
	// RefineEvery overrides how often the story writer refines (tests).
	RefineEvery int
}

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

// Result is what happened to one page.
type Result struct {
	Outcome store.Outcome
	Article *news.Article
}

// Processor runs the pipeline. It is safe for concurrent use.
type Processor struct {
	st       store.Store
	log      *slog.Logger
	to       string
	detector *lang.Detector
	tr       *translate.Router // nil when translation is off
	noEnrich bool
	writer   *storyWriter // nil when stories are off

	mu          sync.Mutex
	unavailable map[string]bool // pairs already reported as not installed
}

// New builds the pipeline a Config describes.
func New(ctx context.Context, cfg Config) (*Processor, error) {
	if cfg.Store == nil {
		return nil, errors.New("pipeline: a Store is required")
	}
	p := &Processor{st: cfg.Store, log: cfg.Log, to: ReaderLang(cfg.ReaderLang), noEnrich: cfg.NoEnrich,
		unavailable: map[string]bool{}}
	if p.log == nil {
		p.log = slog.Default()
	}
	det, err := detector(Languages(cfg.Languages, p.to))
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	p.detector = det
	if b := cfg.Translate.Backend; b != "off" && b != "none" {
		tc := cfg.Translate
		tc.Cache, tc.Detector = cfg.Store, det
		if p.tr, err = translate.New(tc); err != nil {
			return nil, fmt.Errorf("pipeline: %w", err)
		}
	}
	if !cfg.NoStories {
		p.writer = newStoryWriter(cfg, p.to, p.log)
	}
	return p, nil
}

// Process extracts one page, stores its article and runs its later steps
// (the story step is queued for the story writer).
func (p *Processor) Process(ctx context.Context, pg Page) (Result, error) {
	// 1. extract
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

	// 2. language: the page's declaration is often missing or wrong, so
	// detection on the text decides, the declaration breaking ties
	if l := p.detector.Article(a.Title, a.Text, a.Language, ""); l != "" {
		a.Language = l
	}

	// 3. store: a new or changed article has its later steps queued in
	// the same transaction
	a.ContentHash = news.ContentHash(a.Title, a.Text)
	out, err := p.st.UpsertArticle(ctx, a)
	if err != nil {
		metrics.ArticlesProcessed.WithLabelValues("failed").Inc()
		return Result{}, fmt.Errorf("pipeline: %w", err)
	}
	metrics.ArticlesProcessed.WithLabelValues(out.String()).Inc()

	// 4-5. translate, enrich; 6. the story writer takes it from here. A
	// new or changed article has all its steps queued by the write; an
	// unchanged one may have some a killed process left
	pending := store.Steps
	if out == store.Unchanged {
		if pending, err = p.st.PendingSteps(ctx, a.ID); err != nil {
			return Result{Outcome: out, Article: a}, fmt.Errorf("pipeline: %w", err)
		}
	}
	if err := p.finishSteps(ctx, a, pending); err != nil {
		return Result{Outcome: out, Article: a}, err
	}
	return Result{Outcome: out, Article: a}, nil
}

// finishSteps runs those of the article's pending steps this process can
// do: translation, then enrichment; the story step is the writer's.
func (p *Processor) finishSteps(ctx context.Context, a *news.Article, pending []string) error {
	if slices.Contains(pending, store.StepTranslate) {
		if err := p.translate(ctx, a); err != nil {
			if ctx.Err() != nil {
				return ctx.Err() // left queued for the next process
			}
			p.log.Warn("translation failed; the article stays in its original language until a retry", "article", a.ID, "err", err)
		}
		if err := p.st.FinishStep(ctx, a.ID, store.StepTranslate); err != nil {
			return fmt.Errorf("pipeline: %w", err)
		}
	}
	if slices.Contains(pending, store.StepEnrich) {
		if err := p.enrich(ctx, a); err != nil {
			return err
		}
	}
	if slices.Contains(pending, store.StepStory) {
		if p.writer == nil {
			return p.st.FinishStep(ctx, a.ID, store.StepStory)
		}
		p.writer.nudge()
	}
	return nil
}

// translate puts an article not in the reader's language into it and
// stores the result. A failure is stored too (the store schedules the
// retry); the article stays published in its original language meanwhile.
func (p *Processor) translate(ctx context.Context, a *news.Article) error {
	from := lang.Primary(a.Language)
	if p.tr == nil || from == "" || from == p.to {
		return nil
	}
	pair := translate.Pair{From: from, To: p.to}
	if err := p.tr.Check(pair); err != nil {
		p.mu.Lock()
		first := !p.unavailable[pair.String()]
		p.unavailable[pair.String()] = true
		p.mu.Unlock()
		if first {
			p.log.Warn("translation not available; articles stay in their original language", "pair", pair.String(), "err", err)
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	t, err := translate.Article(ctx, p.tr, a, p.to)
	if t == nil {
		return err
	}
	// whatever a backend returns is treated like any page from the web
	t.BodyHTML = sanitize.HTML(t.BodyHTML)
	t.Title, t.Description = PlainField(t.Title), PlainField(t.Description)
	if serr := p.st.SaveTranslation(ctx, t); serr != nil {
		return fmt.Errorf("pipeline: unable to save translation of article %d: %w", a.ID, serr)
	}
	return err
}

// PlainField is a title or description as stored: plain text, any markup
// a backend put in removed, and unescaped ("doesn't", not "doesn&#39;t"):
// escaping happens once, where it is written out.
func PlainField(s string) string {
	return strings.TrimSpace(html.UnescapeString(sanitize.Text(s)))
}

// CanTranslate says whether articles in language from are translated into
// the reader's language here, and if not, why (translation off, the
// engine or its language data not installed, with how to install them).
func (p *Processor) CanTranslate(from string) error {
	if p.tr == nil {
		return errors.New("translation is off (NEWSDESK_TRANSLATE_BACKEND=off)")
	}
	return p.tr.Check(translate.Pair{From: lang.Primary(from), To: p.to})
}

// Translator is the pipeline's translation service, for the site's short
// texts (roles in a side panel); nil when translation is off.
func (p *Processor) Translator() translate.Translator {
	if p.tr == nil {
		return nil
	}
	return p.tr
}

// ReaderLanguage is the language articles are translated into.
func (p *Processor) ReaderLanguage() string { return p.to }

// enrich finds the article's people, organisations, places, quotes and
// figures and saves them in place of the old ones.
func (p *Processor) enrich(ctx context.Context, a *news.Article) error {
	if !p.noEnrich {
		r := enrich.Enrich(a.Title, a.Text, a.Language)
		en := &news.Enrichment{ArticleID: a.ID, Language: a.Language, Entities: r.Entities, Quotes: r.Quotes,
			Figures: r.Figures, EnrichedAt: time.Now().UTC()}
		if err := p.st.SaveEnrichment(ctx, en); err != nil {
			return fmt.Errorf("pipeline: unable to save enrichment of article %d: %w", a.ID, err)
		}
	}
	if err := p.st.FinishStep(ctx, a.ID, store.StepEnrich); err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}
	return nil
}

// Run does the pipeline's background work until ctx ends: the story
// writer (when this process holds or takes the lease), translation
// retries, and the steps other processes left undone. Long-running
// commands (serve, poll, worker) run it beside their work; import runs it
// while it imports, then calls Finish.
func (p *Processor) Run(ctx context.Context) {
	var wg sync.WaitGroup
	if p.writer != nil {
		wg.Go(func() { p.writer.run(ctx) })
	}
	wg.Go(func() { p.sweep(ctx) })
	wg.Wait()
}

// sweepEvery is how often Run looks for steps left undone and failed
// translations that are due; stepGrace is how long a step may stay queued
// before another process takes it over (the process that stored the
// article normally finishes it within seconds).
const (
	sweepEvery = time.Minute
	stepGrace  = 5 * time.Minute
)

func (p *Processor) sweep(ctx context.Context) {
	tick := time.NewTicker(sweepEvery)
	defer tick.Stop()
	for {
		if n, err := p.resume(ctx, time.Now().Add(-stepGrace)); err != nil && ctx.Err() == nil {
			p.log.Warn("finishing steps left undone failed", "err", err)
		} else if n > 0 {
			p.log.Info("finished steps left undone", "articles", n)
		}
		if n, err := p.retryTranslations(ctx); err != nil && ctx.Err() == nil {
			p.log.Warn("translation retry failed", "err", err)
		} else if n > 0 {
			p.log.Info("translations retried", "translated", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// resume finishes the translate and enrich steps queued before cut.
func (p *Processor) resume(ctx context.Context, cut time.Time) (int, error) {
	seen := map[int64]bool{}
	for _, step := range []string{store.StepTranslate, store.StepEnrich} {
		ids, err := p.st.StepsDue(ctx, step, cut, 100)
		if err != nil {
			return len(seen), err
		}
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			a, err := p.st.Article(ctx, id)
			if err != nil {
				continue // deleted meanwhile: its steps went with it
			}
			pending, err := p.st.PendingSteps(ctx, id)
			if err != nil {
				return len(seen), err
			}
			if err := p.finishSteps(ctx, a, pending); err != nil {
				return len(seen), err
			}
		}
	}
	return len(seen), nil
}

// retryTranslations translates again the articles whose translation
// failed and is due. An article that gets its translation goes back to the
// story step, to be compared as it reads in the reader's language.
func (p *Processor) retryTranslations(ctx context.Context) (int, error) {
	if p.tr == nil {
		return 0, nil
	}
	ids, err := p.st.TranslationsDue(ctx, p.to, time.Now().UTC(), 50)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		a, err := p.st.Article(ctx, id)
		if err != nil {
			continue
		}
		if err := p.translate(ctx, a); err != nil {
			continue
		}
		n++
		if p.writer != nil {
			if err := p.st.QueueStep(ctx, a.ID, store.StepStory); err != nil {
				return n, err
			}
			p.writer.nudge()
		}
	}
	return n, nil
}

// Finish is for commands that stop when their work is done (import, poll
// --once, the demo): it waits until every story step queued so far is
// done, by this process when it can take the story writer's lease, else by
// the process that holds it.
func (p *Processor) Finish(ctx context.Context) error {
	if p.writer == nil {
		return nil
	}
	return p.writer.finish(ctx)
}

// Close releases the translators and, if held, the story writer's lease.
func (p *Processor) Close() error {
	var errs []error
	if p.writer != nil {
		errs = append(errs, p.writer.release(context.Background()))
	}
	if p.tr != nil {
		errs = append(errs, p.tr.Close())
	}
	return errors.Join(errs...)
}

// ReaderLang is the reader's language, "en" unless set.
func ReaderLang(l string) string {
	if l = strings.ToLower(strings.TrimSpace(l)); l != "" {
		return l
	}
	return "en"
}

// Languages is the detector's language list: the configured ones (default
// en, es, fr, de, pt), always with the reader's, without repeats.
func Languages(list []string, reader string) []string {
	if len(list) == 0 {
		list = []string{"en", "es", "fr", "de", "pt"}
	}
	var out []string
	for _, l := range append(slices.Clone(list), reader) {
		if l = strings.TrimSpace(strings.ToLower(l)); l != "" && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// detectors holds one detector per language list: loading a detector's
// models is slow, and every pipeline of a process (and of a test binary)
// can share it.
var detectors sync.Map // string -> *lang.Detector

func detector(langs []string) (*lang.Detector, error) {
	key := strings.Join(langs, ",")
	if d, ok := detectors.Load(key); ok {
		return d.(*lang.Detector), nil
	}
	d, err := lang.New(langs, lang.Options{})
	if err != nil {
		return nil, err
	}
	actual, _ := detectors.LoadOrStore(key, d)
	return actual.(*lang.Detector), nil
}

// Minimal returns a pipeline that extracts, detects the language and
// stores, and marks the later steps done without running them: for tests
// and tools that need no more. It panics if the language detector cannot
// be built (it is built in).
func Minimal(st store.Store, log *slog.Logger) *Processor {
	p, err := New(context.Background(), Config{Store: st, Log: log, Translate: translate.Config{Backend: "off"},
		NoEnrich: true, NoStories: true})
	if err != nil {
		panic(err)
	}
	return p
}
