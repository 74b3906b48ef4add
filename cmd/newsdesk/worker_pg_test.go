package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/fetch/sampleweb"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/postgres"
)

// TestProcessChild runs one newsdesk command in a process of its own; the
// multi-process tests re-execute the test binary with it.
func TestProcessChild(t *testing.T) {
	raw := os.Getenv("NEWSDESK_CHILD_ARGS")
	if raw == "" {
		t.Skip("run by the multi-process tests")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		t.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, append([]string{"newsdesk"}, args...), os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// child is a newsdesk command running in its own process.
type child struct {
	name string
	cmd  *exec.Cmd
	done chan error
	mu   sync.Mutex
	log  strings.Builder
	url  chan string
}

func startChild(t *testing.T, name string, args ...string) *child {
	t.Helper()
	return startChildEnv(t, name, nil, args...)
}

// startChildEnv is startChild with more environment (NAME=value).
func startChildEnv(t *testing.T, name string, env []string, args ...string) *child {
	t.Helper()
	raw, _ := json.Marshal(args)
	c := &child{name: name, done: make(chan error, 1), url: make(chan string, 1)}
	c.cmd = exec.Command(os.Args[0], "-test.run=^TestProcessChild$", "-test.count=1")
	c.cmd.Env = append(append(os.Environ(), "NEWSDESK_CHILD_ARGS="+string(raw), "NEWSDESK_LOG_LEVEL=info"), env...)
	stderr, err := c.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	c.cmd.Stdout = io.Discard
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			c.mu.Lock()
			c.log.WriteString(line + "\n")
			c.mu.Unlock()
			var rec struct{ Msg, URL string }
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "serving" && rec.URL != "" {
				select {
				case c.url <- rec.URL:
				default:
				}
			}
		}
		c.done <- c.cmd.Wait()
	}()
	t.Cleanup(func() {
		if c.cmd.ProcessState == nil {
			c.cmd.Process.Kill()
			<-c.done
		}
		if t.Failed() {
			c.mu.Lock()
			t.Logf("%s log:\n%s", c.name, c.log.String())
			c.mu.Unlock()
		}
	})
	return c
}

// stop asks the child to stop and returns its exit error.
func (c *child) stop(t *testing.T) error {
	c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-c.done:
		return err
	case <-time.After(30 * time.Second):
		c.cmd.Process.Kill()
		t.Errorf("%s did not stop within 30 s of SIGTERM", c.name)
		return <-c.done
	}
}

// TestServeAndTwoWorkersOnPostgres runs the many-machines set-up as
// processes: one `serve --no-collect` and two `worker`s on one PostgreSQL
// database collect a sample outlet; one worker is killed (SIGKILL) in the
// middle; every article must still be stored, exactly once.
func TestServeAndTwoWorkersOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	dsn := pgDatabase(t)
	ctx := context.Background()
	const n = 60
	o := sampleweb.NewOutlet("Many Machines Gazette", n)
	defer o.Server.Close()
	o.Delay = 40 * time.Millisecond

	pg, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	// Two sources announce the same articles, so the workers race on them.
	for _, u := range []string{o.URL("/feed.xml"), o.URL("/sitemap.xml")} {
		if err := pg.AddSource(ctx, &news.Source{URL: u, Interval: time.Hour}); err != nil {
			t.Fatal(err)
		}
	}

	serve := startChild(t, "serve", "serve", "--no-collect", "--db", dsn, "--addr", "127.0.0.1:0", "--log-format", "json")
	workerArgs := []string{"worker", "--db", dsn, "--log-format", "json", "--fetch-allow", "127.0.0.1/32", "--min-delay", "0",
		"--workers", "3", "--fetch-poll", "50ms", "--scan-every", "1s", "--timeout", "4s", "--job-timeout", "5s", "--rescue-after", "6s"}
	w1 := startChild(t, "worker 1", workerArgs...)
	w2 := startChild(t, "worker 2", workerArgs...)

	count := func() int {
		n, _ := pg.CountArticles(ctx, store.ArticleFilter{})
		return n
	}
	waitFor := func(what string, limit time.Duration, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(limit)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within %s (%d articles stored)", what, limit, count())
			}
			select {
			case err := <-w2.done:
				t.Fatalf("worker 2 exited: %v", err)
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
	waitFor("a third of the articles", 60*time.Second, func() bool { return count() >= n/3 })
	if err := w1.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-w1.done
	killedAt := count()
	t.Logf("killed worker 1 with %d of %d articles stored", killedAt, n)
	if killedAt >= n {
		t.Fatalf("all articles were stored before the kill; slow the outlet down")
	}
	// The jobs worker 1 held are rescued (after --rescue-after, on the
	// leader's next rescue round) and run by worker 2.
	waitFor("every article", 120*time.Second, func() bool { return count() >= n })
	var rows, distinct int
	if err := pg.Pool().QueryRow(ctx, `SELECT count(*), count(DISTINCT url) FROM articles`).Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	if rows != n || distinct != n {
		t.Errorf("articles: %d rows, %d distinct URLs; want %d of each", rows, distinct, n)
	}
	waitFor("no fetch job left to run", 60*time.Second, func() bool {
		jobs, err := pg.JobQueue().Unfinished(ctx)
		if err != nil {
			return false
		}
		for _, j := range jobs {
			if j.Kind == "collect_fetch" {
				return false
			}
		}
		return true
	})

	var rerun int
	pg.Pool().QueryRow(ctx, `SELECT count(*) FROM river_job WHERE attempt > 1`).Scan(&rerun)
	t.Logf("%d jobs ran more than once (rescued from the killed worker, or retried)", rerun)

	// The web process serves what the workers stored.
	var base string
	select {
	case base = <-serve.url:
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not report its URL")
	}
	resp, err := http.Get(strings.TrimSuffix(base, "/") + "/api/v1/articles")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Many Machines Gazette") && !strings.Contains(string(body), o.Server.URL) {
		t.Errorf("GET /api/v1/articles: %d %.300s", resp.StatusCode, body)
	}
	for _, c := range []*child{w2, serve} {
		if err := c.stop(t); err != nil {
			t.Errorf("%s exit: %v", c.name, err)
		}
	}
}
