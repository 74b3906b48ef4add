package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/collect"
	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/pipeline"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/postgres"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
	"github.com/newsdesk/newsdesk/internal/store/storecopy"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// pgDatabase creates an empty database on the server named by
// NEWSDESK_TEST_POSTGRES (see .ci/postgres.sh), dropped after the test.
func pgDatabase(t *testing.T) string { return storetest.PostgresDatabase(t) }

func copySummary(t *testing.T, stdout string) map[string]storecopy.Table {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	var v struct{ Tables []storecopy.Table }
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &v); err != nil {
		t.Fatalf("copy --json output %q: %v", stdout, err)
	}
	out := map[string]storecopy.Table{}
	for _, tb := range v.Tables {
		out[tb.Table] = tb
	}
	return out
}

func TestCopySQLiteToPostgres(t *testing.T) {
	dst := pgDatabase(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "src.db")
	src, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	t0 := time.Date(2025, 12, 24, 9, 30, 0, 0, time.UTC)
	for i := range 25 {
		a := &news.Article{URL: fmt.Sprintf("https://diario.example/nota/%d", i), SiteName: "Diario",
			Title: fmt.Sprintf("Caravana migrante %d cruza Chiapas", i), Language: "es", Byline: "Ana Pérez",
			Text: "Más de 6.000 migrantes caminan hacia el norte en Nochebuena.\n\nSegundo párrafo.", BodyHTML: "<p>Más de 6.000 migrantes</p>"}
		if i%3 != 0 {
			a.Published = t0.Add(time.Duration(i) * time.Hour)
		}
		if _, err := src.UpsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	feed := &news.Source{URL: "https://diario.example/rss", Name: "Diario", Kind: news.KindFeed, Interval: 20 * time.Minute}
	if err := src.AddSource(ctx, feed); err != nil {
		t.Fatal(err)
	}
	src.MarkSeen(ctx, feed.ID, []string{"https://diario.example/nota/1", "https://diario.example/nota/2"}, t0)
	src.RecordPoll(ctx, feed.ID, store.PollRecord{At: t0, State: news.StateOK, ETag: `"abc"`, NextPollAt: t0.Add(time.Hour), Status: 200, NewItems: 2})
	src.RecordView(ctx, store.View{ArticleID: 3, Client: "h1", At: t0})
	src.RecordView(ctx, store.View{ArticleID: 3, Client: "h2", At: t0.Add(time.Hour)})
	// A poll queued on SQLite and not run yet must run on PostgreSQL.
	col, err := collect.New(ctx, collect.Config{Store: src, Fetch: fetch.New(fetch.Config{}),
		Processor: pipeline.Minimal(src, nil), Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := col.PollNow(ctx, feed.ID); err != nil {
		t.Fatal(err)
	}
	col.Close()

	code, out, errOut := runCmd(t, nil, "copy", "--from", "sqlite:"+path, "--to", dst, "--batch", "7", "--json")
	if code != exitOK {
		t.Fatalf("copy: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, `"jobs":{"queued":1,"enqueued":1,"unknown":0}`) {
		t.Errorf("queued poll not moved: %s", out)
	}
	if sum := copySummary(t, out); sum["articles"].Inserted != 25 || sum["sources"].Inserted != 1 || sum["source_items"].Inserted != 2 || sum["article_views"].Inserted != 1 {
		t.Errorf("first copy: %+v", sum)
	}

	// What the rows look like on the target is storecopy's test; here, that
	// the command reaches them.
	pg, err := postgres.Open(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if n, err := pg.CountArticles(ctx, store.ArticleFilter{}); err != nil || n != 25 {
		t.Errorf("articles on the target: %d, %v; want 25", n, err)
	}

	// Again: nothing to do.
	code, out, _ = runCmd(t, nil, "copy", "--from", path, "--to", dst, "--json")
	if !strings.Contains(out, `"jobs":{"queued":1,"enqueued":0,"unknown":0}`) {
		t.Errorf("queued poll moved twice: %s", out)
	}
	if sum := copySummary(t, out); code != exitOK || sum["articles"].Unchanged != 25 || sum["articles"].Inserted+sum["articles"].Updated != 0 {
		t.Errorf("second copy: exit %d %+v", code, sum)
	}
	if code, out, _ := runCmd(t, nil, "migrate", "--db", dst, "--json"); code != exitOK || !strings.Contains(out, `"pending":0`) {
		t.Errorf("migrate: exit %d, %s", code, out)
	}
}

func TestCopyUsage(t *testing.T) {
	for _, args := range [][]string{
		{"copy"},
		{"copy", "--from", "a.db"},
		{"copy", "--from", "a.db", "--to", "b.db"},
		{"copy", "--from", "postgres://x/y", "--to", "postgres://x/z"},
	} {
		if code, _, _ := runCmd(t, nil, args...); code != exitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, exitUsage)
		}
	}
}
