package sqlite

import (
	"context"
	"os"
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

func TestReadMigrationsChangesNothing(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "r.db")
	if _, err := ReadMigrations(ctx, path); err == nil {
		t.Fatal("migrations of a missing file: no error")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("reading the migrations of a missing file created it: %v", err)
	}
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// One migration undone: ReadMigrations lists it as pending and leaves
	// it so; Migrations after Open would have applied it.
	if _, err := s.DB().ExecContext(ctx, `DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)`); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		ms, err := ReadMigrations(ctx, "sqlite:"+path)
		if err != nil {
			t.Fatal(err)
		}
		pending := 0
		for _, m := range ms {
			if m.AppliedAt.IsZero() {
				pending++
			}
		}
		if len(ms) < 2 || pending != 1 || !ms[len(ms)-1].AppliedAt.IsZero() {
			t.Fatalf("migrations read = %+v; want the last one pending", ms)
		}
	}
}

// TestSearchTranslationDeleted: deleting a translation, or its article,
// takes its words out of the index, and the index stays consistent with
// its content (FTS5's integrity-check compares the two).
func TestSearchTranslationDeleted(t *testing.T) {
	ctx := context.Background()
	s := openTest(t).(*Store)
	a, b := storetest.TwoTranslated(t, s)
	total := func(q string) int {
		t.Helper()
		_, n, err := s.Search(ctx, store.SearchQuery{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	check := func() {
		t.Helper()
		if _, err := s.DB().Exec(`INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
			t.Fatalf("index differs from its content: %v", err)
		}
	}
	if total("deputies") != 1 || total("rains") != 1 {
		t.Fatal("translations not searched")
	}
	check()
	if _, err := s.DB().Exec(`DELETE FROM article_translations WHERE article_id = ?`, a.ID); err != nil {
		t.Fatal(err)
	}
	if n := total("deputies"); n != 0 {
		t.Errorf("deleted translation still found: %d", n)
	}
	if n := total("diputados"); n != 1 {
		t.Errorf("original after its translation was deleted: %d", n)
	}
	check()
	if _, err := s.DB().Exec(`DELETE FROM articles WHERE id = ?`, b.ID); err != nil {
		t.Fatal(err)
	}
	if n := total("rains"); n != 0 {
		t.Errorf("deleted article found through its translation: %d", n)
	}
	check()
}
