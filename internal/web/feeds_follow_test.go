package web

import (
	"context"
	"html"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/newsdesk/newsdesk/internal/news"
)

// parseFeed fetches and parses a feed with gofeed, as a feed reader would.
func parseFeed(t *testing.T, ts *testSite, path string) *gofeed.Feed {
	t.Helper()
	res := ts.get(t, path)
	if res.status != 200 {
		t.Fatalf("%s: %d %s", path, res.status, res.body)
	}
	if strings.HasSuffix(path, ".atom") {
		wellFormedXML(t, res.body)
	}
	f, err := gofeed.NewParser().ParseString(res.body)
	if err != nil {
		t.Fatalf("%s: gofeed: %v", path, err)
	}
	return f
}

// item finds a feed's item by its link to our article page.
func item(f *gofeed.Feed, a *news.Article) *gofeed.Item {
	for _, it := range f.Items {
		if it.Link == "https://news.example.org/article/"+itoa(a.ID) {
			return it
		}
	}
	return nil
}

// TestStoryFeeds: a story's Atom and JSON feeds hold its articles, newest
// first, the Spanish one under its English translation with the original
// a link away; the story page offers both; a merged story's feed moves.
func TestStoryFeeds(t *testing.T) {
	ts, a := storyTestSite(t)
	for _, path := range []string{"/story/1/feed.atom", "/story/1/feed.json"} {
		f := parseFeed(t, ts, path)
		if f.Title != "newsdesk: Migrant caravan reaches the US border" || f.Link != "https://news.example.org/story/1" {
			t.Errorf("%s: title %q, link %q", path, f.Title, f.Link)
		}
		var got []string
		for _, it := range f.Items {
			got = append(got, it.Link)
		}
		want := []string{}
		for _, i := range []int{0, 4, 1, 2} { // newest first; 4 came with the merged story 2
			want = append(want, "https://news.example.org/article/"+itoa(a[i].ID))
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: items %v, want %v", path, got, want)
		}
		es := item(f, a[1])
		if es == nil {
			t.Fatalf("%s: no item for the Spanish article", path)
		}
		if es.Title != "The migrant caravan arrives at the border" || !strings.Contains(es.Content, "Machine-translated from Spanish") ||
			!strings.Contains(es.Content, `href="https://diario.example.es/caravana"`) {
			t.Errorf("%s: the Spanish article is not in the reader's language with its original: %q %q", path, es.Title, es.Content)
		}
	}
	page := html.UnescapeString(ts.get(t, "/story/1").body) // html/template writes + as &#43;
	for _, want := range []string{`<link rel="alternate" type="application/atom+xml" title="Story: Migrant caravan reaches the US border (Atom)" href="/story/1/feed.atom">`,
		`<link rel="alternate" type="application/feed+json" title="Story: Migrant caravan reaches the US border (JSON Feed)" href="/story/1/feed.json">`} {
		if !strings.Contains(page, want) {
			t.Errorf("the story page lacks %s", want)
		}
	}
	if res := ts.get(t, "/story/2/feed.json"); res.status != 301 || res.header.Get("Location") != "/story/1/feed.json" {
		t.Errorf("merged story's feed: %d to %q", res.status, res.header.Get("Location"))
	}
	for _, path := range []string{"/story/999/feed.atom", "/story/x/feed.json", "/story/0/feed.atom"} {
		if res := ts.get(t, path); res.status != 404 {
			t.Errorf("%s: %d, want 404", path, res.status)
		}
	}
}

// TestEntityFeeds: an entity's feeds hold the articles that name it, in
// the reader's language, and its page offers them.
func TestEntityFeeds(t *testing.T) {
	ts, a := storyTestSite(t)
	if err := ts.st.SaveEnrichment(context.Background(), &news.Enrichment{ArticleID: a[1].ID, Language: "es", Entities: []news.Entity{
		{Key: "tijuana", Kind: news.EntityPlace, Name: "Tijuana", Count: 1}}}); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/entity/tijuana/feed.atom", "/entity/tijuana/feed.json"} {
		f := parseFeed(t, ts, path)
		if f.Title != "newsdesk: news naming Tijuana" || f.Link != "https://news.example.org/entity/tijuana" || len(f.Items) != 2 {
			t.Errorf("%s: %q %q, %d items", path, f.Title, f.Link, len(f.Items))
		}
		if it := item(f, a[0]); it == nil || it.Title != "Migrant caravan reaches the border" {
			t.Errorf("%s: the English article: %+v", path, it)
		}
		if it := item(f, a[1]); it == nil || it.Title != "The migrant caravan arrives at the border" {
			t.Errorf("%s: the Spanish article is not in the reader's language: %+v", path, it)
		}
	}
	if !strings.Contains(html.UnescapeString(ts.get(t, "/entity/tijuana").body), `<link rel="alternate" type="application/atom+xml" title="News naming Tijuana (Atom)" href="/entity/tijuana/feed.atom">`) {
		t.Error("the entity page does not offer its feed")
	}
	for _, path := range []string{"/entity/nobody/feed.atom", "/entity/Bad%20Key/feed.json"} {
		if res := ts.get(t, path); res.status != 404 {
			t.Errorf("%s: %d, want 404", path, res.status)
		}
	}
}
