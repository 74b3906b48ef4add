package story

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/dedup"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Keeper is what a Tracker needs of the store: store.StoryStore, with
// articles to read back for summaries and the window to rebuild from.
type Keeper interface {
	store.StoryStore
	Article(ctx context.Context, id int64) (*news.Article, error)
	StoryWindow(ctx context.Context, limit int, lang string, fn func(store.WindowArticle) error) error
}

// Tracker is the pipeline's story stage: it takes each stored article (in
// English where it was translated), finds its syndication group and
// credited original, assigns it to a story, and keeps the store in step
// with the clusterer's merges and refinements and the stories' headlines.
// It is safe for concurrent use; articles are processed one at a time.
type Tracker struct {
	mu      sync.Mutex
	keep    Keeper
	cluster *Clusterer
	synd    *dedup.Index
	sinceRe int
	// RefineEvery runs Refine after this many articles (default
	// DefaultRefineEvery, as the evaluation does).
	RefineEvery int
	// KeyNames is how many key names a story keeps (default 8).
	KeyNames int
	// Lang is the site's language: summaries use an article's
	// translation into it when the store has one (default "en").
	Lang string
}

// translations is the part of store.TranslationStore summaries use.
type translations interface {
	Translation(ctx context.Context, articleID int64, lang string) (*news.Translation, error)
}

// text returns an article's title and text in the site's language when
// a translation is stored, else as published.
func (t *Tracker) text(ctx context.Context, a *news.Article) (string, string) {
	if tr, ok := t.keep.(translations); ok && a.Language != "" && a.Language != t.Lang {
		if x, err := tr.Translation(ctx, a.ID, t.Lang); err == nil && x.Status == news.TranslationDone && x.Text != "" {
			return x.Title, x.Text
		}
	}
	return a.Title, a.Text
}

// NewTracker makes a Tracker whose story ids continue after the largest in
// the store.
func NewTracker(ctx context.Context, keep Keeper, opts Options, dopts dedup.Options) (*Tracker, error) {
	maxID, err := keep.MaxStoryID(ctx)
	if err != nil {
		return nil, fmt.Errorf("story: %w", err)
	}
	c := New(opts)
	c.nextID = maxID
	return &Tracker{keep: keep, cluster: c, synd: dedup.NewIndex(dopts), RefineEvery: DefaultRefineEvery, KeyNames: 8, Lang: "en"}, nil
}

// Result is what Track did with an article.
type Result struct {
	Story       int64
	NewStory    bool
	Syndication dedup.Match
	Origin      dedup.Origin // set when the article joined a group
}

// Track processes one stored article. title and text are what to compare:
// the English translation when the article was translated (translated
// true), else the article's own.
func (t *Tracker) Track(ctx context.Context, a *news.Article, title, text string, translated bool) (Result, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var r Result
	touched := map[int64]bool{}
	if t.cluster.Remove(a.ID) {
		// back for a second time (its translation arrived, its text
		// changed): it is compared again as it reads now
		t.synd.Remove(a.ID)
		if old, err := t.keep.StoryOf(ctx, a.ID); err == nil {
			touched[old] = true
		}
	}
	published := a.Published
	if published.IsZero() {
		published = a.FirstSeenAt
	}
	da := dedup.Article{ID: a.ID, URL: a.URL, Site: a.SiteName, Byline: a.Byline, Title: title, Text: text,
		Published: published, Translated: translated}
	r.Syndication = t.synd.Add(da)
	if err := t.keep.SetSyndication(ctx, a.ID, r.Syndication.Group, r.Syndication.Of, r.Syndication.Overlap); err != nil {
		return r, fmt.Errorf("story: %w", err)
	}
	if r.Syndication.Of != 0 {
		o, err := t.origin(ctx, r.Syndication.Group, da)
		if err != nil {
			return r, err
		}
		r.Origin = o
	}

	f := Extract(title, text)
	if a.Published.IsZero() && !f.Dated.IsZero() {
		// an archive read long after it was written: the dateline
		// says better than the day it was read when it was written
		published = f.Dated
	}
	as := t.cluster.Add(Article{ID: a.ID, Published: published, Features: f})
	r.Story, r.NewStory = as.Story, as.New
	if err := t.keep.AssignStory(ctx, a.ID, as.Story, as.Score); err != nil {
		return r, fmt.Errorf("story: %w", err)
	}
	if len(as.Merged) > 0 {
		if err := t.keep.MergeStories(ctx, as.Story, as.Merged); err != nil {
			return r, fmt.Errorf("story: %w", err)
		}
	}
	touched[as.Story] = true
	if t.sinceRe++; t.sinceRe >= t.RefineEvery {
		if err := t.refine(ctx, touched); err != nil {
			return r, err
		}
	}
	for sid := range touched {
		if err := t.summarize(ctx, sid); err != nil {
			return r, err
		}
	}
	return r, nil
}

