// Package queue keeps River's job tables in a store's own database: beside
// the articles in the SQLite file (riversqlite), or in the PostgreSQL
// database that any number of workers share (riverpgxv5). It is the only
// place that knows River's drivers; a backend hands out its database as a
// *DB (store.Store's JobQueue), and the collector asks it for a client.
package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
)

// Client is what a collector needs of its River client, whichever
// database keeps the jobs (River's clients differ only in their
// transaction type, which the collector never uses).
type Client interface {
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	InsertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
	JobList(ctx context.Context, params *river.JobListParams) (*river.JobListResult, error)
}

// Job is a job as the queue stores it: its River kind and its encoded
// arguments.
type Job struct {
	Kind string
	Args []byte
}

// DB is a store's database as the home of a job queue. The backends make
// one with SQLite or Postgres.
type DB struct {
	db   *sql.DB
	file string // the SQLite file, "" when in memory
	pool *pgxpool.Pool
}

// SQLite is a queue in a SQLite database; file is the database's file
// ("" for one in memory), beside which the collector lock is kept.
func SQLite(db *sql.DB, file string) *DB { return &DB{db: db, file: file} }

// Postgres is a queue in a PostgreSQL database.
func Postgres(pool *pgxpool.Pool) *DB { return &DB{pool: pool} }

// Shared reports whether any number of processes, on any number of
// machines, may work the queue at once (PostgreSQL). A queue that is not
// shared is worked by one collector at a time, which holds Lock.
func (d *DB) Shared() bool { return d.pool != nil }

// riverMigrationLock serialises River's migrations when several workers
// start together (River's migrator does not lock on its own).
const riverMigrationLock = 0x72697665_72000001

// Migrate creates or updates River's tables.
func (d *DB) Migrate(ctx context.Context) error {
	if d.pool == nil {
		mig, err := rivermigrate.New(riversqlite.New(d.db), nil)
		if err != nil {
			return migrated(err)
		}
		_, err = mig.Migrate(ctx, rivermigrate.DirectionUp, nil)
		return migrated(err)
	}
	conn, err := d.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("queue: unable to migrate job queue: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(riverMigrationLock)); err != nil {
		return fmt.Errorf("queue: unable to migrate job queue: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(riverMigrationLock))
	mig, err := rivermigrate.New(riverpgxv5.New(d.pool), nil)
	if err != nil {
		return migrated(err)
	}
	_, err = mig.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return migrated(err)
}

func migrated(err error) error {
	if err != nil {
		return fmt.Errorf("queue: unable to migrate job queue: %w", err)
	}
	return nil
}

// NewClient returns a River client on the database, configured by cfg;
// call Migrate first.
func (d *DB) NewClient(cfg *river.Config) (Client, error) {
	var c Client
	var err error
	if d.pool == nil {
		c, err = river.NewClient(riversqlite.New(d.db), cfg)
	} else {
		c, err = river.NewClient(riverpgxv5.New(d.pool), cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("queue: unable to create job client: %w", err)
	}
	return c, nil
}

// ErrLocked is returned by Lock when another collector holds the lock.
var ErrLocked = errors.New("queue: another collector is running on this database")

// Lock takes the collector lock of a queue that is not shared: an
// exclusive lock on a file beside the database (DB.collect.lock), held
// until the returned Closer is closed. Holding it proves that no other
// collector works the queue, so jobs left "running" by a killed process
// may be reclaimed. A shared queue, or a database in memory, has no lock:
// Lock returns a nil Closer.
func (d *DB) Lock() (io.Closer, error) {
	if d.Shared() || d.file == "" {
		return nil, nil
	}
	path := d.file + ".collect.lock"
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("queue: unable to open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("%w (%s is locked)", ErrLocked, path)
	}
	return f, nil
}

// Reclaim makes jobs of these kinds that a killed collector left
// "running" available again, and returns how many. Call it only while
// holding Lock; on a shared queue River's rescuer does this and Reclaim
// does nothing.
func (d *DB) Reclaim(ctx context.Context, kinds ...string) (int64, error) {
	if d.Shared() || len(kinds) == 0 {
		return 0, nil
	}
	args := make([]any, len(kinds))
	marks := "?"
	for i, k := range kinds {
		args[i] = k
		if i > 0 {
			marks += ", ?"
		}
	}
	res, err := d.db.ExecContext(ctx, `UPDATE river_job SET state = 'available'
		WHERE state = 'running' AND kind IN (`+marks+`)`, args...)
	if err != nil {
		return 0, fmt.Errorf("queue: unable to reclaim interrupted jobs: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// Unfinished returns the jobs not run to their end yet (available,
// pending, retryable, running or scheduled), oldest first; none when the
// queue's tables do not exist.
func (d *DB) Unfinished(ctx context.Context) ([]Job, error) {
	const states = `state IN ('available', 'pending', 'retryable', 'running', 'scheduled') ORDER BY id`
	var jobs []Job
	if d.pool != nil {
		var n int
		if err := d.pool.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE tablename = 'river_job' AND schemaname = current_schema()`).Scan(&n); err != nil {
			return nil, fmt.Errorf("queue: read queued jobs: %w", err)
		}
		if n == 0 {
			return nil, nil
		}
		rows, err := d.pool.Query(ctx, `SELECT kind, args::text FROM river_job WHERE `+states)
		if err != nil {
			return nil, fmt.Errorf("queue: read queued jobs: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var j Job
			var args string
			if err := rows.Scan(&j.Kind, &args); err != nil {
				return nil, fmt.Errorf("queue: read queued jobs: %w", err)
			}
			j.Args = []byte(args)
			jobs = append(jobs, j)
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("queue: read queued jobs: %w", err)
		}
		return jobs, nil
	}
	var n int
	if err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'river_job'`).Scan(&n); err != nil {
		return nil, fmt.Errorf("queue: read queued jobs: %w", err)
	}
	if n == 0 {
		return nil, nil
	}
	rows, err := d.db.QueryContext(ctx, `SELECT kind, json(args) FROM river_job WHERE `+states)
	if err != nil {
		return nil, fmt.Errorf("queue: read queued jobs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var j Job
		if err := rows.Scan(&j.Kind, &j.Args); err != nil {
			return nil, fmt.Errorf("queue: read queued jobs: %w", err)
		}
		jobs = append(jobs, j)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("queue: read queued jobs: %w", err)
	}
	return jobs, nil
}
