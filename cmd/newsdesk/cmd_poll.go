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
	"github.com/newsdesk/newsdesk/internal/web"
	"github.com/newsdesk/newsdesk/internal/websub"
)

func init() {
	register(command{name: "poll", summary: "collect from the sources that are due (--once), or keep collecting", run: runPoll})
	webOptions = append(webOptions, func(ctx context.Context, e *env, st store.Store, _ *web.Config) error {
		if e.getenv("NEWSDESK_WEBSUB_CALLBACK") == "" {
			web.EnableWebSub(nil)
			return nil
		}
		// The subscriber exists once the collector runs; until then hubs
		// get a 503 and retry.
		web.EnableWebSub(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if s := runningSubscriber.Load(); s != nil {
				s.ServeHTTP(w, r)
				return
			}
			http.Error(w, "collector not running", http.StatusServiceUnavailable)
		}))
		return nil
	})
	backgroundCollector = func(ctx context.Context, e *env, st store.Store) error {
		var cf collectFlags
		cf.defaults(e)
		return cf.run(ctx, e, st, false, nil)
	}
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

func (cf *collectFlags) collector(ctx context.Context, e *env, st store.Store, fetchPoll time.Duration) (*collect.Collector, error) {
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
		Processor:         &pipeline.Processor{Store: st, Log: e.log, Stages: pipelineStages(ctx, e, st)},
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
func (cf *collectFlags) run(ctx context.Context, e *env, st store.Store, once bool, done func(collect.Stats)) error {
	poll := time.Second
	if once {
		poll = 50 * time.Millisecond
	}
	c, err := cf.collector(ctx, e, st, poll)
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
	stats, err := c.Once(ctx)
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
	start := time.Now()
	var stats collect.Stats
	err = cf.run(ctx, e, st, *once, func(s collect.Stats) { stats = s })
	if err != nil || !*once {
		return err
	}
	secs := time.Since(start).Seconds()
	if *asJSON {
		if err := json.NewEncoder(e.stdout).Encode(map[string]any{
			"polls": stats.Polls, "poll_failures": stats.PollFailures, "not_modified": stats.NotModified,
			"enqueued": stats.Enqueued, "inserted": stats.Inserted, "updated": stats.Updated, "unchanged": stats.Unchanged,
			"article_failures": stats.ArticleFailures, "seconds": secs,
		}); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(e.stdout, "polled %d sources (%d failed, %d not modified); articles: %d new, %d updated, %d unchanged, %d failed (%.1fs)\n",
			stats.Polls, stats.PollFailures, stats.NotModified, stats.Inserted, stats.Updated, stats.Unchanged, stats.ArticleFailures, secs)
	}
	if stats.PollFailures > 0 || stats.ArticleFailures > 0 {
		if !*asJSON {
			fmt.Fprintln(e.stdout, `see "newsdesk sources list" for each source's state and last error`)
		}
		return errPartial
	}
	return nil
}
