package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"github.com/newsdesk/newsdesk/internal/metrics"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/internal/collect"
	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/pipeline"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/websub"
)

// websubHandler answers hubs at /websub/ when NEWSDESK_WEBSUB_CALLBACK is
// set (nil otherwise). The subscriber exists once the collector runs;
// until then hubs get a 503 and retry.
func websubHandler(e *env) http.Handler {
	if e.getenv("NEWSDESK_WEBSUB_CALLBACK") == "" {
		return nil
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s := runningSubscriber.Load(); s != nil {
			s.ServeHTTP(w, r)
			return
		}
		http.Error(w, "collector not running", http.StatusServiceUnavailable)
	})
}

// collectInBackground is serve's collector: it collects until ctx ends,
// configured from the environment.
func collectInBackground(ctx context.Context, e *env, st store.Store, proc *pipeline.Processor) error {
	var cf collectFlags
	cf.defaults(e)
	return cf.run(ctx, e, st, proc, false, nil)
}

// runningCollector is the collector serve runs, for /admin's "poll now";
// runningSubscriber its WebSub subscriber, for the /websub/ callbacks.
var (
	runningCollector  atomic.Pointer[collect.Collector]
	runningSubscriber atomic.Pointer[websub.Subscriber]
)

// collectFlags configure the fetcher and the collector; serve takes them
// from the environment.
type collectFlags struct {
	websub   string // public callback base URL, "" = no WebSub
	allow    string
	contact  string
	workers  int
	minDelay time.Duration
	timeout  time.Duration
	only     []int64 // with once: poll these sources now instead of the due ones
}

func (cf *collectFlags) defaults(e *env) {
	cf.allow = e.getenv("NEWSDESK_FETCH_ALLOW")
	cf.contact = e.getenv("NEWSDESK_CONTACT")
	cf.websub = e.getenv("NEWSDESK_WEBSUB_CALLBACK")
	cf.workers = 8
	cf.minDelay = time.Second
	cf.timeout = 60 * time.Second
}

func (cf *collectFlags) add(e *env, fs *flag.FlagSet) {
	cf.defaults(e)
	fs.StringVar(&cf.allow, "fetch-allow", cf.allow, "comma-separated CIDRs the fetcher may reach although internal, e.g. 127.0.0.1/32 for a local test site (env NEWSDESK_FETCH_ALLOW; default: none)")
	fs.StringVar(&cf.contact, "contact", cf.contact, "URL or mailto: where site owners can reach you, sent in the User-Agent (env NEWSDESK_CONTACT)")
	fs.StringVar(&cf.websub, "websub-callback", cf.websub, "public base URL of this site (serve) for WebSub: hubs found in feeds are subscribed to, and push to BASE/websub/ID (env NEWSDESK_WEBSUB_CALLBACK; default: off)")
	fs.IntVar(&cf.workers, "workers", cf.workers, "articles fetched and processed at once")
	fs.DurationVar(&cf.minDelay, "min-delay", cf.minDelay, "least time between two requests to one host (robots.txt Crawl-delay may ask more)")
	fs.DurationVar(&cf.timeout, "timeout", cf.timeout, "total time allowed for one request at its host")
}

func (cf *collectFlags) collector(ctx context.Context, e *env, st store.Store, proc *pipeline.Processor, fetchPoll time.Duration) (*collect.Collector, error) {
	allow, err := fetch.ParseAllow(cf.allow)
	if err != nil {
		return nil, usagef("--fetch-allow: %v", err)
	}
	if cf.workers < 1 {
		return nil, usagef("--workers must be at least 1")
	}
	minDelay := cf.minDelay
	if minDelay == 0 {
		minDelay = -1
	}
	client := fetch.New(fetch.Config{Contact: cf.contact, Allow: allow, MinDelay: minDelay, TotalTimeout: cf.timeout})
	var sub *websub.Subscriber
	var hubs collect.HubSubscriber
	if cf.websub != "" {
		sub = &websub.Subscriber{CallbackBase: strings.TrimSuffix(cf.websub, "/") + "/websub/", Store: st, Fetch: client, Log: e.log}
		hubs = sub
	}
	cfg := collect.Config{
		Store: st, Fetch: client, Log: e.log, Workers: cf.workers,
		Processor:         proc,
		FetchPollInterval: fetchPoll, Hubs: hubs, OnArticle: metrics.ObserveCollected,
	}
	// On PostgreSQL the jobs live in its River queue, shared with any
	// number of workers; on SQLite beside the articles, one collector per file.
	var c *collect.Collector
	if st.JobQueue().Shared() {
		c, err = collect.NewPostgres(ctx, cfg, collect.PostgresOptions{Work: true})
	} else {
		c, err = collect.New(ctx, cfg)
	}
	if err != nil {
		return nil, err
	}
	if sub != nil {
		sub.Receiver = c
		runningSubscriber.Store(sub)
	}
	return c, nil
}

