// Package collect runs collection as durable jobs on River: a scheduler
// enqueues a poll job for each source that is due; a poll fetches the
// source (feed, sitemap, home page or single URL), records its state and
// enqueues one fetch job per article it has not announced before; a fetch
// job fetches the article and processes it (extract, then store). Jobs
// live in the database, so a crash loses nothing; unique jobs and the
// store's upsert by URL make sure nothing is stored twice.
package collect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/pipeline"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/queue"
)

// Config is what a collector needs.
type Config struct {
	// Store keeps the articles and, in its JobQueue, the jobs: on SQLite
	// jobs and articles share one file and one backup.
	Store     store.Store
	Fetch     *fetch.Client
	Processor *pipeline.Processor
	Log       *slog.Logger
	Policy    Policy
	// Workers is how many article fetches run at once (default 8); polls
	// run on a separate queue with Workers/2 (at least 2).
	Workers int
	// ScanEvery is how often Run looks for due sources. Default 15 s.
	ScanEvery time.Duration
	// MaxItemsPerPoll caps the articles one poll enqueues. Default 1000.
	MaxItemsPerPoll int
	// FetchPollInterval is how often River looks for new jobs; small in
	// tests and for --once. Default 1 s.
	FetchPollInterval time.Duration
	// HostMaxWait is how long an article job waits for its host's turn
	// before it snoozes, freeing its worker for other hosts. Default 5 s.
	HostMaxWait time.Duration
	// Hubs, when set, subscribes sources to the WebSub hubs polls find.
	Hubs HubSubscriber
	// OnArticle, when set, is told how long each article job took (fetch,
	// extract, store) and how it ended; for metrics and benchmarks.
	OnArticle func(d time.Duration, err error)
}

// HubSubscriber subscribes a source to a WebSub hub. The collector calls it
// when a poll finds a hub and the source has no live subscription.
type HubSubscriber interface {
	Subscribe(ctx context.Context, src *store.SourceRecord, hub, topic string) error
}

// Stats counts what a collector did.
type Stats struct {
	Polls, PollFailures, NotModified int64
	Enqueued                         int64
	Inserted, Updated, Unchanged     int64
	ArticleFailures                  int64
}

// Collector is a configured collector. Create it with New.
type Collector struct {
	cfg   Config
	river queue.Client
	log   *slog.Logger
	rnd   *rand.Rand
	rndMu sync.Mutex
	now   func() time.Time

	inflight atomic.Int64
	stats    struct {
		polls, pollFailures, notModified, enqueued    atomic.Int64
		inserted, updated, unchanged, articleFailures atomic.Int64
	}
	lock io.Closer
}

// Job queues.
const (
	queuePoll  = "poll"
	queueFetch = "fetch"
)

// New migrates River's tables and prepares a collector; Run or Once start
// it. The collector holds the store's collector lock while it lives (a
// SQLite file has one collector at a time), so jobs left "running" by a
// killed process are made available again at start instead of waiting for
// River's rescuer. A store whose queue is shared (PostgreSQL) takes
// NewPostgres.
func New(ctx context.Context, cfg Config) (*Collector, error) {
	if cfg.Store == nil || cfg.Fetch == nil || cfg.Processor == nil {
		return nil, errors.New("collect: Store, Fetch and Processor are required")
	}
	q := cfg.Store.JobQueue()
	if q.Shared() {
		return nil, errors.New("collect: this store's job queue is shared by many workers: use NewPostgres")
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
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
	if cfg.HostMaxWait <= 0 {
		cfg.HostMaxWait = 5 * time.Second
	}
	cfg.Policy = cfg.Policy.withDefaults()
	c := &Collector{cfg: cfg, log: cfg.Log, rnd: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7)), now: time.Now}
	lock, err := q.Lock()
	if err != nil {
		return nil, fmt.Errorf("collect: %w", err)
	}
	c.lock = lock
	if err := q.Migrate(ctx); err != nil {
		c.Close()
		return nil, fmt.Errorf("collect: %w", err)
	}
	if c.lock != nil {
		if err := c.reclaim(ctx, q); err != nil {
			c.Close()
			return nil, err
		}
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &pollWorker{c: c})
	river.AddWorker(workers, &fetchWorker{c: c})
	rc, err := q.NewClient(&river.Config{
		Logger: quietLogger(cfg.Log),
		Queues: map[string]river.QueueConfig{
			queuePoll:  {MaxWorkers: max(2, cfg.Workers/2)},
			queueFetch: {MaxWorkers: cfg.Workers},
		},
		Workers:                     workers,
		JobTimeout:                  5 * time.Minute,
		CompletedJobRetentionPeriod: 7 * 24 * time.Hour,
		FetchPollInterval:           cfg.FetchPollInterval,
		FetchCooldown:               min(cfg.FetchPollInterval, 50*time.Millisecond), // fetch again soon after jobs end
		MaxAttempts:                 5,
	})
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("collect: %w", err)
	}
	c.river = rc
	return c, nil
}

