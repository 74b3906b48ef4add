package main

import (
	"context"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/postgres"
)

func init() {
	storeOpeners["postgres"] = func(ctx context.Context, dsn string) (store.Store, error) {
		return postgres.Open(ctx, dsn)
	}
}
