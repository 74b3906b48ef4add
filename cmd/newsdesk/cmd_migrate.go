package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
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
	list, err := migrations(ctx, c.db, *status)
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

// migrations applies the pending migrations (every store migrates on
// open) and lists them all; with statusOnly it only reads, so that nothing
// changes.
func migrations(ctx context.Context, dsn string, statusOnly bool) ([]migrationStatus, error) {
	var ms []store.Migration
	var err error
	switch {
	case statusOnly && isPostgres(dsn):
		var s *postgres.Store
		if s, err = postgres.Connect(ctx, dsn); err != nil {
			return nil, fmt.Errorf("open database: %w", err)
		}
		defer s.Close()
		ms, err = s.Migrations(ctx)
	case statusOnly:
		ms, err = sqlite.ReadMigrations(ctx, dsn)
	default:
		var st store.Store
		if st, err = openStore(ctx, dsn); err != nil {
			return nil, err
		}
		defer st.Close()
		ms, err = st.Migrations(ctx)
	}
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	out := make([]migrationStatus, len(ms))
	for i, m := range ms {
		out[i] = migrationStatus{Version: m.Version, Name: m.Name, AppliedAt: m.AppliedAt, Applied: !m.AppliedAt.IsZero()}
	}
	return out, nil
}
