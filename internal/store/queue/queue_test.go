package queue_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/riverqueue/river"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/postgres"
	"github.com/newsdesk/newsdesk/internal/store/queue"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

type testArgs struct {
	N int `json:"n"`
}

func (testArgs) Kind() string { return "queue_test" }

func openSQLite(t *testing.T) (*sqlite.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "q.db")
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func openPostgres(t *testing.T) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), storetest.PostgresDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// testEnqueue: on either database River's tables are made (twice is
// harmless), a client enqueues, and Unfinished reads the job back.
func testEnqueue(t *testing.T, st store.Store) {
	ctx := context.Background()
	q := st.JobQueue()
	if jobs, err := q.Unfinished(ctx); err != nil || len(jobs) != 0 {
		t.Fatalf("before River's tables exist: %v, %v; want none", jobs, err)
	}
	for range 2 {
		if err := q.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
	}
	c, err := q.NewClient(&river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for n := range 3 {
		if _, err := c.Insert(ctx, testArgs{N: n}, nil); err != nil {
			t.Fatal(err)
		}
	}
	jobs, err := q.Unfinished(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 3 || jobs[0].Kind != "queue_test" || string(jobs[2].Args) != `{"n": 2}` && string(jobs[2].Args) != `{"n":2}` {
		t.Errorf("unfinished jobs = %q", jobs)
	}
}

func TestSQLite(t *testing.T) {
	st, path := openSQLite(t)
	q := st.JobQueue()
	if q.Shared() {
		t.Error("a SQLite queue says it is shared")
	}
	testEnqueue(t, st)

	// One collector at a time: the lock is a file beside the database.
	lock, err := q.Lock()
	if err != nil || lock == nil {
		t.Fatalf("first lock: %v, %v", lock, err)
	}
	if _, err := st.JobQueue().Lock(); !errors.Is(err, queue.ErrLocked) {
		t.Errorf("second lock: %v, want ErrLocked", err)
	}
	if err := lock.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := q.Lock()
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	again.Close()
	if st.File() != path {
		t.Errorf("File() = %q, want %q", st.File(), path)
	}

	// Jobs a killed collector left running are made available again, of
	// the kinds asked for only.
	ctx := context.Background()
	if _, err := st.DB().ExecContext(ctx, `UPDATE river_job SET state = 'running'`); err != nil {
		t.Fatal(err)
	}
	if n, err := q.Reclaim(ctx, "other_kind"); err != nil || n != 0 {
		t.Errorf("reclaim of another kind = %d, %v; want 0", n, err)
	}
	if n, err := q.Reclaim(ctx, "other_kind", "queue_test"); err != nil || n != 3 {
		t.Errorf("reclaim = %d, %v; want 3", n, err)
	}
	var running int
	st.DB().QueryRowContext(ctx, `SELECT count(*) FROM river_job WHERE state = 'running'`).Scan(&running)
	if running != 0 {
		t.Errorf("%d jobs still running after reclaim", running)
	}
}

func TestPostgres(t *testing.T) {
	st := openPostgres(t)
	q := st.JobQueue()
	if !q.Shared() {
		t.Error("a PostgreSQL queue says it is not shared")
	}
	testEnqueue(t, st)
	// Many workers share the queue: there is no lock to take, and River's
	// rescuer, not Reclaim, recovers the jobs of a worker that died.
	if l, err := q.Lock(); l != nil || err != nil {
		t.Errorf("lock = %v, %v; want none", l, err)
	}
	if n, err := q.Reclaim(context.Background(), "queue_test"); n != 0 || err != nil {
		t.Errorf("reclaim = %d, %v; want nothing", n, err)
	}
	if st.File() != "" {
		t.Errorf("File() = %q, want none", st.File())
	}
}
