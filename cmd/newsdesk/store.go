package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
)

// storeOpeners open a store by the scheme of --db. A path (or sqlite:PATH)
// is SQLite; other backends register their scheme in their own file.
var storeOpeners = map[string]func(ctx context.Context, dsn string) (store.Store, error){
	"sqlite": func(ctx context.Context, dsn string) (store.Store, error) { return sqlite.Open(ctx, dsn) },
}

func openStore(ctx context.Context, dsn string) (store.Store, error) {
	scheme := "sqlite"
	if i := strings.Index(dsn, "://"); i > 0 {
		scheme = dsn[:i]
	} else if strings.HasPrefix(dsn, "sqlite:") {
		scheme = "sqlite"
	}
	if scheme == "postgresql" {
		scheme = "postgres"
	}
	open, ok := storeOpeners[scheme]
	if !ok {
		return nil, usagef("--db %q: unsupported database scheme %q (use a file path for SQLite, or postgres://...)", dsn, scheme)
	}
	s, err := open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return s, nil
}
