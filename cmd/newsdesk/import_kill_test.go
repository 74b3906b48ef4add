package main

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/demo"
	"github.com/newsdesk/newsdesk/internal/store"
)

// TestImportKilledAndRerun kills an import (SIGKILL) at random points,
// imports the same files again, and checks that every article then has
// every later step done: translation (when Apertium is here), enrichment,
// syndication and story. NEWSDESK_KILL_RUNS sets how many kills (default 3).
func TestImportKilledAndRerun(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	pages, err := demo.Pages()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for i, p := range pages {
		raw, err := demo.Read(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, strconv.Itoa(i)+".html"), raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	runs := 3
	if n, err := strconv.Atoi(os.Getenv("NEWSDESK_KILL_RUNS")); err == nil && n > 0 {
		runs = n
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	for run := range runs {
		db := filepath.Join(t.TempDir(), "k.db")
		// the import takes seconds with translation, well under one without
		at := time.Duration(100+rng.IntN(4000)) * time.Millisecond
		c := startChildEnv(t, "import", nil, "import", "--db", db, "--workers", "2", dir)
		select {
		case <-c.done:
			t.Logf("run %d: the import finished before the kill at %v", run, at)
		case <-time.After(at):
			c.cmd.Process.Kill()
			<-c.done
		}
		// the rerun; exit 3 is fine (a bundled page or two holds no article)
		if code, out, errOut := runCmd(t, map[string]string{"NEWSDESK_LOG_LEVEL": "warn"}, "import", "--db", db, "--workers", "2", dir); code != exitOK && code != exitPartial {
			t.Fatalf("rerun: %d\n%s\n%s", code, out, errOut)
		}
		undone := stepsUndone(t, db)
		t.Logf("run %d: killed at %v; articles with a step undone after the rerun: %d", run, at, undone)
		if undone > 0 {
			t.Errorf("run %d (killed at %v): %d articles with a step undone", run, at, undone)
		}
	}
}

// stepsUndone counts the articles of db with a later step not done.
func stepsUndone(t *testing.T, db string) int {
	t.Helper()
	st := openDB(t, db)
	defer st.Close()
	ctx := context.Background()
	arts, err := st.ListArticles(ctx, store.ArticleFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range arts {
		pending, err := st.PendingSteps(ctx, a.ID)
		_, serr := st.StoryOf(ctx, a.ID)
		en, eerr := st.Enrichment(ctx, a.ID)
		if err != nil || len(pending) > 0 || serr != nil || eerr != nil || en == nil {
			t.Logf("article %d: pending %v (%v), story %v, enrichment %v", a.ID, pending, err, serr, eerr)
			n++
		}
	}
	return n
}
