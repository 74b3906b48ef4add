package collect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river"

	"github.com/newsdesk/newsdesk/internal/store/queue"
)

// PostgresOptions shape a collector whose jobs live in PostgreSQL.
type PostgresOptions struct {
	// Work runs job workers in this process. Without it the collector only
	// enqueues (PollNow, EnqueueDue) and leaves the work to `newsdesk
	// worker` processes.
	Work bool
	// JobTimeout, when set, caps how long one job may run (by default a
	// poll may take 10 minutes, a fetch 3).
	JobTimeout time.Duration
	// RescueAfter is how long a job may stay running before River decides
	// its worker died and runs it again elsewhere; River also waits for
	// the job's own timeout. Default: the longest job timeout plus 5
	// minutes. A re-run is harmless: articles are stored by URL.
	RescueAfter time.Duration
}

// timedWorker is a worker with its timeout capped.
type timedWorker[T river.JobArgs] struct {
	river.Worker[T]
	max time.Duration
}

func (w *timedWorker[T]) Timeout(job *river.Job[T]) time.Duration {
	if d := w.Worker.Timeout(job); d > 0 && d < w.max {
		return d
	}
	return w.max
}

func addWorker[T river.JobArgs](ws *river.Workers, w river.Worker[T], max time.Duration) {
	if max > 0 {
		w = &timedWorker[T]{Worker: w, max: max}
	}
	river.AddWorker(ws, w)
}

// ScanArgs is the periodic job that enqueues a poll of every due source.
// River inserts it on the elected leader only, so any number of workers
// scan once per interval between them.
type ScanArgs struct{}

// Kind implements river.JobArgs.
func (ScanArgs) Kind() string { return "collect_scan" }

type scanWorker struct {
	river.WorkerDefaults[ScanArgs]
	c *Collector
}

func (w *scanWorker) Work(ctx context.Context, _ *river.Job[ScanArgs]) error {
	n, err := w.c.EnqueueDue(ctx)
	if n > 0 {
		w.c.log.Debug("enqueued due sources", "polls", n)
	}
	return err
}

func (w *scanWorker) Timeout(*river.Job[ScanArgs]) time.Duration { return time.Minute }

// NewPostgres prepares a collector whose jobs live in a shared queue (the
// store's PostgreSQL database, beside its tables). Any number of processes
// on any number of machines may run one: River hands each job to one of
// them, elects a leader that schedules the periodic scan for due sources
// and rescues the jobs of a worker that died.
func NewPostgres(ctx context.Context, cfg Config, opt PostgresOptions) (*Collector, error) {
	if cfg.Store == nil || (opt.Work && (cfg.Fetch == nil || cfg.Processor == nil)) {
		return nil, errors.New("collect: Store is required, and Fetch and Processor to work jobs")
	}
	q := cfg.Store.JobQueue()
	if !q.Shared() {
		return nil, errors.New("collect: this store's job queue is not shared: use New")
	}
	if opt.RescueAfter <= 0 {
		opt.RescueAfter = 15 * time.Minute
		if opt.JobTimeout > 0 {
			opt.RescueAfter = min(opt.RescueAfter, opt.JobTimeout+5*time.Minute)
		}
	}
	c, err := newCollector(cfg)
	if err != nil {
		return nil, err
	}
	if err := q.Migrate(ctx); err != nil {
		return nil, fmt.Errorf("collect: %w", err)
	}
	rcfg := c.riverConfig()
	rcfg.JobTimeout = min(rcfg.JobTimeout, opt.RescueAfter/2)
	rcfg.RescueStuckJobsAfter = opt.RescueAfter
	// PostgreSQL wakes the workers with LISTEN/NOTIFY, so they may fetch
	// jobs as soon as they have room: River's default 100 ms pause between
	// fetches caps a process at Workers jobs per 100 ms.
	rcfg.FetchCooldown = 10 * time.Millisecond
	if opt.Work {
		workers := river.NewWorkers()
		addWorker(workers, river.Worker[PollArgs](&pollWorker{c: c}), opt.JobTimeout)
		addWorker(workers, river.Worker[FetchArgs](&fetchWorker{c: c}), opt.JobTimeout)
		addWorker(workers, river.Worker[ScanArgs](&scanWorker{c: c}), opt.JobTimeout)
		rcfg.Workers = workers
		rcfg.PeriodicJobs = []*river.PeriodicJob{river.NewPeriodicJob(
			river.PeriodicInterval(c.cfg.ScanEvery),
			func() (river.JobArgs, *river.InsertOpts) {
				return ScanArgs{}, &river.InsertOpts{Queue: queuePoll, MaxAttempts: 1,
					UniqueOpts: river.UniqueOpts{ByPeriod: c.cfg.ScanEvery}}
			},
			&river.PeriodicJobOpts{RunOnStart: true},
		)}
	} else {
		// An insert-only client: no queues, and no part in leader
		// election, so it never runs maintenance it has no workers for.
		rcfg.Queues = nil
		rcfg.LeaderElectionDisabled = true
	}
	rc, err := q.NewClient(rcfg)
	if err != nil {
		return nil, fmt.Errorf("collect: %w", err)
	}
	c.river = rc
	return c, nil
}

