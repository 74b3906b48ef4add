package collect

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/newsdesk/newsdesk/internal/extract"
	"github.com/newsdesk/newsdesk/internal/feed"
	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/pipeline"
	"github.com/newsdesk/newsdesk/internal/store"
)

// PollArgs is the job that polls one source.
type PollArgs struct {
	SourceID int64 `json:"source_id"`
}

// Kind implements river.JobArgs.
func (PollArgs) Kind() string { return "collect_poll" }

// InsertOpts makes polls unique per source while one is queued or running
// (a finished poll does not block the next).
func (PollArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		Queue:       queuePoll,
		MaxAttempts: 3,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
			rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
			rivertype.JobStateRetryable, rivertype.JobStateScheduled,
		}},
	}
}

// FetchArgs is the job that fetches and processes one article.
type FetchArgs struct {
	URL      string `json:"url" river:"unique"`
	SourceID int64  `json:"source_id"`
	Language string `json:"lang,omitempty"`
}

// Kind implements river.JobArgs.
func (FetchArgs) Kind() string { return "collect_fetch" }

// InsertOpts makes an article URL's fetch unique, including after it
// completed: an article is fetched once however many sources announce it.
func (FetchArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queueFetch, MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

type pollWorker struct {
	river.WorkerDefaults[PollArgs]
	c *Collector
}

func (w *pollWorker) Work(ctx context.Context, job *river.Job[PollArgs]) error {
	w.c.inflight.Add(1)
	defer w.c.inflight.Add(-1)
	src, err := w.c.cfg.Store.Source(ctx, job.Args.SourceID)
	if errors.Is(err, store.ErrNotFound) {
		return nil // removed since
	}
	if err != nil {
		return err
	}
	if src.Paused {
		return nil
	}
	return w.c.Poll(ctx, src)
}

func (w *pollWorker) Timeout(*river.Job[PollArgs]) time.Duration { return 10 * time.Minute }

type fetchWorker struct {
	river.WorkerDefaults[FetchArgs]
	c *Collector
}

// maxSnoozeAge bounds snoozing: an older job waits at the host instead.
const maxSnoozeAge = 24 * time.Hour

const acceptHTML = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"

func (w *fetchWorker) Work(ctx context.Context, job *river.Job[FetchArgs]) (err error) {
	c := w.c
	c.inflight.Add(1)
	defer c.inflight.Add(-1)
	if c.cfg.OnArticle != nil {
		start := time.Now()
		defer func() { c.cfg.OnArticle(time.Since(start), err) }()
	}
	// Snoozing (waiting for a busy host, or for a Retry-After) does not
	// count as an attempt; it is bounded by the job's age instead.
	young := c.now().Sub(job.CreatedAt) < maxSnoozeAge
	req := fetch.Request{URL: job.Args.URL, Accept: acceptHTML}
	if young {
		req.MaxWait = c.cfg.HostMaxWait
	}
	resp, err := c.cfg.Fetch.Get(ctx, req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if fe, ok := fetch.AsError(err); ok {
			switch {
			case fe.Permanent(), fe.Kind == fetch.KindTooLarge, fe.Kind == fetch.KindRedirects, fe.Kind == fetch.KindEncoding:
				c.stats.articleFailures.Add(1)
				c.log.Warn("article fetch failed for good", "url", job.Args.URL, "source", job.Args.SourceID, "err", err)
				return river.JobCancel(err)
			case fe.Kind == fetch.KindBusy:
				// Free the worker for other hosts; come back when it is our turn.
				c.rndMu.Lock()
				j := time.Duration(c.random().Int64N(int64(time.Second)))
				c.rndMu.Unlock()
				return river.JobSnooze(min(fe.RetryAfter, time.Hour) + j)
			case fe.RetryAfter > 0 && young:
				return river.JobSnooze(min(fe.RetryAfter, time.Hour))
			}
		}
		if job.Attempt >= job.MaxAttempts {
			c.stats.articleFailures.Add(1)
		}
		return err
	}
	if !looksHTML(resp) {
		c.stats.articleFailures.Add(1)
		err := fmt.Errorf("collect: %s is not an HTML page (Content-Type %q)", resp.URL, resp.ContentType)
		c.log.Warn("article not extracted", "url", job.Args.URL, "err", err)
		return river.JobCancel(err)
	}
	res, err := c.cfg.Processor.Process(ctx, pipeline.Page{
		Raw: resp.Body, URL: resp.URL, ContentType: resp.ContentType,
		SourceID: job.Args.SourceID, Language: job.Args.Language, FetchedAt: resp.FetchedAt.UTC(),
	})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if isExtractError(err) {
			c.stats.articleFailures.Add(1)
			c.log.Warn("article not extracted", "url", job.Args.URL, "err", err)
			return river.JobCancel(err)
		}
		return err
	}
	switch res.Outcome {
	case store.Inserted:
		c.stats.inserted.Add(1)
	case store.Updated:
		c.stats.updated.Add(1)
	default:
		c.stats.unchanged.Add(1)
	}
	return nil
}

