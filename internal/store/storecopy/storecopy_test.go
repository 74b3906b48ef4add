package storecopy

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/postgres"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

func open(t *testing.T) (*sqlite.Store, *postgres.Store) {
	t.Helper()
	dsn := storetest.PostgresDatabase(t)
	ctx := context.Background()
	src, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "src.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	dst, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dst.Close() })
	return src, dst
}

func byTable(ts []Table) map[string]Table {
	out := map[string]Table{}
	for _, t := range ts {
		out[t.Table] = t
	}
	return out
}

func TestCopy(t *testing.T) {
	src, dst := open(t)
	ctx := context.Background()
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
	if err := src.AssignStory(ctx, 4, 7, 0.9); err != nil {
		t.Fatal(err)
	}
	tr := &news.Translation{ArticleID: 5, Lang: "en", SourceLang: "es", Backend: "apertium", Title: "Migrant caravan",
		Text: "More than 6,000 migrants walk north on Christmas Eve", Status: news.TranslationDone, TranslatedAt: t0}
	if err := src.SaveTranslation(ctx, tr); err != nil {
		t.Fatal(err)
	}
	// Every later step done on SQLite but article 2's story step; and the
	// SQLite story writer's lease, which must not follow.
	for id := int64(1); id <= 25; id++ {
		for _, step := range []string{"translate", "enrich", "story"} {
			if id == 2 && step == "story" {
				continue
			}
			if err := src.FinishStep(ctx, id, step); err != nil {
				t.Fatal(err)
			}
		}
	}
	if ok, err := src.TryLease(ctx, "story", "sqlite-writer", time.Hour); !ok || err != nil {
		t.Fatalf("lease on the source: %v, %v", ok, err)
	}

	var progress []string
	sum, err := Copy(ctx, src, dst, Options{Batch: 7, Progress: func(table string, rows int) Progress {
		progress = append(progress, fmt.Sprintf("%s %d", table, rows))
		return noProgress{}
	}})
	if err != nil {
		t.Fatal(err)
	}
	got := byTable(sum)
	if got["articles"].Inserted != 25 || got["sources"].Inserted != 1 || got["source_items"].Inserted != 2 || got["article_views"].Inserted != 1 {
		t.Errorf("first copy: %+v", sum)
	}
	if len(progress) != len(sum) || !strings.Contains(strings.Join(progress, ","), "articles 25") {
		t.Errorf("progress told of %q", progress)
	}
	// The target's tables hold the rows, parents first.
	if sum[0].Table == "article_views" || sum[len(sum)-1].Table == "articles" {
		t.Errorf("tables out of order: %+v", sum)
	}

	want, _ := src.ListArticles(ctx, store.ArticleFilter{Limit: 1000})
	have, _ := dst.ListArticles(ctx, store.ArticleFilter{Limit: 1000})
	if len(want) != 25 || !reflect.DeepEqual(want, have) {
		t.Errorf("articles differ after copy:\nsqlite %+v\npostgres %+v", want[:1], have[:min(1, len(have))])
	}
	ws, _ := src.ListSources(ctx)
	gs, _ := dst.ListSources(ctx)
	if !reflect.DeepEqual(ws, gs) {
		t.Errorf("sources differ:\nsqlite %+v\npostgres %+v", ws, gs)
	}
	wp, _ := src.Popular(ctx, store.PopularQuery{Now: t0.Add(2 * time.Hour)})
	gp, _ := dst.Popular(ctx, store.PopularQuery{Now: t0.Add(2 * time.Hour)})
	if !reflect.DeepEqual(wp, gp) {
		t.Errorf("popularity differs:\nsqlite %+v\npostgres %+v", wp, gp)
	}
	if un, _ := dst.UnseenItems(ctx, feed.ID, []string{"https://diario.example/nota/1", "https://diario.example/nota/9"}); len(un) != 1 {
		t.Errorf("seen items not copied: unseen %v", un)
	}
	if _, n, _ := dst.Search(ctx, store.SearchQuery{Text: "migrantes caminan"}); n != 25 {
		t.Errorf("copied articles not searchable: %d hits", n)
	}
	if sid, err := dst.StoryOf(ctx, 4); err != nil || sid != 7 {
		t.Errorf("story of article 4 on the target = %d, %v; want 7", sid, err)
	}
	if got, err := dst.Translation(ctx, 5, "en"); err != nil || got.Title != tr.Title {
		t.Errorf("translation not copied: %+v, %v", got, err)
	}
	// The copied translation is searched on the target as on the source.
	if hits, _, err := dst.Search(ctx, store.SearchQuery{Text: "christmas"}); err != nil || len(hits) != 1 || hits[0].Article.ID != 5 {
		t.Errorf("copied translation not searched: %+v, %v", hits, err)
	}
	// Work done on SQLite is not queued again: the target's triggers do
	// not fire for copied rows; the steps left are the source's.
	for id, want := range map[int64][]string{1: nil, 2: {"story"}, 25: nil} {
		if got, err := dst.PendingSteps(ctx, id); err != nil || strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("pending steps of article %d on the target = %q, %v; want %q", id, got, err, want)
		}
	}
	if ok, err := dst.TryLease(ctx, "story", "postgres-writer", time.Minute); !ok || err != nil {
		t.Errorf("the source's lease followed to the target: TryLease = %v, %v", ok, err)
	}

	// Again: nothing to do. Then one change and one new article in the
	// source: only they move.
	sum, err = Copy(ctx, src, dst, Options{})
	if got := byTable(sum); err != nil || got["articles"].Unchanged != 25 || got["articles"].Inserted+got["articles"].Updated != 0 {
		t.Errorf("second copy: %v %+v", err, sum)
	}
	changed := want[4]
	changed.Text += " Actualizado."
	changed.ContentHash = ""
	src.UpsertArticle(ctx, &changed)
	src.UpsertArticle(ctx, &news.Article{URL: "https://diario.example/nueva", Title: "Nueva", Text: "Texto nuevo."})
	sum, err = Copy(ctx, src, dst, Options{Batch: 3})
	if got := byTable(sum); err != nil || got["articles"].Updated != 1 || got["articles"].Inserted != 1 {
		t.Errorf("third copy: %v %+v", err, sum)
	}
	if a, err := dst.ArticleByURL(ctx, changed.URL); err != nil || !strings.HasSuffix(a.Text, "Actualizado.") {
		t.Errorf("update not copied: %v", err)
	}
	wantSteps, _ := src.PendingSteps(ctx, changed.ID)
	gotSteps, err := dst.PendingSteps(ctx, changed.ID)
	slices.Sort(gotSteps)
	slices.Sort(wantSteps)
	if err != nil || len(wantSteps) != 3 || !slices.Equal(gotSteps, wantSteps) {
		t.Errorf("pending steps of the changed article: target %q (%v), source %q", gotSteps, err, wantSteps)
	}
	// The triggers are on again for the target's own writes.
	fresh0 := &news.Article{URL: "https://other.example/0", Title: "x", Text: "y"}
	if _, err := dst.UpsertArticle(ctx, fresh0); err != nil {
		t.Fatal(err)
	}
	if got, _ := dst.PendingSteps(ctx, fresh0.ID); len(got) != 3 {
		t.Errorf("a new article on the target has steps %q queued, want 3", got)
	}
	// The target's own new rows get ids after the copied ones.
	fresh := &news.Article{URL: "https://other.example/1", Title: "x", Text: "y"}
	if _, err := dst.UpsertArticle(ctx, fresh); err != nil || fresh.ID <= 27 {
		t.Errorf("new article on the target got id %d (%v), want > 26", fresh.ID, err)
	}
}

