package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/newsdesk/newsdesk/internal/testenv"
)

// PostgresDatabase creates an empty database on the server named by
// NEWSDESK_TEST_POSTGRES (.ci/postgres.sh starts one and exports it),
// drops it after the test, and returns its DSN. It skips the test when
// NEWSDESK_TEST_POSTGRES is not set. Tests outside internal/store use it
// instead of a driver of their own.
func PostgresDatabase(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("NEWSDESK_TEST_POSTGRES")
	if dsn == "" {
		testenv.Missing(t, "postgresql", "NEWSDESK_TEST_POSTGRES is not set (make test starts a server; or source .ci/postgres.sh)")
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect to NEWSDESK_TEST_POSTGRES: %v", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "newsdesk_t_" + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close(ctx)
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		admin.Close(context.Background())
	})
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path = "/" + name
		return u.String()
	}
	return dsn + " dbname=" + name
}