func (w *fetchWorker) Timeout(*river.Job[FetchArgs]) time.Duration { return 3 * time.Minute }

// looksHTML reports whether a response is an HTML page: by its
// Content-Type when it names one, else by its first bytes.
func looksHTML(r *fetch.Response) bool {
	ct := strings.ToLower(r.ContentType)
	switch {
	case strings.Contains(ct, "html"):
		return true
	case ct == "", strings.HasPrefix(ct, "text/plain"), strings.HasPrefix(ct, "application/octet-stream"):
		return feed.Detect(r.Body, "") == feed.KindHTML
	}
	return false
}

func isExtractError(err error) bool {
	return errors.Is(err, extract.ErrNoArticle) || errors.Is(err, extract.ErrTooLarge) ||
		errors.Is(err, extract.ErrNotHTML) || strings.HasPrefix(err.Error(), "extract:")
}

// found is what reading a source turned up.
type found struct {
	urls         []string
	hints        Hints
	status       int
	notModified  bool
	etag         string
	lastModified string
	kind         news.SourceKind
	name, lang   string
	hubs         []string
	topic        string
}

// Poll reads one source now, enqueues fetches of the articles it has not
// announced before, and records the outcome and the next poll time. A
// failure of the source is recorded with its backoff, not returned: only
// the store's own errors are.
func (c *Collector) Poll(ctx context.Context, src *store.SourceRecord) error {
	now := c.now()
	c.stats.polls.Add(1)
	f, err := c.read(ctx, src)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		c.stats.pollFailures.Add(1)
		failures := src.Failures + 1
		c.rndMu.Lock()
		d := c.cfg.Policy.Backoff(failures, err, c.random())
		c.rndMu.Unlock()
		rec := store.PollRecord{At: now, State: news.StateFailing, Error: err.Error(), Failures: failures,
			NextPollAt: now.Add(d), Adaptive: src.Adaptive, ETag: src.ETag, LastModified: src.LastModified}
		if fe, ok := fetch.AsError(err); ok {
			rec.Status = fe.Status
		}
		c.log.Warn("source poll failed", "source", src.ID, "url", src.URL, "failures", failures, "retry_in", d.Round(time.Second).String(), "err", err)
		return c.cfg.Store.RecordPoll(ctx, src.ID, rec)
	}
	if f.notModified {
		c.stats.notModified.Add(1)
	}
	urls := f.urls
	if len(urls) > c.cfg.MaxItemsPerPoll {
		urls = urls[:c.cfg.MaxItemsPerPoll]
	}
	lang := src.Language
	if lang == "" {
		lang = f.lang
	}
	unseen, err := c.enqueue(ctx, src.ID, urls, lang, now)
	if err != nil {
		return err
	}
	f.hints.NewItems = len(unseen)
	f.hints.WebSub = src.WebSub.State == "active" && src.WebSub.LeaseUntil.After(now)
	adaptive := c.cfg.Policy.Adapt(src.Interval, src.Adaptive, len(unseen))
	c.rndMu.Lock()
	next := c.cfg.Policy.NextPoll(now, adaptive, f.hints, c.random())
	c.rndMu.Unlock()
	err = c.cfg.Store.RecordPoll(ctx, src.ID, store.PollRecord{
		At: now, State: news.StateOK, NextPollAt: next, Adaptive: adaptive, Status: f.status,
		NotModified: f.notModified, NewItems: len(unseen), ETag: f.etag, LastModified: f.lastModified,
		Kind: f.kind, Name: cleanLabel(f.name, 200), Language: cleanLabel(f.lang, 35),
	})
	if err != nil {
		return err
	}
	c.log.Debug("source polled", "source", src.ID, "status", f.status, "items", len(urls), "new", len(unseen), "next", next)
	if c.cfg.Hubs != nil && len(f.hubs) > 0 && f.topic != "" && !subscribed(src, now) {
		if err := c.cfg.Hubs.Subscribe(ctx, src, f.hubs[0], f.topic); err != nil {
			c.log.Warn("WebSub subscription failed; polling continues", "source", src.ID, "hub", f.hubs[0], "err", err)
		}
	}
	return nil
}

