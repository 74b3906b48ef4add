// Package postgres is the store for many machines: PostgreSQL through pgx,
// with the same schema (same tables, columns and units) as store/sqlite so
// that both give the same answers and `newsdesk copy` moves rows unchanged.
// Full-text search uses a weighted tsvector (title A, body B) in the
// article's own language, behind a GIN index.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/queue"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the PostgreSQL implementation of store.Store.
type Store struct {
	pool *pgxpool.Pool
}

var _ store.Store = (*Store)(nil)

// migrationLock is the advisory lock key that serialises migrations when
// several processes start at once ("newsdesk" in ASCII).
const migrationLock = 0x6e657773_6465736b

// Open connects to the database named by dsn (postgres://... or
// postgresql://..., any libpq keyword/value string) and brings its schema
// up to date.
func Open(ctx context.Context, dsn string) (*Store, error) {
	s, err := Connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Connect connects without touching the schema.
func Connect(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: bad connection string: %w", err)
	}
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "newsdesk"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: unable to connect to %s: %w", redact(cfg), err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: unable to connect to %s: %w", redact(cfg), err)
	}
	return &Store{pool: pool}, nil
}

func redact(cfg *pgxpool.Config) string {
	c := cfg.ConnConfig
	return fmt.Sprintf("%s@%s:%d/%s", c.User, c.Host, c.Port, c.Database)
}

// Pool exposes the connection pool to the packages under internal/store
// that work on the same database (storecopy).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// JobQueue keeps the collector's jobs in this database, shared by every
// worker.
func (s *Store) JobQueue() *queue.DB { return queue.Postgres(s.pool) }

// File is "": the database lives on a server.
func (s *Store) File() string { return "" }

// Close closes every connection.
func (s *Store) Close() error {
	s.pool.Close()
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
			return nil, fmt.Errorf("postgres: migration %s has no version number", base)
		}
		out = append(out, store.Migration{Version: v, Name: base})
	}
	return out, nil
}

// Migrate applies, in order, every embedded migration not yet applied, each
// in its own transaction under an advisory lock, so that processes starting
// together apply each migration once. It returns the migrations it applied.
func (s *Store) Migrate(ctx context.Context) ([]store.Migration, error) {
	all, err := embedded()
	if err != nil {
		return nil, err
	}
	if _, err := s.pool.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)`); err != nil {
		// Two processes racing on CREATE TABLE IF NOT EXISTS can collide on
		// the catalog; the loser finds the table on the next look.
		if _, err2 := s.pool.Exec(ctx, `SELECT 1 FROM schema_migrations LIMIT 1`); err2 != nil {
			return nil, fmt.Errorf("postgres: unable to create schema_migrations: %w", err)
		}
	}
	var applied []store.Migration
	for _, m := range all {
		body, err := migrations.ReadFile("migrations/" + m.Name)
		if err != nil {
			return nil, err
		}
		done, err := s.apply(ctx, m, string(body))
		if err != nil {
			return applied, err
		}
		if done {
			applied = append(applied, m)
		}
	}
	return applied, nil
}

func (s *Store) apply(ctx context.Context, m store.Migration, body string) (bool, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return false, fmt.Errorf("postgres: migration %s: %w", m.Name, err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
		return false, fmt.Errorf("postgres: migration %s: %w", m.Name, err)
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, m.Version).Scan(&n); err != nil {
		return false, fmt.Errorf("postgres: migration %s: %w", m.Name, err)
	}
	if n > 0 {
		return false, nil
	}
	// The simple protocol runs a multi-statement body in one round trip.
	if _, err := tx.Exec(ctx, body, pgx.QueryExecModeSimpleProtocol); err != nil {
		return false, fmt.Errorf("postgres: migration %s failed: %w", m.Name, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
		m.Version, m.Name, time.Now().UnixMilli()); err != nil {
		return false, fmt.Errorf("postgres: migration %s: %w", m.Name, err)
	}
	return true, tx.Commit(ctx)
}

// Migrations lists every embedded migration with the time it was applied
// (zero when pending), and any applied migration this binary does not know
// (a newer binary ran first).
func (s *Store) Migrations(ctx context.Context) ([]store.Migration, error) {
	all, err := embedded()
	if err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT version, name, applied_at FROM schema_migrations ORDER BY version`)
	if err != nil {
		var n int
		if s.pool.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE tablename = 'schema_migrations'`).Scan(&n) == nil && n == 0 {
			return all, nil
		}
		return nil, fmt.Errorf("postgres: list migrations: %w", err)
	}
	byVersion := map[int]int{}
	for i, m := range all {
		byVersion[m.Version] = i
	}
	for rows.Next() {
		var m store.Migration
		var at int64
		if err := rows.Scan(&m.Version, &m.Name, &at); err != nil {
			rows.Close()
			return nil, fmt.Errorf("postgres: list migrations: %w", err)
		}
		m.AppliedAt = fromMillis(at)
		if i, ok := byVersion[m.Version]; ok {
			all[i].AppliedAt = m.AppliedAt
		} else {
			all = append(all, m)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list migrations: %w", err)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Version < all[j].Version })
	return all, nil
}

// isUniqueViolation reports a unique-constraint conflict (SQLSTATE 23505).
func isUniqueViolation(err error) bool {
	var pe interface{ SQLState() string }
	return errors.As(err, &pe) && pe.SQLState() == "23505"
}

// Times are kept as Unix milliseconds, as in SQLite; 0 means unknown.
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
