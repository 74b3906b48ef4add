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
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tr, err := NewTracker(ctx, s, Options{}, dedup.Options{})
	if err != nil {
		t.Fatal(err)
	}
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
