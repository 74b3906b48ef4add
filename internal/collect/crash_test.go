package collect

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/fetch/sampleweb"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
)

// TestCrashChild is the collector the crash test kills; it runs only when
// re-executed by TestKillMidPoll.
func TestCrashChild(t *testing.T) {
	db := os.Getenv("NEWSDESK_CRASH_DB")
	if db == "" {
		t.Skip("run by TestKillMidPoll")
	}
	r := newRig(t, db, fetch.Config{})
	defer r.close()
	r.c.Once(context.Background())
	t.Fatal("the child should have been killed before it finished")
}

// TestKillMidPoll kills a collector with SIGKILL while it is fetching,
// restarts collection on the same database, and checks that every
// article is stored exactly once.
func TestKillMidPoll(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	const n = 40
	o := sampleweb.NewOutlet("Crash Courier", n)
	defer o.Server.Close()
	o.Delay = 25 * time.Millisecond
	db := filepath.Join(t.TempDir(), "crash.db")
	ctx := context.Background()

	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	setup := &rig{st: st}
	src := setup.add(t, o.URL("/feed.xml"), "")
	// A second source announcing the same articles, to race uniqueness.
	setup.add(t, o.URL("/sitemap.xml"), "")

	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "NEWSDESK_CRASH_DB="+db)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.After(60 * time.Second)
	for stored := 0; stored < n/4; {
		select {
		case err := <-exited:
			t.Fatalf("child exited before the kill: %v", err)
		case <-deadline:
			cmd.Process.Kill()
			t.Fatal("child stored nothing within 60 s")
		case <-time.After(20 * time.Millisecond):
		}
		stored, _ = st.CountArticles(ctx, store.ArticleFilter{})
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-exited
	before, _ := st.CountArticles(ctx, store.ArticleFilter{})
	if before >= n {
		t.Fatalf("child finished (%d articles) before it was killed; slow the outlet down", before)
	}
	t.Logf("killed the child after %d of %d articles", before, n)

	// Restart: the lock is free, interrupted jobs are reclaimed.
	r := newRig(t, db, fetch.Config{})
	defer r.close()
	cctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if _, err := r.c.Once(cctx); err != nil {
		t.Fatal(err)
	}
	// The feed was polled by the child (or not, if killed first); either
	// way every article must be there once, and nothing left to run.
	total, _ := r.st.CountArticles(ctx, store.ArticleFilter{})
	if total != n {
		t.Fatalf("%d articles stored after restart, want %d", total, n)
	}
	var rows, distinct int
	if err := r.st.DB().QueryRow(`SELECT count(*), count(DISTINCT url) FROM articles`).Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	if rows != n || distinct != n {
		t.Fatalf("rows %d distinct %d, want %d", rows, distinct, n)
	}
	left, err := r.c.river.JobList(ctx, riverJobs(rivertype.JobStateAvailable, rivertype.JobStateRunning))
	if err != nil {
		t.Fatal(err)
	}
	if len(left.Jobs) != 0 {
		t.Fatalf("%d jobs left available or running", len(left.Jobs))
	}
	if s, _ := r.st.Source(ctx, src); s.State != "ok" {
		t.Fatalf("feed source state %s: %s", s.State, s.LastError)
	}
}

func riverJobs(states ...rivertype.JobState) *river.JobListParams {
	return river.NewJobListParams().States(states...).First(100)
}