// Settle refines the stories the articles since the last Refine touched,
// without waiting for RefineEvery more: the story writer calls it when its
// queue runs dry, so that a quiet moment (or the end of an import) leaves
// no article unrevisited.
func (t *Tracker) Settle(ctx context.Context) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	// a window smaller than a refine's usual stride is left alone: with a
	// handful of articles from unrelated events, the joins Refine makes on
	// shared generic words ("Supreme Court", "Ukraine") are wrong more
	// often than right
	if t.sinceRe == 0 || t.cluster.OpenArticles() < t.RefineEvery {
		return nil
	}
	touched := map[int64]bool{}
	if err := t.refine(ctx, touched); err != nil {
		return err
	}
	for sid := range touched {
		if err := t.summarize(ctx, sid); err != nil {
			return err
		}
	}
	return nil
}

// refine runs the clusterer's Refine and stores its moves; touched gains
// the stories they changed.
func (t *Tracker) refine(ctx context.Context, touched map[int64]bool) error {
	t.sinceRe = 0
	moves := t.cluster.Refine()
	if len(moves) == 0 {
		return nil
	}
	sm := make([]store.StoryMove, len(moves))
	for i, m := range moves {
		sm[i] = store.StoryMove{ArticleID: m.Article, To: m.To}
		touched[m.To], touched[m.From] = true, true
	}
	if err := t.keep.MoveArticles(ctx, sm); err != nil {
		return fmt.Errorf("story: %w", err)
	}
	return nil
}

// origin recomputes a group's credited original from its members.
func (t *Tracker) origin(ctx context.Context, group int64, current dedup.Article) (dedup.Origin, error) {
	ids, err := t.keep.SyndicationMembers(ctx, group)
	if err != nil {
		return dedup.Origin{}, fmt.Errorf("story: %w", err)
	}
	members := make([]dedup.Article, 0, len(ids))
	for _, id := range ids {
		if id == current.ID {
			members = append(members, current)
			continue
		}
		a, err := t.keep.Article(ctx, id)
		if err != nil {
			continue // deleted meanwhile
		}
		// the credit lines are read in the original: "MADRID (EFE).-"
		members = append(members, dedup.Article{ID: a.ID, URL: a.URL, Site: a.SiteName, Byline: a.Byline,
			Title: a.Title, Text: a.Text, Published: a.Published})
	}
	o := dedup.Original(members)
	if err := t.keep.SetOrigin(ctx, group, o.Original, o.Agency, o.Why); err != nil {
		return o, fmt.Errorf("story: %w", err)
	}
	return o, nil
}

// summarize refreshes a story's headline, summary and key names from up
// to 50 of its articles.
func (t *Tracker) summarize(ctx context.Context, sid int64) error {
	ids, err := t.keep.StoryArticleIDs(ctx, sid)
	if err != nil || len(ids) == 0 {
		return nil // moved away entirely, or merged
	}
	if len(ids) > 50 {
		ids = ids[len(ids)-50:]
	}
	ms := make([]Member, 0, len(ids))
	for _, id := range ids {
		a, err := t.keep.Article(ctx, id)
		if err != nil {
			continue
		}
		title, text := t.text(ctx, a)
		m := Member{ID: a.ID, Title: title, Text: text, Features: extractTerms(title, text)}
		if title != a.Title || text != a.Text {
			// names as published, not as translated
			m.Features.Names = extractTerms(a.Title, a.Text).Names
			m.Original = a.Title + "\n" + a.Text
		}
		ms = append(ms, m)
	}
	s := Summarize(ms, t.KeyNames)
	if err := t.keep.SaveStoryText(ctx, sid, s.Headline, s.Summary, s.KeyNames); err != nil {
		return fmt.Errorf("story: %w", err)
	}
	return nil
}

// RebuildStats says what Rebuild loaded.
type RebuildStats struct {
	Articles int
	Took     time.Duration
}

// Rebuild fills an empty Tracker's window and syndication index with the
// articles already in stories, as the store has them: the newest
// MaxArticles, replayed oldest first, so that the clusterer closes those
// older than its Window as it did when they arrived. A process that becomes the story writer calls it before its
// first Track, so that stories carry on across processes and restarts.
func (t *Tracker) Rebuild(ctx context.Context) (RebuildStats, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	start := time.Now()
	var st RebuildStats
	err := t.keep.StoryWindow(ctx, t.cluster.opts.MaxArticles, t.Lang, func(w store.WindowArticle) error {
		a := &w.Article
		title, text, translated := a.Title, a.Text, false
		if w.TranslatedText != "" {
			title, text, translated = w.TranslatedTitle, w.TranslatedText, true
		}
		published := a.Published
		if published.IsZero() {
			published = a.FirstSeenAt
		}
		t.synd.Restore(dedup.Article{ID: a.ID, URL: a.URL, Site: a.SiteName, Byline: a.Byline, Title: title, Text: text,
			Published: published, Translated: translated}, w.Group)
		f := Extract(title, text)
		if a.Published.IsZero() && !f.Dated.IsZero() {
			published = f.Dated
		}
		t.cluster.Restore(Article{ID: a.ID, Published: published, Features: f}, w.Story)
		st.Articles++
		return ctx.Err()
	})
	if err != nil {
		return st, fmt.Errorf("story: rebuild: %w", err)
	}
	// ids come from the store: a story made by another writer since
	// the window's newest is never given again
	maxID, err := t.keep.MaxStoryID(ctx)
	if err != nil {
		return st, fmt.Errorf("story: rebuild: %w", err)
	}
	t.cluster.nextID = max(t.cluster.nextID, maxID)
	st.Took = time.Since(start)
	return st, nil
}
