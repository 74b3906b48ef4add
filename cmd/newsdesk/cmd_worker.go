package main

import (
	"context"
	"fmt"
	"time"

	"github.com/newsdesk/newsdesk/internal/collect"
	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/store/postgres"
)

func runWorker(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("worker", "", "Runs collection jobs from the job queue in a PostgreSQL database: polls sources,\n"+
		"fetches and processes articles. Start any number, on any number of machines, beside\n"+
		"`newsdesk serve --no-collect`: River hands each job to one worker, elects one of\n"+
		"them to schedule due sources, and gives the jobs of a worker that died to another\n"+
		"(after --rescue-after). SIGINT/SIGTERM lets jobs in flight finish, then exits.\n"+
		"With a SQLite database, `serve` and `poll` collect in-process instead.")
	c := e.addCommon(fs)
	allow := fs.String("fetch-allow", e.getenv("NEWSDESK_FETCH_ALLOW"), "comma-separated CIDRs the fetcher may reach although internal, e.g. 127.0.0.1/32 for a local test site (env NEWSDESK_FETCH_ALLOW; default: none)")
	contact := fs.String("contact", e.getenv("NEWSDESK_CONTACT"), "URL or mailto: where site owners can reach you, sent in the User-Agent (env NEWSDESK_CONTACT)")
	workers := fs.Int("workers", 8, "articles fetched and processed at once by this process")
	minDelay := fs.Duration("min-delay", time.Second, "least time between two requests to one host from this process")
	timeout := fs.Duration("timeout", 60*time.Second, "total time allowed for one request at its host")
	scanEvery := fs.Duration("scan-every", 15*time.Second, "how often the leader looks for sources due a poll")
	jobTimeout := fs.Duration("job-timeout", 0, "cap on how long one job may run (default: 10m for a poll, 3m for a fetch)")
	rescue := fs.Duration("rescue-after", 0, "how long a job may run before it is taken for lost and run again by another worker (default: 15m, or job-timeout + 5m if less)")
	poll := fs.Duration("fetch-poll", time.Second, "how often this worker looks for new jobs")
	once := fs.Bool("once", false, "enqueue the due sources, work until no job is left to run now, print a summary and exit")
	asJSON := fs.Bool("json", false, "with --once, print the summary as JSON (last line of stdout)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if err := e.setupLog(c); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usagef("worker: unexpected arguments %q", fs.Args())
	case !isPostgres(c.db):
		return usagef("worker: --db must be postgres://...; with SQLite, `serve` and `poll` collect in-process")
	case *workers < 1:
		return usagef("worker: --workers must be at least 1")
	case *rescue < 0 || *jobTimeout < 0:
		return usagef("worker: durations must not be negative")
	case *rescue > 0 && *jobTimeout > 0 && *rescue <= *jobTimeout:
		return usagef("worker: --rescue-after must be longer than --job-timeout")
	}
	allowed, err := fetch.ParseAllow(*allow)
	if err != nil {
		return usagef("--fetch-allow: %v", err)
	}
	st, err := postgres.Open(ctx, c.db)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer st.Close()
	md := *minDelay
	if md == 0 {
		md = -1
	}
	proc, stopPipeline, err := startPipeline(ctx, e, st)
	if err != nil {
		return err
	}
	defer stopPipeline()
	col, err := collect.NewPostgres(ctx, collect.Config{
		Store:             st,
		Fetch:             fetch.New(fetch.Config{Contact: *contact, Allow: allowed, MinDelay: md, TotalTimeout: *timeout}),
		Processor:         proc,
		Log:               e.log,
		Workers:           *workers,
		ScanEvery:         *scanEvery,
		FetchPollInterval: *poll,
	}, collect.PostgresOptions{Work: true, JobTimeout: *jobTimeout, RescueAfter: *rescue})
	if err != nil {
		return err
	}
	defer col.Close()
	start := time.Now()
	if *once {
		stats, err := col.Once(ctx)
		if err != nil {
			return err
		}
		if err := proc.Finish(ctx); err != nil {
			return fmt.Errorf("worker: stories: %w", err)
		}
		return printCollectStats(e, stats, time.Since(start), *asJSON)
	}
	e.log.Info("worker started", "workers", *workers)
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(time.Minute)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				s := col.Stats()
				e.log.Info("worker progress", "polls", s.Polls, "enqueued", s.Enqueued, "inserted", s.Inserted,
					"updated", s.Updated, "unchanged", s.Unchanged, "failed", s.ArticleFailures)
			}
		}
	}()
	err = col.Work(ctx)
	close(done)
	s := col.Stats()
	e.log.Info("worker stopped", "polls", s.Polls, "inserted", s.Inserted, "updated", s.Updated,
		"failed", s.ArticleFailures, "uptime", time.Since(start).Round(time.Second))
	return err
}
