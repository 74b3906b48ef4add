package main

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/eval"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/testenv"
)

// ecbPages writes the ECB+ stream (../shared/corpus; skipped without it)
// as news pages, one file per document in stream order, and returns the
// files with each page's canonical URL and gold story.
func ecbPages(t *testing.T) (files []string, urls []string, gold map[string]string) {
	t.Helper()
	if testing.Short() {
		t.Skip("the ECB+ stream takes a minute a run")
	}
	f, err := os.Open("../../../shared/corpus/clustering/ecbplus-dev/docs.jsonl")
	if err != nil {
		testenv.MissingData(t, "corpus", "the labelled corpus at ../shared/corpus ("+err.Error()+")")
	}
	defer f.Close()
	docs, err := eval.ReadClusterDocs(f)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gold = map[string]string{}
	for i, d := range docs {
		url := "https://ecb.example/" + d.ID
		lines := strings.Split(strings.TrimSpace(d.Text), "\n")
		// the first line of an ECB+ document is often its address; the
		// headline is the first line that reads as one
		title := lines[0]
		for _, l := range lines[:min(3, len(lines))] {
			if !strings.Contains(l, "http") && !strings.Contains(l, "www.") && len(l) > 15 {
				title = l
				break
			}
		}
		var b strings.Builder
		fmt.Fprintf(&b, "<!doctype html><html lang=%q><head><title>%s</title><link rel=canonical href=%q></head><body><article><h1>%s</h1>\n",
			d.Lang, html.EscapeString(title), url, html.EscapeString(title))
		for _, l := range lines {
			if l != title && strings.TrimSpace(l) != "" {
				fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(l))
			}
		}
		b.WriteString("</article></body></html>\n")
		name := filepath.Join(dir, fmt.Sprintf("%04d.html", i))
		if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		files, urls = append(files, name), append(urls, url)
		gold[url] = d.Cluster
	}
	return files, urls, gold
}

// storiesF1 scores the stories in a database against the gold ones.
func storiesF1(t *testing.T, st store.Store, urls []string, gold map[string]string) eval.ClusterResult {
	t.Helper()
	ctx := context.Background()
	var g []string
	var p []int64
	for _, u := range urls {
		a, err := st.ArticleByURL(ctx, u)
		if err != nil {
			continue // too short to pass for an article
		}
		sid, err := st.StoryOf(ctx, a.ID)
		if err != nil {
			t.Errorf("%s has no story: %v", u, err)
			continue
		}
		if steps, _ := st.PendingSteps(ctx, a.ID); len(steps) > 0 {
			t.Errorf("%s has steps left undone: %v", u, steps)
		}
		g, p = append(g, gold[u]), append(p, sid)
	}
	return eval.PairScore(g, p)
}

// importInto imports files into db in this process, one page at a time in
// stream order.
func importInto(t *testing.T, db string, files ...string) {
	t.Helper()
	args := append([]string{"import", "--db", db, "--workers", "1"}, files...)
	// a few ECB+ documents are too short to pass for an article (exit 3)
	if code, out, errOut := runCmd(t, ecbEnv, args...); code != exitOK && code != exitPartial {
		t.Fatalf("import: %d\n%s\n%s", code, out, errOut)
	}
}

// sameStreamF1 imports, in one process, the pages in the order st stored
// them (processes working at once do not keep the files' order), and
// scores that: what one process makes of the same stream.
func sameStreamF1(t *testing.T, st store.Store, files, urls []string, gold map[string]string) eval.ClusterResult {
	t.Helper()
	ctx := context.Background()
	arrival := map[string]int64{}
	var order []int
	for i, u := range urls {
		if a, err := st.ArticleByURL(ctx, u); err == nil {
			arrival[u] = a.ID
			order = append(order, i)
		}
	}
	sort.Slice(order, func(a, b int) bool { return arrival[urls[order[a]]] < arrival[urls[order[b]]] })
	var inOrder []string
	for _, i := range order {
		inOrder = append(inOrder, files[i])
	}
	one := filepath.Join(t.TempDir(), "same-stream.db")
	importInto(t, one, inOrder...)
	db := openDB(t, one)
	defer db.Close()
	return storiesF1(t, db, urls, gold)
}

