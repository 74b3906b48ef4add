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
