package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/postgres"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
)

// openStore opens the store --db names: a file path (or sqlite:PATH) is
// SQLite, postgres:// (or postgresql://) PostgreSQL.
func openStore(ctx context.Context, dsn string) (store.Store, error) {
	scheme := "sqlite"
	if i := strings.Index(dsn, "://"); i > 0 {
		scheme = dsn[:i]
	}
	var s store.Store
	var err error
	switch scheme {
	case "sqlite":
		s, err = sqlite.Open(ctx, dsn)
	case "postgres", "postgresql":
		s, err = postgres.Open(ctx, dsn)
	default:
		return nil, usagef("--db %q: unsupported database scheme %q (use a file path for SQLite, or postgres://...)", dsn, scheme)
	}
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return s, nil
}
