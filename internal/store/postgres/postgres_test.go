package postgres

import (
	"context"
	"net/url"
	"os"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testenv"
)

// testDSN is the server the tests use: .ci/postgres.sh starts one and
// exports it. Each test gets a database of its own on that server.
func testDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("NEWSDESK_TEST_POSTGRES")
	if dsn == "" {
		testenv.Missing(t, "postgresql", "NEWSDESK_TEST_POSTGRES is not set (make test starts a server; or source .ci/postgres.sh)")
	}
	return dsn
}

// freshDatabase creates an empty database for one test, drops it after,
// and returns its DSN.
func freshDatabase(t testing.TB) string {
	t.Helper()
	return storetest.PostgresDatabase(t)
}

func openTest(t *testing.T) store.Store {
	t.Helper()
	s, err := Open(context.Background(), freshDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) { storetest.Run(t, openTest) }

func TestMigrateIsIdempotentAndConcurrent(t *testing.T) {
	dsn := freshDatabase(t)
	ctx := context.Background()
	errs := make(chan error, 3)
	for range 3 {
		go func() {
			s, err := Open(ctx, dsn)
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ms, err := s.Migrations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.AppliedAt.IsZero() {
			t.Errorf("migration %s not applied", m.Name)
		}
	}
	if again, err := s.Migrate(ctx); err != nil || len(again) != 0 {
		t.Errorf("second migrate applied %v, %v; want nothing", again, err)
	}
}

func TestTSQuery(t *testing.T) {
	tests := map[string][2]string{
		`caravan migrants`: {`'caravan'`, `'migrants'`},
		`NEAR(border`:      {`'NEAR'`, `'border'`},
		`"`:                {``, ``},
		`a | b & !c`:       {`'a' & 'b' & 'c'`, ``},
		`López`:            {``, `'López'`},
		`it's <-> x:*`:     {`'it' & 's' & 'x'`, ``},
	}
	for in, want := range tests {
		if w, p := tsQuery(in); w != want[0] || p != want[1] {
			t.Errorf("tsQuery(%q) = %q, %q; want %q, %q", in, w, p, want[0], want[1])
		}
	}
}

// withDatabase returns dsn pointing at database name instead of old.
func withDatabase(dsn, old, name string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path = "/" + name
		return u.String()
	}
	return dsn + " dbname=" + name
}

// TestSearchTranslationDeleted: a translation is searched in its own
// language (an English stem finds it), its snippet comes from it when
// only it matches, and deleting it, or its article, takes its words out
// of the index.
func TestSearchTranslationDeleted(t *testing.T) {
	ctx := context.Background()
	s := openTest(t).(*Store)
	a, b := storetest.TwoTranslated(t, s)
	search := func(q string) []store.SearchHit {
		t.Helper()
		hits, _, err := s.Search(ctx, store.SearchQuery{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		return hits
	}
	hits := search("deputy votes")
	if len(hits) != 1 || hits[0].Article.ID != a.ID {
		t.Fatalf("English stems in the translation: %+v", hits)
	}
	if h := hits[0]; len(h.Marks) != 2 || h.Snippet[h.Marks[0][0]:h.Marks[0][1]] != "deputies" {
		t.Errorf("snippet from the translation: %q %v", hits[0].Snippet, hits[0].Marks)
	}
	if _, err := s.Pool().Exec(ctx, `DELETE FROM article_translations WHERE article_id = $1`, a.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(search("deputies")); n != 0 {
		t.Errorf("deleted translation still found: %d", n)
	}
	if n := len(search("diputados")); n != 1 {
		t.Errorf("original after its translation was deleted: %d", n)
	}
	if _, err := s.Pool().Exec(ctx, `DELETE FROM articles WHERE id = $1`, b.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(search("rains")); n != 0 {
		t.Errorf("deleted article found through its translation: %d", n)
	}
}
