package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/collect"
	"github.com/newsdesk/newsdesk/internal/ingest"
	"github.com/newsdesk/newsdesk/internal/store/postgres"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
	"github.com/newsdesk/newsdesk/internal/store/storecopy"
)

func runCopy(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("copy", "", "Copies every row of a SQLite database into a PostgreSQL one: articles, sources and\n"+
		"their collection state, views, and whatever later migrations add. Rows keep their\n"+
		"ids, so links and references stay valid. Running it again copies only what changed\n"+
		"(new rows are inserted, changed rows updated, equal rows left alone), so a running\n"+
		"newsroom moves with: copy; stop the SQLite process; copy again; start on PostgreSQL.\n"+
		"Rows deleted from the source after an earlier copy are not deleted from the target.\n"+
		"The target is migrated first; it must be empty or filled by earlier copies.")
	c := e.addCommon(fs)
	from := fs.String("from", "", "source database: a SQLite file (PATH or sqlite:PATH)")
	to := fs.String("to", "", "target database: postgres://...")
	batch := fs.Int("batch", 1000, "rows per write")
	asJSON := fs.Bool("json", false, "print the summary as JSON (last line of stdout)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if err := e.setupLog(c); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usagef("copy: unexpected arguments %q", fs.Args())
	case *from == "" || *to == "":
		return usagef("copy: give --from sqlite:PATH and --to postgres://...")
	case isPostgres(*from) || strings.Contains(*from, "://"):
		return usagef("copy: --from must be a SQLite file, not %q", *from)
	case !isPostgres(*to):
		return usagef("copy: --to must be postgres://..., not %q", *to)
	case *batch < 1:
		return usagef("copy: --batch must be at least 1")
	}
	start := time.Now()
	src, err := sqlite.Open(ctx, *from)
	if err != nil {
		return fmt.Errorf("copy: open source: %w", err)
	}
	defer src.Close()
	dst, err := postgres.Open(ctx, *to)
	if err != nil {
		return fmt.Errorf("copy: open target: %w", err)
	}
	defer dst.Close()
	sum, err := storecopy.Copy(ctx, src, dst, storecopy.Options{Batch: *batch, Log: e.log,
		Progress: func(table string, rows int) storecopy.Progress {
			return ingest.NewProgress(e.stderr, isTerminal(e.stderr), rows, "copy "+table)
		}})
	if err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	jobs, err := copyJobs(ctx, e, src, dst)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(map[string]any{"tables": sum, "jobs": jobs, "seconds": time.Since(start).Seconds()})
	}
	for _, t := range sum {
		fmt.Fprintf(e.stdout, "%-20s %8d rows: %d inserted, %d updated, %d unchanged\n", t.Table, t.Rows, t.Inserted, t.Updated, t.Unchanged)
	}
	fmt.Fprintf(e.stdout, "%-20s %8d queued: %d enqueued, %d already there, %d of unknown kinds skipped\n",
		"jobs", jobs.Queued, jobs.Enqueued, jobs.Queued-jobs.Enqueued-jobs.Unknown, jobs.Unknown)
	fmt.Fprintf(e.stdout, "copied in %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}

// copyJobs moves the collection jobs the SQLite queue has not finished
// (an article announced and marked seen, but not yet fetched, would
// otherwise never be fetched on the new database).
func copyJobs(ctx context.Context, e *env, src *sqlite.Store, dst *postgres.Store) (jobCopy, error) {
	var res jobCopy
	jobs, err := src.JobQueue().Unfinished(ctx)
	if err != nil {
		return res, fmt.Errorf("copy: %w", err)
	}
	res.Queued = len(jobs)
	if len(jobs) == 0 {
		return res, nil
	}
	c, err := collect.NewPostgres(ctx, collect.Config{Store: dst, Log: e.log}, collect.PostgresOptions{})
	if err != nil {
		return res, fmt.Errorf("copy: %w", err)
	}
	defer c.Close()
	res.Enqueued, res.Unknown, err = c.ImportJobs(ctx, jobs)
	if err != nil {
		return res, fmt.Errorf("copy: %w", err)
	}
	return res, nil
}

// jobCopy is what copy reports about the job queue.
type jobCopy struct {
	Queued   int `json:"queued"`   // unfinished jobs in the source
	Enqueued int `json:"enqueued"` // of which newly enqueued on the target
	Unknown  int `json:"unknown"`  // of kinds this build does not run
}
