package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
	"github.com/newsdesk/newsdesk/internal/translate"
)

// events are three unrelated events, each reported by several outlets in
// their own words: what the story writer must keep apart and gather.
var events = []struct {
	key   string
	words []string
}{
	{"quake", []string{"earthquake", "magnitude", "Valparaíso", "tremor", "seismologists", "aftershocks", "coastal", "evacuated", "tsunami", "Chilean"}},
	{"chess", []string{"chess", "tournament", "grandmaster", "Reykjavík", "opening", "endgame", "Kasparova", "checkmate", "rapid", "blitz"}},
	{"budget", []string{"budget", "parliament", "deficit", "Lisbon", "minister", "Medeiros", "taxes", "spending", "opposition", "vote"}},
}

// page writes report n of event e as a news page.
func page(e, n int) (url string, raw []byte) {
	ev := events[e]
	var body strings.Builder
	for p := range 4 {
		body.WriteString("<p>")
		for i := range 24 {
			w := ev.words[(i*7+p*3+n*5)%len(ev.words)]
			body.WriteString(w)
			if i%6 == 5 {
				body.WriteString(". ")
			} else {
				body.WriteString(" and the ")
			}
		}
		fmt.Fprintf(&body, "Report %d of outlet %d.</p>\n", p, n)
	}
	url = fmt.Sprintf("https://outlet%d.example/%s/%d", n, ev.key, n)
	raw = fmt.Appendf(nil, `<!doctype html><html lang="en"><head><title>%s %s report %d</title>
<link rel="canonical" href="%s"></head><body><article><h1>%s %s report %d</h1>%s</article></body></html>`,
		ev.words[0], ev.words[2], n, url, ev.words[0], ev.words[2], n, body.String())
	return url, raw
}

// stream is the events' reports, interleaved as they would arrive.
func stream() (urls []string, raws [][]byte) {
	for n := range 5 {
		for e := range events {
			u, r := page(e, n)
			urls, raws = append(urls, u), append(raws, r)
		}
	}
	return urls, raws
}

