// Package sqlite is the embedded store: one SQLite file in WAL mode, read
// and written through the pure-Go modernc.org/sqlite driver (no cgo).
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/queue"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the SQLite implementation of store.Store.
type Store struct {
	db   *sql.DB
	file string // the database file, "" in memory
}

var _ store.Store = (*Store)(nil)

// Open opens (creating if needed) the database file at path and brings its
// schema up to date. path may carry a "sqlite:" prefix.
func Open(ctx context.Context, path string) (*Store, error) {
	path = strings.TrimPrefix(path, "sqlite:")
	if path == "" {
		return nil, fmt.Errorf("sqlite: empty database path")
	}
	if err := checkDir(path); err != nil {
		return nil, err
	}
	q := url.Values{}
	// busy_timeout first: switching to WAL needs a lock another opener may
	// hold, and must wait for it rather than fail.
	for _, p := range []string{"busy_timeout(15000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	// Writers take the write lock when their transaction begins, so two
	// processes importing at once wait for each other instead of failing
	// half-way with SQLITE_BUSY.
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: unable to open %s: %w", path, err)
	}
	db.SetMaxOpenConns(8)
	s := &Store{db: db}
	// Switching a new file to WAL takes an exclusive lock without waiting
	// on the busy timeout, so two processes opening one new database at
	// once can see SQLITE_BUSY here: try again for a while.
	for wait := 10 * time.Millisecond; ; wait *= 2 {
		err = db.PingContext(ctx)
		if err == nil {
			err = s.migrate(ctx)
		}
		if err == nil {
			// The file as SQLite resolved it (absolute), "" in memory.
			err = db.QueryRowContext(ctx, `SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&s.file)
		}
		if err == nil {
			return s, nil
		}
		if !isBusy(err) || wait > 5*time.Second {
			db.Close()
			return nil, fmt.Errorf("sqlite: unable to open %s: %w", path, err)
		}
		select {
		case <-ctx.Done():
			db.Close()
			return nil, ctx.Err()
		case <-time.After(wait):
		}
	}
}

func isBusy(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "database is locked")
}

// DB exposes the handle to the packages under internal/store that work on
// the same file (storecopy).
func (s *Store) DB() *sql.DB { return s.db }

// JobQueue keeps the collector's jobs in this file, beside the articles:
// one backup holds both.
func (s *Store) JobQueue() *queue.DB { return queue.SQLite(s.db, s.file) }

// File is the database file, "" for a database in memory.
func (s *Store) File() string { return s.file }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// migrate applies, in order, every embedded migration not yet applied. Each
// runs in its own immediate transaction, so concurrent openers serialise.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("sqlite: unable to create schema_migrations: %w", err)
	}
	all, err := embedded()
	if err != nil {
		return err
	}
	for _, m := range all {
		body, err := migrations.ReadFile("migrations/" + m.Name)
		if err != nil {
			return err
		}
		if err := s.apply(ctx, m.Version, m.Name, string(body)); err != nil {
			return err
		}
	}
	return nil
}

func embedded() ([]store.Migration, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []store.Migration
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("sqlite: migration %s has no version number", base)
		}
		out = append(out, store.Migration{Version: v, Name: base})
	}
	return out, nil
}

// Migrations lists every embedded migration with the time it was applied
// (zero when pending), and any applied migration this build does not know.
func (s *Store) Migrations(ctx context.Context) ([]store.Migration, error) {
	return listMigrations(ctx, s.db)
}

// ReadMigrations lists the migrations of the database file at path as
// Migrations does, without changing the file (Open would migrate it).
func ReadMigrations(ctx context.Context, path string) ([]store.Migration, error) {
	path = strings.TrimPrefix(path, "sqlite:")
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("sqlite: %s has no schema yet (or cannot be read): %w", path, err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return nil, fmt.Errorf("sqlite: unable to open %s: %w", path, err)
	}
	defer db.Close()
	ms, err := listMigrations(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s has no schema yet (or cannot be read): %w", path, err)
	}
	return ms, nil
}

func listMigrations(ctx context.Context, db *sql.DB) ([]store.Migration, error) {
	all, err := embedded()
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT version, name, applied_at FROM schema_migrations ORDER BY version`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list migrations: %w", err)
	}
	defer rows.Close()
	byVersion := map[int]int{}
	for i, m := range all {
		byVersion[m.Version] = i
	}
	for rows.Next() {
		var m store.Migration
		var at int64
		if err := rows.Scan(&m.Version, &m.Name, &at); err != nil {
			return nil, fmt.Errorf("sqlite: list migrations: %w", err)
		}
		m.AppliedAt = time.UnixMilli(at).UTC()
		if i, ok := byVersion[m.Version]; ok {
			all[i].AppliedAt = m.AppliedAt
		} else {
			all = append(all, m)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list migrations: %w", err)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Version < all[j].Version })
	return all, nil
}

func (s *Store) apply(ctx context.Context, version int, name, body string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", name, err)
	}
	defer tx.Rollback()
	var done int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, version).Scan(&done); err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", name, err)
	}
	if done > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return fmt.Errorf("sqlite: migration %s failed: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		version, name, time.Now().UnixMilli()); err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", name, err)
	}
	return tx.Commit()
}

// Times are kept as Unix milliseconds; 0 means unknown.
func toMillis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// checkDir says plainly when a database file's directory is missing or is
// not a directory, where SQLite would only say "unable to open (14)".
func checkDir(path string) error {
	if strings.HasPrefix(path, ":memory:") || strings.HasPrefix(path, "file:") {
		return nil
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("sqlite: the directory %s for the database %s does not exist; create it first (mkdir -p %s) or choose another --db", dir, path, dir)
	case err != nil:
		return fmt.Errorf("sqlite: the directory of the database %s: %w", path, err)
	case !fi.IsDir():
		return fmt.Errorf("sqlite: %s is not a directory, so it can't hold the database %s", dir, path)
	}
	return nil
}