// enqueue inserts a fetch job for each URL the source has not announced
// before and returns those URLs.
func (c *Collector) enqueue(ctx context.Context, sourceID int64, urls []string, lang string, now time.Time) ([]string, error) {
	unseen, err := c.cfg.Store.UnseenItems(ctx, sourceID, urls)
	if err != nil || len(unseen) == 0 {
		return nil, err
	}
	params := make([]river.InsertManyParams, len(unseen))
	for i, u := range unseen {
		// River takes jobs by priority, then age. Dealing a poll's items
		// over the four priorities interleaves hosts in the queue (one
		// poll is one host), so workers do not all wait on one host's
		// single connection; a feed's first, newest items go first.
		params[i] = river.InsertManyParams{Args: FetchArgs{URL: u, SourceID: sourceID, Language: lang},
			InsertOpts: &river.InsertOpts{Priority: 1 + i%4}}
	}
	// Enqueue first, then mark seen: a crash in between re-announces the
	// items next time, and unique jobs drop the repeats.
	if _, err := c.river.InsertMany(ctx, params); err != nil {
		return nil, fmt.Errorf("collect: unable to enqueue articles: %w", err)
	}
	if _, err := c.cfg.Store.MarkSeen(ctx, sourceID, unseen, now); err != nil {
		return nil, err
	}
	c.stats.enqueued.Add(int64(len(unseen)))
	return unseen, nil
}

// Received takes a feed document pushed by a WebSub hub for a source and
// enqueues the articles it announces (websub.Receiver).
func (c *Collector) Received(ctx context.Context, sourceID int64, body []byte, contentType string) error {
	src, err := c.cfg.Store.Source(ctx, sourceID)
	if err != nil {
		return err
	}
	pf, err := feed.Parse(body, src.URL, contentType)
	if err != nil {
		return err
	}
	urls := make([]string, 0, len(pf.Items))
	for _, it := range pf.Items {
		urls = append(urls, it.URL)
	}
	lang := src.Language
	if lang == "" {
		lang = pf.Language
	}
	_, err = c.enqueue(ctx, src.ID, urls[:min(len(urls), c.cfg.MaxItemsPerPoll)], lang, c.now())
	return err
}

// cleanLabel makes a publisher-supplied label safe to keep and to print
// on a terminal: control characters (escape sequences) dropped, white
// space folded, length capped.
func cleanLabel(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		s = string(r[:max])
	}
	return s
}

