package main

import (
	"context"
	"errors"
	"fmt"
	"html"
	"strings"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/pipeline"
	"github.com/newsdesk/newsdesk/internal/sanitize"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/translate"
)

// The translate stage puts every stored article whose language is not the
// reader's into the reader's language (NEWSDESK_LANG, default "en"), with
// the backend NEWSDESK_TRANSLATE_BACKEND (default Apertium; "off" turns
// translation off). A pair the backend cannot do here is logged once with
// how to enable it, and the article is published in its original language.
func init() {
	stageFactories["lang"] = newLangStage
	stageFactories["translate"] = func(ctx context.Context, e *env, st store.Store) (pipeline.Stage, error) {
		s, err := newTranslateStage(ctx, e, st)
		if s == nil {
			return nil, err // no typed nil in the interface
		}
		return s, err
	}
	backgroundJobs = append(backgroundJobs, retryTranslations)
}

// langStage settles each article's language before it is stored: the
// page's declaration is often missing or wrong, so detection on the text
// decides, with the declaration as the fallback for short texts.
type langStage struct{ detector *lang.Detector }

func newLangStage(_ context.Context, e *env, _ store.Store) (pipeline.Stage, error) {
	det, err := detector(e)
	if err != nil {
		return nil, err
	}
	return &langStage{detector: det}, nil
}

func (s *langStage) Name() string { return "lang" }

func (s *langStage) BeforeStore(_ context.Context, a *news.Article) error {
	if l := s.detector.Article(a.Title, a.Text, a.Language, ""); l != "" {
		a.Language = l
	}
	return nil
}

// retryTranslations retranslates, every few minutes, the articles whose
// translation failed and is due.
func retryTranslations(ctx context.Context, e *env, st store.Store) {
	stage, err := newTranslateStage(ctx, e, st)
	if err != nil || stage == nil {
		return
	}
	defer stage.router.Close()
	tick := time.NewTicker(5 * time.Minute)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if n, err := stage.retryDue(ctx, st); err != nil {
				e.log.Warn("translation retry failed", "err", err)
			} else if n > 0 {
				e.log.Info("translations retried", "translated", n)
			}
		}
	}
}

func newTranslateStage(ctx context.Context, e *env, st store.Store) (*translateStage, error) {
	backend := e.getenv("NEWSDESK_TRANSLATE_BACKEND")
	if backend == "off" || backend == "none" {
		return nil, nil
	}
	ts, ok := st.(store.TranslationStore)
	if !ok {
		return nil, errors.New("this store does not keep translations")
	}
	to := readerLang(e)
	det, err := detector(e)
	if err != nil {
		return nil, err
	}
	r, err := translate.New(translate.Config{
		Backend:     backend,
		GlossaryDir: e.getenv("NEWSDESK_GLOSSARY_DIR"),
		Getenv:      e.getenv,
		Cache:       ts,
		Detector:    det,
	})
	if err != nil {
		return nil, err
	}
	return &translateStage{router: r, store: ts, to: to, log: e, unavailable: map[string]bool{}}, nil
}

// detectors holds one language detector per configured language list: the
// language and translate stages share it rather than each loading models.
var detectors sync.Map // string -> *lang.Detector

func detector(e *env) (*lang.Detector, error) {
	langs := detectLanguages(e, readerLang(e))
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

// readerLang is the language the site is read in.
func readerLang(e *env) string {
	if l := strings.ToLower(strings.TrimSpace(e.getenv("NEWSDESK_LANG"))); l != "" {
		return l
	}
	return "en"
}

// detectLanguages are the languages the detector knows: the configured
// list (NEWSDESK_LANGUAGES, comma-separated), always with the reader's.
func detectLanguages(e *env, to string) []string {
	list := e.getenv("NEWSDESK_LANGUAGES")
	if list == "" {
		list = "en,es,fr,de,pt"
	}
	var out []string
	seen := map[string]bool{}
	for _, l := range append(strings.Split(list, ","), to) {
		if l = strings.TrimSpace(strings.ToLower(l)); l != "" && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

type translateStage struct {
	router *translate.Router
	store  store.TranslationStore
	to     string
	log    *env

	mu          sync.Mutex
	unavailable map[string]bool // pairs already reported as not installed
}

func (s *translateStage) Name() string { return "translate" }

// AfterStore translates a new or changed article and stores the result. A
// failure is stored too (the store schedules the retry); the article stays
// published in its original language meanwhile.
func (s *translateStage) AfterStore(ctx context.Context, a *news.Article, _ store.Outcome) error {
	from := lang.Primary(a.Language)
	if from == "" || from == s.to {
		return nil
	}
	p := translate.Pair{From: from, To: s.to}
	if err := s.router.Check(p); err != nil {
		s.mu.Lock()
		first := !s.unavailable[p.String()]
		s.unavailable[p.String()] = true
		s.mu.Unlock()
		if first {
			s.log.log.Warn("translation not available; articles stay in their original language", "pair", p.String(), "err", err)
		}
		return nil
	}
	return s.translate(ctx, a)
}

func (s *translateStage) translate(ctx context.Context, a *news.Article) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	t, err := translate.Article(ctx, s.router, a, s.to)
	if t == nil {
		return err
	}
	// Whatever a backend returns is treated like any page from the web.
	t.BodyHTML = sanitize.HTML(t.BodyHTML)
	t.Title, t.Description = plainField(t.Title), plainField(t.Description)
	if serr := s.store.SaveTranslation(ctx, t); serr != nil {
		return fmt.Errorf("translate: unable to save translation of article %d: %w", a.ID, serr)
	}
	return err
}

// plainField is a title or description as stored: plain text, any markup
// a backend put in removed, and unescaped ("doesn't", not "doesn&#39;t"):
// escaping happens once, where it is written out.
func plainField(s string) string {
	return strings.TrimSpace(html.UnescapeString(sanitize.Text(s)))
}

// retryDue translates again the articles whose translation failed and is
// due; serve runs it in the background.
func (s *translateStage) retryDue(ctx context.Context, articles store.ArticleStore) (int, error) {
	ids, err := s.store.TranslationsDue(ctx, s.to, time.Now().UTC(), 50)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		a, err := articles.Article(ctx, id)
		if err != nil {
			continue
		}
		if err := s.translate(ctx, a); err == nil {
			n++
		}
	}
	return n, nil
}