var ecbEnv = map[string]string{"NEWSDESK_TRANSLATE_BACKEND": "off", "NEWSDESK_LOG_LEVEL": "warn"}

// importAtOnce imports each part into db, each in a process of its own,
// all at once; exit 3 is fine (some documents are too short).
func importAtOnce(t *testing.T, db string, parts ...[]string) {
	t.Helper()
	var wg sync.WaitGroup
	for _, part := range parts {
		wg.Go(func() {
			c := startChildEnv(t, "import", []string{"NEWSDESK_TRANSLATE_BACKEND=off"},
				append([]string{"import", "--db", db, "--workers", "1"}, part...)...)
			if err := <-c.done; err != nil && c.cmd.ProcessState.ExitCode() != exitPartial {
				t.Errorf("concurrent import: %v", err)
			}
		})
	}
	wg.Wait()
}

func evenOdd(files []string) (even, odd []string) {
	for i, f := range files {
		if i%2 == 0 {
			even = append(even, f)
		} else {
			odd = append(odd, f)
		}
	}
	return even, odd
}

// TestStoriesAcrossProcesses: two imports one after the other (a restart)
// and two imports at once into one SQLite file give the stories one
// import gives, within .01 pair F1.
func TestStoriesAcrossProcesses(t *testing.T) {
	files, urls, gold := ecbPages(t)
	half := len(files) / 2

	one := filepath.Join(t.TempDir(), "one.db")
	importInto(t, one, files...)
	ref := storiesF1(t, openDB(t, one), urls, gold)
	t.Logf("one import: F1 %.4f (%d stories)", ref.F1, ref.Stories)

	seq := filepath.Join(t.TempDir(), "seq.db")
	importInto(t, seq, files[:half]...)
	importInto(t, seq, files[half:]...)
	got := storiesF1(t, openDB(t, seq), urls, gold)
	t.Logf("two imports one after the other: F1 %.4f (%d stories)", got.F1, got.Stories)
	if got.F1 < ref.F1-0.01 {
		t.Errorf("after a restart F1 %.4f, one process %.4f", got.F1, ref.F1)
	}

	both := filepath.Join(t.TempDir(), "both.db")
	even, odd := evenOdd(files)
	importAtOnce(t, both, even, odd)
	bothDB := openDB(t, both)
	got = storiesF1(t, bothDB, urls, gold)
	same := sameStreamF1(t, bothDB, files, urls, gold)
	t.Logf("two imports at once: F1 %.4f (%d stories); one import of the same stream %.4f", got.F1, got.Stories, same.F1)
	if got.F1 < same.F1-0.01 {
		t.Errorf("two imports at once F1 %.4f, one process on the same stream %.4f", got.F1, same.F1)
	}
}