func subscribed(src *store.SourceRecord, now time.Time) bool {
	switch src.WebSub.State {
	case "pending":
		return src.WebSub.LeaseUntil.After(now) // ask again if never verified
	case "active":
		// Renew when the lease could end before a slowed-down poll comes
		// back (polls of subscribed sources are stretched, capped at a day).
		return src.WebSub.LeaseUntil.After(now.Add(48 * time.Hour))
	}
	return false
}

var acceptFeeds = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"

// read fetches and interprets a source.
func (c *Collector) read(ctx context.Context, src *store.SourceRecord) (*found, error) {
	if src.Kind == news.KindURL {
		// A single article: announce it; check back rarely.
		return &found{urls: []string{src.URL}, kind: news.KindURL, hints: Hints{TTL: c.cfg.Policy.MaxInterval}}, nil
	}
	req := fetch.Request{URL: src.URL, Accept: acceptFeeds}
	if src.Kind == news.KindFeed || src.Kind == news.KindSitemap {
		req.ETag, req.LastModified = src.ETag, src.LastModified
	}
	if src.Kind == news.KindSitemap {
		req.MaxBody = feed.MaxSitemapBytes
	}
	resp, err := c.cfg.Fetch.Get(ctx, req)
	if err != nil {
		return nil, err
	}
	f := &found{status: resp.Status, etag: resp.ETag, lastModified: resp.LastModified,
		hints: Hints{Fresh: resp.Fresh, RetryAfter: resp.RetryAfter}, topic: resp.URL}
	if resp.NotModified {
		f.notModified, f.kind = true, src.Kind
		return f, nil
	}
	f.hubs = feed.LinkHeader(resp.Header.Values("Link"), "hub", resp.URL)
	if self := feed.LinkHeader(resp.Header.Values("Link"), "self", resp.URL); len(self) > 0 {
		f.topic = self[0]
	}
	switch kind := feed.Detect(resp.Body, resp.ContentType); kind {
	case feed.KindFeed:
		pf, err := feed.Parse(resp.Body, resp.URL, resp.ContentType)
		if err != nil {
			return nil, err
		}
		if pf.Repaired != "" {
			c.log.Info("feed charset repaired", "source", src.ID, "how", pf.Repaired)
		}
		f.kind, f.name, f.lang = news.KindFeed, pf.Title, pf.Language
		f.hints.TTL = pf.TTL
		f.hubs = append(f.hubs, pf.Hubs...)
		if pf.Self != "" && len(f.hubs) > 0 {
			f.topic = pf.Self
		}
		for _, it := range pf.Items {
			f.urls = append(f.urls, it.URL)
		}
	case feed.KindSitemap, feed.KindSitemapIndex:
		f.kind = news.KindSitemap
		budget := c.cfg.MaxItemsPerPoll
		f.urls, err = c.sitemapURLs(ctx, resp.Body, resp.URL, 0, &budget, map[string]bool{resp.URL: true})
		if err != nil {
			return nil, err
		}
	case feed.KindHTML:
		if src.Kind != "" && src.Kind != news.KindSite {
			return nil, fmt.Errorf("collect: expected a %s, got an HTML page", src.Kind)
		}
		return c.readSite(ctx, src, resp, f)
	default:
		return nil, fmt.Errorf("collect: %s is not a feed, sitemap or HTML page (Content-Type %q)", resp.URL, resp.ContentType)
	}
	return f, nil
}