// quietLogger keeps River's own logs at warnings and above.
func quietLogger(l *slog.Logger) *slog.Logger {
	return slog.New(levelFloor{l.Handler(), slog.LevelWarn})
}

type levelFloor struct {
	slog.Handler
	min slog.Level
}

func (h levelFloor) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

// reclaim makes jobs that a killed collector left "running" available
// again. Only called while holding the lock, i.e. when no other collector
// can be running them.
func (c *Collector) reclaim(ctx context.Context, q *queue.DB) error {
	n, err := q.Reclaim(ctx, PollArgs{}.Kind(), FetchArgs{}.Kind())
	if err != nil {
		return fmt.Errorf("collect: %w", err)
	}
	if n > 0 {
		c.log.Info("reclaimed jobs interrupted by a crash", "jobs", n)
	}
	return nil
}

// Close releases the lock; call it after Run or Once returns.
func (c *Collector) Close() error {
	if c.lock != nil {
		err := c.lock.Close()
		c.lock = nil
		return err
	}
	return nil
}

// Stats returns the counters so far.
func (c *Collector) Stats() Stats {
	return Stats{
		Polls: c.stats.polls.Load(), PollFailures: c.stats.pollFailures.Load(), NotModified: c.stats.notModified.Load(),
		Enqueued: c.stats.enqueued.Load(), Inserted: c.stats.inserted.Load(), Updated: c.stats.updated.Load(),
		Unchanged: c.stats.unchanged.Load(), ArticleFailures: c.stats.articleFailures.Load(),
	}
}

// EnqueueDue inserts a poll job for every source due now. A source whose
// poll job is still pending or running is skipped (unique jobs).
func (c *Collector) EnqueueDue(ctx context.Context) (int, error) {
	due, err := c.cfg.Store.DueSources(ctx, c.now(), 10_000)
	if err != nil {
		return 0, fmt.Errorf("collect: %w", err)
	}
	if len(due) == 0 {
		return 0, nil
	}
	params := make([]river.InsertManyParams, 0, len(due))
	for _, s := range due {
		params = append(params, river.InsertManyParams{Args: PollArgs{SourceID: s.ID}})
	}
	res, err := c.river.InsertMany(ctx, params)
	if err != nil {
		return 0, fmt.Errorf("collect: unable to enqueue polls: %w", err)
	}
	n := 0
	for _, r := range res {
		if !r.UniqueSkippedAsDuplicate {
			n++
		}
	}
	return n, nil
}

// PollNow enqueues a poll of one source now, whatever its schedule.
func (c *Collector) PollNow(ctx context.Context, sourceID int64) error {
	_, err := c.river.Insert(ctx, PollArgs{SourceID: sourceID}, nil)
	return err
}

