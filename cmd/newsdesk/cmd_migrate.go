package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/store/postgres"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
)

// migrationStatus is one line of `migrate` output.
type migrationStatus struct {
	Version   int       `json:"version"`
	Name      string    `json:"name"`
	AppliedAt time.Time `json:"applied_at,omitzero"`
	Applied   bool      `json:"applied"`
}

func runMigrate(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("migrate", "", "Applies every schema migration this build knows and the database lacks, then lists\n"+
		"them. Safe to run again and from several machines at once (migrations are applied\n"+
		"once, under a lock). Every other command also migrates on start; this one lets a\n"+
		"deployment do it as a separate step, before starting workers and web servers.")
	c := e.addCommon(fs)
	status := fs.Bool("status", false, "only list the migrations and whether each is applied; change nothing")
	asJSON := fs.Bool("json", false, "print the result as JSON (last line of stdout)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if err := e.setupLog(c); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("migrate: unexpected arguments %q", fs.Args())
	}
	var list []migrationStatus
	var err error
	if isPostgres(c.db) {
		list, err = migratePostgres(ctx, c.db, *status)
	} else {
		list, err = migrateSQLite(ctx, c.db, *status)
	}
	if err != nil {
		return err
	}
	pending := 0
	for _, m := range list {
		if !m.Applied {
			pending++
		}
	}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(map[string]any{"migrations": list, "pending": pending})
	}
	for _, m := range list {
		state := "pending"
		if m.Applied {
			state = "applied " + m.AppliedAt.Format(time.RFC3339)
		}
		fmt.Fprintf(e.stdout, "%04d %-28s %s\n", m.Version, m.Name, state)
	}
	if pending > 0 {
		fmt.Fprintf(e.stdout, "%d migration(s) pending\n", pending)
	} else {
		fmt.Fprintln(e.stdout, "schema up to date")
	}
	return nil
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

func migratePostgres(ctx context.Context, dsn string, statusOnly bool) ([]migrationStatus, error) {
	s, err := postgres.Connect(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	defer s.Close()
	if !statusOnly {
		if _, err := s.Migrate(ctx); err != nil {
			return nil, err
		}
	}
	ms, err := s.Migrations(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]migrationStatus, len(ms))
	for i, m := range ms {
		out[i] = migrationStatus{Version: m.Version, Name: m.Name, AppliedAt: m.AppliedAt, Applied: !m.AppliedAt.IsZero()}
	}
	return out, nil
}

// migrateSQLite opens the file through the SQLite store, which migrates on
// open; with statusOnly it reads the file without the store, so that
// nothing changes.
func migrateSQLite(ctx context.Context, dsn string, statusOnly bool) ([]migrationStatus, error) {
	path := strings.TrimPrefix(dsn, "sqlite:")
	var db *sql.DB
	if statusOnly {
		var err error
		if db, err = sql.Open("sqlite", "file:"+path+"?mode=ro"); err != nil {
			return nil, fmt.Errorf("open database: %w", err)
		}
		defer db.Close()
	} else {
		s, err := sqlite.Open(ctx, dsn)
		if err != nil {
			return nil, fmt.Errorf("open database: %w", err)
		}
		defer s.Close()
		db = s.DB()
	}
	rows, err := db.QueryContext(ctx, `SELECT version, name, applied_at FROM schema_migrations ORDER BY version`)
	if err != nil {
		if statusOnly {
			return nil, fmt.Errorf("migrate: %s has no schema yet (or cannot be read): %w", path, err)
		}
		return nil, fmt.Errorf("migrate: %w", err)
	}
	defer rows.Close()
	var out []migrationStatus
	for rows.Next() {
		var m migrationStatus
		var at int64
		if err := rows.Scan(&m.Version, &m.Name, &at); err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
		m.AppliedAt, m.Applied = time.UnixMilli(at).UTC(), true
		out = append(out, m)
	}
	return out, rows.Err()
}