func newTestPipeline(t *testing.T, st store.Store, holder string) *Processor {
	t.Helper()
	p, err := New(context.Background(), Config{Store: st, Holder: holder, Translate: translate.Config{Backend: "off"},
		Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func openSQLite(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// partition returns which URLs share a story: the stories' sets of URLs,
// as sorted, comma-joined strings.
func partition(t *testing.T, st store.Store, urls []string) []string {
	t.Helper()
	ctx := context.Background()
	by := map[int64][]string{}
	for _, u := range urls {
		a, err := st.ArticleByURL(ctx, u)
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		sid, err := st.StoryOf(ctx, a.ID)
		if err != nil {
			t.Fatalf("%s has no story: %v", u, err)
		}
		by[sid] = append(by[sid], u)
	}
	var out []string
	for _, us := range by {
		slices.Sort(us)
		out = append(out, strings.Join(us, ","))
	}
	slices.Sort(out)
	return out
}

func assertDone(t *testing.T, st store.Store, urls []string) {
	t.Helper()
	ctx := context.Background()
	for _, u := range urls {
		a, err := st.ArticleByURL(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		if p, err := st.PendingSteps(ctx, a.ID); err != nil || len(p) != 0 {
			t.Errorf("%s: steps left %v, %v", u, p, err)
		}
	}
}

func TestProcessFinishesEveryStep(t *testing.T) {
	ctx := context.Background()
	st := openSQLite(t, filepath.Join(t.TempDir(), "p.db"))
	p := newTestPipeline(t, st, "one")
	urls, raws := stream()
	for i := range raws {
		res, err := p.Process(ctx, Page{Raw: raws[i], URL: urls[i], SourceID: 7})
		if err != nil {
			t.Fatal(err)
		}
		if res.Outcome != store.Inserted || res.Article.SourceID != 7 || res.Article.Language != "en" {
			t.Fatalf("result %+v", res)
		}
	}
	if err := p.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	assertDone(t, st, urls)
	got := partition(t, st, urls)
	if len(got) != len(events) {
		t.Fatalf("%d stories, want %d: %v", len(got), len(events), got)
	}
	for _, s := range got {
		if n := strings.Count(s, ",") + 1; n != 5 {
			t.Errorf("story of %d articles, want 5: %s", n, s)
		}
	}
	a, _ := st.ArticleByURL(ctx, urls[0])
	if en, err := st.Enrichment(ctx, a.ID); err != nil || en == nil {
		t.Errorf("no enrichment stored: %v", err)
	}
}

// Two processes importing into one database at once give the stories one
// process gives, with no id handed out twice.
func TestConcurrentProcessesGiveOneProcessStories(t *testing.T) {
	ctx := context.Background()
	urls, raws := stream()

	one := openSQLite(t, filepath.Join(t.TempDir(), "one.db"))
	p := newTestPipeline(t, one, "solo")
	for i := range raws {
		if _, err := p.Process(ctx, Page{Raw: raws[i], URL: urls[i]}); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	want := partition(t, one, urls)

	path := filepath.Join(t.TempDir(), "two.db")
	a, b := openSQLite(t, path), openSQLite(t, path)
	pa, pb := newTestPipeline(t, a, "a"), newTestPipeline(t, b, "b")
	runCtx, stop := context.WithCancel(ctx)
	var running, importing sync.WaitGroup
	for k, p := range []*Processor{pa, pb} {
		running.Go(func() { p.Run(runCtx) })
		importing.Go(func() {
			for i := k; i < len(raws); i += 2 {
				if _, err := p.Process(ctx, Page{Raw: raws[i], URL: urls[i]}); err != nil {
					t.Error(err)
				}
			}
			if err := p.Finish(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	importing.Wait()
	stop()
	running.Wait()
	assertDone(t, a, urls)
	if got := partition(t, a, urls); !slices.Equal(got, want) {
		t.Errorf("two processes:\n%v\none process:\n%v", got, want)
	}
}

// A process stopped after half the stream and a new one started on the
// same database continue the same stories.
func TestRestartContinuesStories(t *testing.T) {
	ctx := context.Background()
	urls, raws := stream()
	path := filepath.Join(t.TempDir(), "r.db")
	half := len(raws) / 2

	first := openSQLite(t, path)
	p1, err := New(ctx, Config{Store: first, Holder: "first", Translate: translate.Config{Backend: "off"}, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	for i := range raws[:half] {
		if _, err := p1.Process(ctx, Page{Raw: raws[i], URL: urls[i]}); err != nil {
			t.Fatal(err)
		}
	}
	if err := p1.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	before := map[string]int64{}
	for _, u := range urls[:half] {
		a, _ := first.ArticleByURL(ctx, u)
		before[u], _ = first.StoryOf(ctx, a.ID)
	}
	p1.Close()

	second := openSQLite(t, path)
	p2 := newTestPipeline(t, second, "second")
	for i := half; i < len(raws); i++ {
		if _, err := p2.Process(ctx, Page{Raw: raws[i], URL: urls[i]}); err != nil {
			t.Fatal(err)
		}
	}
	if err := p2.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	got := partition(t, second, urls)
	if len(got) != len(events) {
		t.Fatalf("after a restart %d stories, want %d: %v", len(got), len(events), got)
	}
	// every article after the restart joined the story its event had
	for i := half; i < len(raws); i++ {
		a, _ := second.ArticleByURL(ctx, urls[i])
		sid, _ := second.StoryOf(ctx, a.ID)
		if !slices.Contains(slices.Collect(maps.Values(before)), sid) {
			t.Errorf("%s started story %d after the restart; stories before: %v", urls[i], sid, before)
		}
	}
}

// A process killed after storing articles leaves their steps queued; the
// same pages imported again (unchanged) get them done.
func TestUnchangedPageFinishesStepsLeftUndone(t *testing.T) {
	ctx := context.Background()
	st := openSQLite(t, filepath.Join(t.TempDir(), "k.db"))
	urls, raws := stream()
	// what a killed process leaves: articles stored, no step run
	for i := range raws[:4] {
		a := &news.Article{URL: urls[i], Title: "x", Text: "stored before the kill", Language: "en"}
		if _, err := st.UpsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	p := newTestPipeline(t, st, "rerun")
	for i := range raws[:4] {
		// the rerun reads the same page; here its text differs from the
		// stub, so re-store it first as the killed process would have
		if _, err := p.Process(ctx, Page{Raw: raws[i], URL: urls[i]}); err != nil {
			t.Fatal(err)
		}
		if res, err := p.Process(ctx, Page{Raw: raws[i], URL: urls[i]}); err != nil || res.Outcome != store.Unchanged {
			t.Fatalf("rerun: %v, %v", res.Outcome, err)
		}
	}
	// and a killed process's steps on an unchanged page
	a, _ := st.ArticleByURL(ctx, urls[0])
	for _, step := range store.Steps {
		if err := st.QueueStep(ctx, a.ID, step); err != nil {
			t.Fatal(err)
		}
	}
	if res, err := p.Process(ctx, Page{Raw: raws[0], URL: urls[0]}); err != nil || res.Outcome != store.Unchanged {
		t.Fatalf("rerun: %v, %v", res.Outcome, err)
	}
	if err := p.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	assertDone(t, st, urls[:4])
}

// An article whose translation arrives after its story step goes back to
// the story step and is compared as it reads in the reader's language.
func TestLateTranslationReentersStory(t *testing.T) {
	ctx := context.Background()
	st := openSQLite(t, filepath.Join(t.TempDir(), "late.db"))
	p := newTestPipeline(t, st, "late")
	urls, raws := stream()
	for i := range raws {
		if _, err := p.Process(ctx, Page{Raw: raws[i], URL: urls[i]}); err != nil {
			t.Fatal(err)
		}
	}
	// a Spanish report whose words the English stories do not share
	es := []byte(`<!doctype html><html lang="es"><head><title>Una noticia en castellano</title></head><body><article>
<h1>Una noticia en castellano</h1><p>` + strings.Repeat("El ayuntamiento de la ciudad aprobó ayer una nueva ordenanza sobre los mercados municipales y las ferias del barrio. ", 8) + `</p>
</article></body></html>`)
	res, err := p.Process(ctx, Page{Raw: es, URL: "https://diario.example/noticia"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Article.Language != "es" {
		t.Fatalf("language %q, want es", res.Article.Language)
	}
	if err := p.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	before, err := st.StoryOf(ctx, res.Article.ID)
	if err != nil {
		t.Fatal(err)
	}
	chess, _ := st.ArticleByURL(ctx, urls[1]) // events[1] is the chess tournament
	chessStory, _ := st.StoryOf(ctx, chess.ID)
	if before == chessStory {
		t.Fatalf("the Spanish article is in the chess story before its translation")
	}
	// its translation arrives: it reports the chess tournament
	_, raw := page(1, 9)
	text := string(raw[strings.Index(string(raw), "<p>"):])
	tr := &news.Translation{ArticleID: res.Article.ID, Lang: "en", SourceLang: "es", Backend: "test", Engine: "Test",
		Title: "chess grandmaster report", Text: text, Status: news.TranslationDone}
	if err := st.SaveTranslation(ctx, tr); err != nil {
		t.Fatal(err)
	}
	if err := st.QueueStep(ctx, res.Article.ID, store.StepStory); err != nil {
		t.Fatal(err)
	}
	if err := p.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	after, _ := st.StoryOf(ctx, res.Article.ID)
	if after != chessStory {
		t.Errorf("after its translation the article is in story %d, want the chess story %d (was %d)", after, chessStory, before)
	}
}