// TestCopyRefusesToLoseData: a source table or column the target has no
// place for stops the copy before anything is written.
func TestCopyRefusesToLoseData(t *testing.T) {
	src, dst := open(t)
	ctx := context.Background()
	if _, err := src.UpsertArticle(ctx, &news.Article{URL: "https://a.example/1", Title: "a", Text: "b"}); err != nil {
		t.Fatal(err)
	}
	if _, err := src.DB().ExecContext(ctx, `CREATE TABLE newer_notes (id INTEGER PRIMARY KEY, note TEXT);
		ALTER TABLE sources ADD COLUMN newer_flag INTEGER`); err != nil {
		t.Fatal(err)
	}
	_, err := Copy(ctx, src, dst, Options{})
	if err == nil || !strings.Contains(err.Error(), "table newer_notes") || !strings.Contains(err.Error(), "column sources.newer_flag") {
		t.Fatalf("copy into a target without the source's table and column: %v", err)
	}
	if n, _ := dst.CountArticles(ctx, store.ArticleFilter{}); n != 0 {
		t.Errorf("%d articles copied by a refused copy", n)
	}
}

func TestToTarget(t *testing.T) {
	tests := []struct {
		v    any
		typ  string
		want any
	}{
		{int64(3), "double precision", float64(3)},
		{int64(3), "bigint", int64(3)},
		{[]byte("x"), "text", "x"},
		{[]byte("x"), "bytea", []byte("x")},
		{"x", "bytea", []byte("x")},
		{nil, "text", nil},
	}
	for _, tt := range tests {
		if got := toTarget(tt.v, tt.typ); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("toTarget(%#v, %q) = %#v, want %#v", tt.v, tt.typ, got, tt.want)
		}
	}
}

func TestOrderByDeps(t *testing.T) {
	tables := []pgTable{{name: "article_views"}, {name: "articles"}, {name: "sources"}, {name: "story_articles"}, {name: "stories"}}
	deps := map[string][]string{"article_views": {"articles"}, "story_articles": {"stories", "articles"}, "articles": {"sources"}}
	var got []string
	for _, t := range orderByDeps(tables, deps) {
		got = append(got, t.name)
	}
	want := []string{"sources", "articles", "article_views", "stories", "story_articles"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
}