// TestStoriesAcrossProcessesOnPostgres: a serve and two imports at once on
// one PostgreSQL database give the stories one SQLite import gives, within
// .01 pair F1.
func TestStoriesAcrossProcessesOnPostgres(t *testing.T) {
	files, urls, gold := ecbPages(t)
	dsn := pgDatabase(t)
	one := filepath.Join(t.TempDir(), "one.db")
	importInto(t, one, files...)
	ref := storiesF1(t, openDB(t, one), urls, gold)
	t.Logf("one import (SQLite): F1 %.4f (%d stories)", ref.F1, ref.Stories)

	env := []string{"NEWSDESK_TRANSLATE_BACKEND=off"}
	serve := startChildEnv(t, "serve", env, "serve", "--no-collect", "--db", dsn, "--addr", "127.0.0.1:0", "--log-format", "json")
	even, odd := evenOdd(files)
	importAtOnce(t, dsn, even, odd)
	if err := serve.stop(t); err != nil {
		t.Errorf("serve: %v", err)
	}
	st, err := openStore(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got := storiesF1(t, st, urls, gold)
	same := sameStreamF1(t, st, files, urls, gold)
	t.Logf("serve and two imports at once on PostgreSQL: F1 %.4f (%d stories); one import of the same stream %.4f", got.F1, got.Stories, same.F1)
	if got.F1 < same.F1-0.01 {
		t.Errorf("PostgreSQL, three processes: F1 %.4f, one process on the same stream %.4f", got.F1, same.F1)
	}
}

// TestStoriesWithWorkersOnPostgres: one serve and two workers on one
// PostgreSQL database collect the ECB+ stream from a feed on loopback; the
// stories they make are those one import makes of the same stream (the
// pages in the order the workers stored them), within .01 pair F1.
func TestStoriesWithWorkersOnPostgres(t *testing.T) {
	files, urls, gold := ecbPages(t)
	dsn := pgDatabase(t)
	ctx := context.Background()

	// the outlet: a feed listing every page, in stream order
	mux := http.NewServeMux()
	var rss strings.Builder
	rss.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>ECB</title><link>http://ecb.example/</link>`)
	for i, f := range files {
		fmt.Fprintf(&rss, "<item><title>%d</title><link>PLACEHOLDER/p/%d.html</link><guid>%d</guid></item>", i, i, i)
		mux.HandleFunc(fmt.Sprintf("GET /p/%d.html", i), func(w http.ResponseWriter, r *http.Request) {
			http.ServeFile(w, r, f)
		})
	}
	rss.WriteString("</channel></rss>")
	srv := httptest.NewServer(mux)
	defer srv.Close()
	feed := strings.ReplaceAll(rss.String(), "PLACEHOLDER", srv.URL)
	mux.HandleFunc("GET /feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, feed)
	})

	st, err := openStore(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.AddSource(ctx, &news.Source{URL: srv.URL + "/feed.xml", Interval: time.Hour}); err != nil {
		t.Fatal(err)
	}
	env := []string{"NEWSDESK_TRANSLATE_BACKEND=off"}
	serve := startChildEnv(t, "serve", env, "serve", "--no-collect", "--db", dsn, "--addr", "127.0.0.1:0", "--log-format", "json")
	workerArgs := []string{"worker", "--db", dsn, "--log-format", "json", "--fetch-allow", "127.0.0.1/32", "--min-delay", "0",
		"--workers", "3", "--fetch-poll", "50ms", "--scan-every", "1s"}
	w1 := startChildEnv(t, "worker 1", env, workerArgs...)
	w2 := startChildEnv(t, "worker 2", env, workerArgs...)
	// done: every page stored or refused, and no story step left
	deadline := time.Now().Add(10 * time.Minute)
	for {
		n, _ := st.CountArticles(ctx, store.ArticleFilter{})
		q, _ := st.StoryQueue(ctx, 1)
		jobs, _ := st.JobQueue().Unfinished(ctx)
		if n > len(files)/2 && len(q) == 0 && len(jobs) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not done within 10 minutes: %d articles, story queue %v, %d jobs", n, q, len(jobs))
		}
		time.Sleep(500 * time.Millisecond)
	}
	for _, c := range []*child{w1, w2, serve} {
		if err := c.stop(t); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	got := storiesF1(t, st, urls, gold)
	t.Logf("serve and two workers on PostgreSQL: F1 %.4f (%d stories, %d articles)", got.F1, got.Stories, got.Docs)

	ref := sameStreamF1(t, st, files, urls, gold)
	t.Logf("one import (SQLite) of the same stream: F1 %.4f (%d stories)", ref.F1, ref.Stories)
	if got.F1 < ref.F1-0.01 {
		t.Errorf("PostgreSQL, serve and two workers: F1 %.4f, one process %.4f", got.F1, ref.F1)
	}
}
