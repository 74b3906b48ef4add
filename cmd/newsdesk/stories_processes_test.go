package main

import (
	"context"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/newsdesk/newsdesk/internal/eval"
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
		testenv.Missing(t, "corpus", "the labelled corpus at ../shared/corpus ("+err.Error()+")")
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

var ecbEnv = map[string]string{"NEWSDESK_TRANSLATE_BACKEND": "off", "NEWSDESK_LOG_LEVEL": "warn"}

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
	var wg sync.WaitGroup
	for _, part := range [][]string{even, odd} {
		wg.Go(func() {
			c := startChildEnv(t, "import", []string{"NEWSDESK_TRANSLATE_BACKEND=off"},
				append([]string{"import", "--db", both, "--workers", "1"}, part...)...)
			if err := <-c.done; err != nil && c.cmd.ProcessState.ExitCode() != exitPartial {
				t.Errorf("concurrent import: %v", err)
			}
		})
	}
	wg.Wait()
	got = storiesF1(t, openDB(t, both), urls, gold)
	t.Logf("two imports at once: F1 %.4f (%d stories)", got.F1, got.Stories)
	if got.F1 < ref.F1-0.01 {
		t.Errorf("two imports at once F1 %.4f, one process %.4f", got.F1, ref.F1)
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
	var wg sync.WaitGroup
	for _, part := range [][]string{even, odd} {
		wg.Go(func() {
			c := startChildEnv(t, "import", env, append([]string{"import", "--db", dsn, "--workers", "1"}, part...)...)
			if err := <-c.done; err != nil && c.cmd.ProcessState.ExitCode() != exitPartial {
				t.Errorf("concurrent import: %v", err)
			}
		})
	}
	wg.Wait()
	if err := serve.stop(t); err != nil {
		t.Errorf("serve: %v", err)
	}
	st, err := openStore(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got := storiesF1(t, st, urls, gold)
	t.Logf("serve and two imports at once on PostgreSQL: F1 %.4f (%d stories)", got.F1, got.Stories)
	if got.F1 < ref.F1-0.01 {
		t.Errorf("PostgreSQL, three processes: F1 %.4f, one process %.4f", got.F1, ref.F1)
	}
}
