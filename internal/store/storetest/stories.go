package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// The story and syndication cases, as store/sqlite's own tests have them.

func testStories(t *testing.T, s store.Store) {
	ctx := context.Background()
	t0 := time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)
	var ids []int64
	for i, lang := range []string{"es", "en", "en", "es", "en"} {
		a := &news.Article{URL: fmt.Sprintf("https://x.example/%d", i), Title: fmt.Sprintf("T%d", i), Text: "text",
			Language: lang, Published: t0.Add(time.Duration(i) * time.Hour), ContentHash: fmt.Sprint(i)}
		if _, err := s.UpsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	// articles 0,1,2 in story 10; 3,4 in story 11
	for i, id := range ids {
		sid := int64(10)
		if i >= 3 {
			sid = 11
		}
		if err := s.AssignStory(ctx, id, sid, 0.5); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SaveStoryText(ctx, 10, "Headline", "Summary.", []string{"Lima", "Dina Boluarte"}); err != nil {
		t.Fatal(err)
	}
	st, err := s.Story(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if st.Articles != 3 || st.Headline != "Headline" || !slices.Equal(st.KeyNames, []string{"Lima", "Dina Boluarte"}) ||
		!slices.Equal(st.Languages, []string{"en", "es"}) || !st.FirstAt.Equal(t0) || !st.LastAt.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("story 10: %+v", st)
	}
	list, err := s.ListStories(ctx, store.StoryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != 11 {
		t.Errorf("list: %+v", list)
	}
	// merge 11 into 10: old id resolves, list has one story
	if err := s.MergeStories(ctx, 10, []int64{11}); err != nil {
		t.Fatal(err)
	}
	if st, err := s.Story(ctx, 11); err != nil || st.ID != 10 || st.Articles != 5 {
		t.Errorf("story 11 after merge: %+v %v", st, err)
	}
	if sid, err := s.StoryOf(ctx, ids[4]); err != nil || sid != 10 {
		t.Errorf("story of article: %d %v", sid, err)
	}
	if list, _ := s.ListStories(ctx, store.StoryFilter{}); len(list) != 1 {
		t.Errorf("list after merge: %+v", list)
	}
	// move one article out to a new story
	if err := s.MoveArticles(ctx, []store.StoryMove{{ArticleID: ids[0], To: 12}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.StoryArticleIDs(ctx, 10)
	if err != nil || !slices.Equal(got, ids[1:]) {
		t.Errorf("story 10 articles %v %v, want %v", got, err, ids[1:])
	}
	if max, err := s.MaxStoryID(ctx); err != nil || max != 12 {
		t.Errorf("max story id %d %v", max, err)
	}
	if _, err := s.Story(ctx, 99); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing story: %v", err)
	}
}

func testSyndication(t *testing.T, s store.Store) {
	ctx := context.Background()
	var ids []int64
	for i := range 3 {
		a := &news.Article{URL: fmt.Sprintf("https://y.example/%d", i), Title: "T", Text: "text", ContentHash: fmt.Sprint(i),
			Published: time.Date(2024, 5, 1, i, 0, 0, 0, time.UTC)}
		if _, err := s.UpsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	g := ids[0]
	if err := s.SetSyndication(ctx, ids[0], g, 0, 0); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids[1:] {
		if err := s.SetSyndication(ctx, id, g, ids[0], 0.9); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetOrigin(ctx, g, ids[1], "EFE", "agency"); err != nil {
		t.Fatal(err)
	}
	sy, err := s.Syndication(ctx, ids[2])
	if err != nil {
		t.Fatal(err)
	}
	if sy.GroupID != g || sy.Of != ids[0] || sy.OriginalID != ids[1] || sy.Agency != "EFE" || sy.Members != 3 {
		t.Errorf("syndication %+v", sy)
	}
	if m, err := s.SyndicationMembers(ctx, g); err != nil || !slices.Equal(m, ids) {
		t.Errorf("members %v %v", m, err)
	}
	if _, err := s.Syndication(ctx, 999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing: %v", err)
	}
}