// run collects until ctx ends, or with once until nothing is due.
func (cf *collectFlags) run(ctx context.Context, e *env, st store.Store, proc *pipeline.Processor, once bool, done func(collect.Stats)) error {
	poll := time.Second
	if once {
		poll = 50 * time.Millisecond
	}
	c, err := cf.collector(ctx, e, st, proc, poll)
	if err != nil {
		return err
	}
	defer c.Close()
	if allow := strings.TrimSpace(cf.allow); allow != "" {
		e.log.Warn("the fetcher may reach internal addresses", "allow", allow)
	}
	progress := time.NewTicker(5 * time.Second)
	defer progress.Stop()
	stopProgress := make(chan struct{})
	defer close(stopProgress)
	go func() {
		var last collect.Stats
		for {
			select {
			case <-stopProgress:
				return
			case <-progress.C:
				s := c.Stats()
				if s == last {
					continue // quiet while idle
				}
				last = s
				e.log.Info("collecting", "polls", s.Polls, "poll_failures", s.PollFailures, "enqueued", s.Enqueued,
					"inserted", s.Inserted, "updated", s.Updated, "unchanged", s.Unchanged, "article_failures", s.ArticleFailures)
			}
		}
	}()
	if !once {
		e.log.Info("collector started", "workers", cf.workers)
		runningCollector.Store(c)
		defer runningCollector.CompareAndSwap(c, nil)
		err := c.Run(ctx)
		if errors.Is(err, context.Canceled) {
			err = nil
		}
		return err
	}
	var stats collect.Stats
	if len(cf.only) > 0 {
		stats, err = c.OnceFor(ctx, cf.only)
	} else {
		stats, err = c.Once(ctx)
	}
	if done != nil {
		done(stats)
	}
	return err
}

func runPoll(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("poll", "", "Collects from the sources: polls each source that is due, fetches the articles it\nannounces that were not seen before, extracts and stores them. With --once it exits\nwhen everything due is done (articles waiting on a retry stay queued); without, it\nkeeps collecting until interrupted. Fetching is polite (robots.txt, one connection\nand --min-delay per host) and refuses internal addresses unless --fetch-allow.")
	c := e.addCommon(fs)
	var cf collectFlags
	cf.add(e, fs)
	once := fs.Bool("once", false, "collect what is due now, then exit")
	asJSON := fs.Bool("json", false, "with --once, print a JSON summary as the last line")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if err := e.setupLog(c); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("poll takes no arguments")
	}
	st, err := openStore(ctx, c.db)
	if err != nil {
		return err
	}
	defer st.Close()
	if *once {
		return cf.collectOnce(ctx, e, st, "poll", *asJSON)
	}
	proc, stopPipeline, err := startPipeline(ctx, e, st)
	if err != nil {
		return err
	}
	defer stopPipeline()
	return cf.run(ctx, e, st, proc, false, nil)
}

// collectOnce collects what is due (or cf.only) once, waits for the story
// step of everything it stored, and prints the summary; what names the
// command in errors.
func (cf *collectFlags) collectOnce(ctx context.Context, e *env, st store.Store, what string, asJSON bool) error {
	proc, stopPipeline, err := startPipeline(ctx, e, st)
	if err != nil {
		return err
	}
	defer stopPipeline()
	start := time.Now()
	var stats collect.Stats
	if err := cf.run(ctx, e, st, proc, true, func(s collect.Stats) { stats = s }); err != nil {
		return err
	}
	if err := proc.Finish(ctx); err != nil {
		return fmt.Errorf("%s: stories: %w", what, err)
	}
	return printCollectStats(e, stats, time.Since(start), asJSON)
}

// printCollectStats prints what poll --once and worker --once did, as a
// line or (asJSON) as one JSON object; it returns errPartial when a poll
// or an article failed.
func printCollectStats(e *env, s collect.Stats, took time.Duration, asJSON bool) error {
	if asJSON {
		if err := json.NewEncoder(e.stdout).Encode(map[string]any{
			"polls": s.Polls, "poll_failures": s.PollFailures, "not_modified": s.NotModified, "enqueued": s.Enqueued,
			"inserted": s.Inserted, "updated": s.Updated, "unchanged": s.Unchanged, "failed": s.ArticleFailures,
			"seconds": took.Seconds(),
		}); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(e.stdout, "polled %d sources (%d failed, %d not modified), enqueued %d; articles: %d new, %d updated, %d unchanged, %d failed (%s)\n",
			s.Polls, s.PollFailures, s.NotModified, s.Enqueued, s.Inserted, s.Updated, s.Unchanged, s.ArticleFailures, took.Round(time.Millisecond))
	}
	if s.PollFailures > 0 || s.ArticleFailures > 0 {
		if !asJSON {
			fmt.Fprintln(e.stdout, `see "newsdesk sources list" for each source's state and last error`)
		}
		return errPartial
	}
	return nil
}
