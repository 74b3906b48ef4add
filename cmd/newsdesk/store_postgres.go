package main

import (
	"context"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/postgres"
)

func init() {
	storeOpeners["postgres"] = func(ctx context.Context, dsn string) (store.Store, error) {
		s, err := postgres.Open(ctx, dsn)
		if err != nil {
			return nil, err
		}
		st, err := s.AsStore()
		if err != nil {
			s.Close()
			return nil, err
		}
		return st, nil
	}
}