// readSite reads a home page: its announced feeds (up to three), else the
// sitemaps its robots.txt lists. A page with neither, added without a
// kind, is taken as a single article.
func (c *Collector) readSite(ctx context.Context, src *store.SourceRecord, resp *fetch.Response, f *found) (*found, error) {
	d := feed.Discover(resp.Body, resp.URL)
	f.etag, f.lastModified = "", "" // the page changing says little about its feeds
	f.hubs = append(f.hubs, d.Hubs...)
	var errs []error
	got := false
	for _, fu := range d.Feeds[:min(len(d.Feeds), 3)] {
		r, err := c.cfg.Fetch.Get(ctx, fetch.Request{URL: fu, Accept: acceptFeeds})
		if err == nil {
			var pf *feed.Feed
			if pf, err = feed.Parse(r.Body, r.URL, r.ContentType); err == nil {
				got = true
				if f.name == "" {
					f.name, f.lang = pf.Title, pf.Language
				}
				f.hints.TTL = max(f.hints.TTL, pf.TTL)
				for _, it := range pf.Items {
					f.urls = append(f.urls, it.URL)
				}
				continue
			}
		}
		errs = append(errs, err)
	}
	if !got {
		sitemaps, _ := c.cfg.Fetch.Sitemaps(ctx, resp.URL)
		visited := map[string]bool{}
		budget := c.cfg.MaxItemsPerPoll
		for _, su := range sitemaps[:min(len(sitemaps), 3)] {
			r, err := c.cfg.Fetch.Get(ctx, fetch.Request{URL: su, MaxBody: feed.MaxSitemapBytes})
			if err == nil {
				visited[r.URL] = true
				var urls []string
				if urls, err = c.sitemapURLs(ctx, r.Body, r.URL, 0, &budget, visited); err == nil {
					got = true
					f.urls = append(f.urls, urls...)
					continue
				}
			}
			errs = append(errs, err)
		}
	}
	switch {
	case got:
		f.kind = news.KindSite
	case len(errs) > 0:
		return nil, fmt.Errorf("collect: no feed of %s could be read: %w", resp.URL, errors.Join(errs...))
	case src.Kind == "":
		f.kind = news.KindURL
		f.urls = []string{resp.URL}
		f.hints.TTL = c.cfg.Policy.MaxInterval
	default:
		return nil, fmt.Errorf("collect: %s announces no feed or sitemap", resp.URL)
	}
	return f, nil
}

// maxSitemapChildren caps the children of one index read per poll, newest
// first.
const maxSitemapChildren = 20

// sitemapURLs returns the page URLs of a sitemap, following index
// children depth-first (newest first) up to MaxSitemapDepth and within
// budget URLs. visited guards against index loops.
func (c *Collector) sitemapURLs(ctx context.Context, body []byte, base string, depth int, budget *int, visited map[string]bool) ([]string, error) {
	sm, err := feed.ParseSitemap(body, base)
	if err != nil {
		return nil, err
	}
	if !sm.Index {
		us := sm.URLs
		sort.SliceStable(us, func(i, j int) bool { return newest(us[i]).After(newest(us[j])) })
		var out []string
		for _, u := range us {
			if *budget <= 0 {
				break
			}
			out = append(out, u.Loc)
			*budget--
		}
		return out, nil
	}
	if depth+1 > feed.MaxSitemapDepth {
		return nil, fmt.Errorf("collect: sitemap indexes nested deeper than %d at %s", feed.MaxSitemapDepth, base)
	}
	kids := sm.Children
	sort.SliceStable(kids, func(i, j int) bool { return kids[i].LastMod.After(kids[j].LastMod) })
	var out []string
	var errs []error
	read := 0
	for _, k := range kids {
		if *budget <= 0 || read >= maxSitemapChildren {
			break
		}
		if visited[k.Loc] {
			continue
		}
		visited[k.Loc] = true
		read++
		r, err := c.cfg.Fetch.Get(ctx, fetch.Request{URL: k.Loc, MaxBody: feed.MaxSitemapBytes})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		urls, err := c.sitemapURLs(ctx, r.Body, r.URL, depth+1, budget, visited)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, urls...)
	}
	if len(out) == 0 && len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

func newest(u feed.SitemapURL) time.Time {
	if !u.Published.IsZero() {
		return u.Published
	}
	return u.LastMod
}
