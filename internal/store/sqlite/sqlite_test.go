package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

func openTest(t *testing.T) store.Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) { storetest.Run(t, openTest) }

func TestMigrateIsIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	for range 2 {
		s, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := s.DB().QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n == 0 {
			t.Fatalf("migrations recorded: %d, %v", n, err)
		}
		s.Close()
	}
}

func TestFTSQuery(t *testing.T) {
	tests := map[string]string{
		`caravan migrants`: `{title text trans}: ("caravan" "migrants"*)`,
		`NEAR(border`:      `{title text trans}: ("NEAR" "border"*)`,
		`"`:                ``,
		`a OR b`:           `{title text trans}: ("a" "OR" "b")`,
		`López`:            `{title text trans}: ("López"*)`,
		`tax`:              `{title text trans}: ("tax"*)`,
		`covid 19`:         `{title text trans}: ("covid" "19")`,
	}
	for in, want := range tests {
		if got := ftsQuery(in); got != want {
			t.Errorf("ftsQuery(%q) = %q, want %q", in, got, want)
		}
	}
}