// Run collects until ctx ends: it starts the job workers and enqueues due
// sources every ScanEvery.
func (c *Collector) Run(ctx context.Context) error {
	if err := c.river.Start(ctx); err != nil {
		return fmt.Errorf("collect: unable to start job workers: %w", err)
	}
	t := time.NewTicker(c.cfg.ScanEvery)
	defer t.Stop()
	for {
		if _, err := c.EnqueueDue(ctx); err != nil && ctx.Err() == nil {
			c.log.Error("unable to enqueue due sources", "err", err)
		}
		select {
		case <-ctx.Done():
			return c.stop()
		case <-t.C:
		}
	}
}

func (c *Collector) stop() error {
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.river.Stop(sctx); err != nil {
		hctx, hcancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer hcancel()
		return c.river.StopAndCancel(hctx)
	}
	return nil
}

// Once polls every source due now, fetches and processes every article
// those polls found, and returns when no job is left to run now. Jobs
// waiting on a retry backoff stay queued for the next run.
func (c *Collector) Once(ctx context.Context) (Stats, error) {
	if _, err := c.EnqueueDue(ctx); err != nil {
		return c.Stats(), err
	}
	return c.drain(ctx)
}

// OnceFor polls the given sources now, whatever their schedule or backoff,
// and returns as Once does: when no job is left to run now (jobs already
// queued for other sources run too).
func (c *Collector) OnceFor(ctx context.Context, sourceIDs []int64) (Stats, error) {
	for _, id := range sourceIDs {
		if err := c.PollNow(ctx, id); err != nil {
			return c.Stats(), fmt.Errorf("collect: unable to enqueue a poll of source %d: %w", id, err)
		}
	}
	return c.drain(ctx)
}

// drain starts the job workers and returns when no job is left to run now.
func (c *Collector) drain(ctx context.Context) (Stats, error) {
	if err := c.river.Start(ctx); err != nil {
		return c.Stats(), fmt.Errorf("collect: unable to start job workers: %w", err)
	}
	idle := 0
	t := time.NewTicker(25 * time.Millisecond)
	defer t.Stop()
	for idle < 3 {
		select {
		case <-ctx.Done():
			c.stop()
			return c.Stats(), ctx.Err()
		case <-t.C:
		}
		busy, err := c.busy(ctx)
		if err != nil {
			c.stop()
			return c.Stats(), err
		}
		if busy {
			idle = 0
		} else {
			idle++
		}
	}
	return c.Stats(), c.stop()
}

// busy reports whether a job of ours is running in this process, is
// available to run now, or was snoozed (waiting for its host's turn, or a
// Retry-After) until within onceHorizon. Retries after errors are not
// waited for.
func (c *Collector) busy(ctx context.Context) (bool, error) {
	if c.inflight.Load() > 0 {
		return true, nil
	}
	// Snoozed jobs are "available" or "scheduled" with a future
	// scheduled_at, depending on how short the snooze is. A job whose
	// worker returned stays "running" until River's completer records
	// the outcome, which may come after our in-flight count dropped.
	res, err := c.river.JobList(ctx, river.NewJobListParams().
		States(rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateScheduled, rivertype.JobStateRunning).
		Kinds(PollArgs{}.Kind(), FetchArgs{}.Kind()).
		OrderBy(river.JobListOrderByScheduledAt, river.SortOrderAsc).First(1))
	if err != nil {
		return false, fmt.Errorf("collect: unable to list jobs: %w", err)
	}
	if len(res.Jobs) > 0 && res.Jobs[0].ScheduledAt.Before(time.Now().Add(onceHorizon)) {
		return true, nil
	}
	return c.inflight.Load() > 0, nil
}

// onceHorizon: Once waits for snoozed jobs due again within it; jobs
// further off stay queued for the next run.
const onceHorizon = 90 * time.Second

func (c *Collector) random() *rand.Rand {
	// rand.Rand is not safe for concurrent use; callers hold rndMu briefly.
	return c.rnd
}

// Run is a convenience for serve: it builds a collector from cfg and runs
// it until ctx ends.
func Run(ctx context.Context, cfg Config) error {
	c, err := New(ctx, cfg)
	if err != nil {
		return err
	}
	defer c.Close()
	return c.Run(ctx)
}
