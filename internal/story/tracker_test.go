package story

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/dedup"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
)

func TestTracker(t *testing.T) {
	ctx := context.Background()
	s, tr := newTracker(t)
	t0 := time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)
	wire := "LIMA (EFE).- " + events["quake-peru"][0] + " " + events["quake-peru"][1] + " " + events["quake-peru"][2]
	arts := []*news.Article{
		{URL: "https://www.efe.com/a", SiteName: "EFE", Title: "Quake in Arequipa", Text: wire, Published: t0},
		{URL: "https://aggregator.example/b", SiteName: "Aggregator", Title: "Deadly quake hits Peru", Text: wire, Published: t0.Add(-time.Hour)},
		{URL: "https://chile.example/c", SiteName: "Chile Hoy", Title: "Chile quake", Text: events["quake-chile"][0], Published: t0},
	}
	var res []Result
	for i, a := range arts {
		a.ContentHash = fmt.Sprint(i)
		if _, err := s.UpsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		r, err := tr.Track(ctx, a, a.Title, a.Text, false)
		if err != nil {
			t.Fatal(err)
		}
		res = append(res, r)
	}
	if res[1].Syndication.Of != arts[0].ID || res[1].Origin.Original != arts[0].ID || res[1].Origin.Agency != "EFE" {
		t.Errorf("copy not credited to the agency: %+v", res[1])
	}
	if res[0].Story != res[1].Story || res[2].Story == res[0].Story {
		t.Errorf("stories %d %d %d", res[0].Story, res[1].Story, res[2].Story)
	}
	st, err := s.Story(ctx, res[0].Story)
	if err != nil {
		t.Fatal(err)
	}
	if st.Articles != 2 || st.Headline == "" || len(st.KeyNames) == 0 {
		t.Errorf("story %+v", st)
	}
	sy, err := s.Syndication(ctx, arts[1].ID)
	if err != nil || sy.OriginalID != arts[0].ID || sy.Members != 2 {
		t.Errorf("syndication %+v %v", sy, err)
	}
	// a restarted tracker continues the story ids
	tr2, err := NewTracker(ctx, s, Options{}, dedup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := &news.Article{URL: "https://x.example/new", Title: "Unrelated", Text: "A chess club opened in the library.", ContentHash: "n", Published: t0}
	if _, err := s.UpsertArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	r, err := tr2.Track(ctx, a, a.Title, a.Text, false)
	if err != nil {
		t.Fatal(err)
	}
	if r.Story <= res[2].Story {
		t.Errorf("restarted tracker reused story id %d", r.Story)
	}
}

// An archived article without a publication time is dated by its
// dateline, not by the day it was read: a report of today on the same
// kind of event does not join it.
func TestTrackerDatesArchivedArticlesByDateline(t *testing.T) {
	ctx := context.Background()
	s, tr := newTracker(t)
	quake := events["quake-peru"][0] + " " + events["quake-peru"][1] + " " + events["quake-peru"][2]
	track := func(a *news.Article) Result {
		t.Helper()
		if _, err := s.UpsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		r, err := tr.Track(ctx, a, a.Title, a.Text, false)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, tc := range []struct {
		dateline string
		apart    bool
	}{
		{"27 November 2005", true},
		{"", false}, // read today, and nothing says otherwise
	} {
		old := track(&news.Article{URL: "https://archive.example/" + tc.dateline, Title: "Quake in Arequipa",
			Text: tc.dateline + "\n" + quake, ContentHash: "old" + tc.dateline})
		now := track(&news.Article{URL: "https://today.example/" + tc.dateline, Title: "Quake in Arequipa",
			Text: quake, ContentHash: "now" + tc.dateline, Published: time.Now()})
		if apart := old.Story != now.Story; apart != tc.apart {
			t.Errorf("dateline %q: apart = %v, want %v (stories %d, %d)", tc.dateline, apart, tc.apart, old.Story, now.Story)
		}
	}
}

// newTracker opens a store in a temporary directory, closed when the test
// ends, and a tracker on it.
func newTracker(t *testing.T) (*sqlite.Store, *Tracker) {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	tr, err := NewTracker(context.Background(), s, Options{}, dedup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s, tr
}