// newCollector applies cfg's defaults as New does for SQLite (keep the two
// in step); the caller adds the job client.
func newCollector(cfg Config) (*Collector, error) {
	if cfg.Log == nil {
		return nil, errors.New("collect: Log is required")
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 8
	}
	if cfg.ScanEvery <= 0 {
		cfg.ScanEvery = 15 * time.Second
	}
	if cfg.MaxItemsPerPoll <= 0 {
		cfg.MaxItemsPerPoll = 1000
	}
	if cfg.FetchPollInterval <= 0 {
		cfg.FetchPollInterval = time.Second
	}
	cfg.Policy = cfg.Policy.withDefaults()
	return &Collector{cfg: cfg, log: cfg.Log, rnd: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7)), now: time.Now}, nil
}

// riverConfig is River's configuration as New sets it for SQLite (keep
// the two in step); NewPostgres adjusts it for PostgreSQL.
func (c *Collector) riverConfig() *river.Config {
	return &river.Config{
		Logger: quietLogger(c.cfg.Log),
		Queues: map[string]river.QueueConfig{
			queuePoll:  {MaxWorkers: max(2, c.cfg.Workers/2)},
			queueFetch: {MaxWorkers: c.cfg.Workers},
		},
		JobTimeout:                  5 * time.Minute,
		CompletedJobRetentionPeriod: 7 * 24 * time.Hour,
		FetchPollInterval:           c.cfg.FetchPollInterval,
		FetchCooldown:               min(c.cfg.FetchPollInterval, 100*time.Millisecond),
		MaxAttempts:                 5,
	}
}

// Work runs this process's job workers until ctx ends, then stops them,
// letting jobs in flight finish for a few seconds (an interrupted job is
// rescued and run again by another worker).
func (c *Collector) Work(ctx context.Context) error {
	// Not ctx itself: cancelling Start's context would cancel the jobs in
	// flight instead of letting them finish.
	if err := c.river.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("collect: unable to start job workers: %w", err)
	}
	<-ctx.Done()
	return c.stop()
}

// ImportJobs enqueues collection jobs read from another queue (`newsdesk
// copy` moves the jobs a SQLite newsroom had not run yet). Jobs are unique
// by their arguments, so importing twice enqueues nothing new. It returns
// how many were enqueued and how many were of a kind it does not know
// (skipped).
func (c *Collector) ImportJobs(ctx context.Context, jobs []queue.Job) (enqueued, unknown int, err error) {
	params := make([]river.InsertManyParams, 0, len(jobs))
	for _, j := range jobs {
		var args river.JobArgs
		switch j.Kind {
		case FetchArgs{}.Kind():
			var a FetchArgs
			err = json.Unmarshal(j.Args, &a)
			args = a
		case PollArgs{}.Kind():
			var a PollArgs
			err = json.Unmarshal(j.Args, &a)
			args = a
		default:
			unknown++
			continue
		}
		if err != nil {
			return 0, unknown, fmt.Errorf("collect: job %s has bad arguments: %w", j.Kind, err)
		}
		params = append(params, river.InsertManyParams{Args: args})
	}
	for start := 0; start < len(params); start += 500 {
		res, err := c.river.InsertMany(ctx, params[start:min(len(params), start+500)])
		if err != nil {
			return enqueued, unknown, fmt.Errorf("collect: unable to enqueue jobs: %w", err)
		}
		for _, r := range res {
			if !r.UniqueSkippedAsDuplicate {
				enqueued++
			}
		}
	}
	return enqueued, unknown, nil
}
