package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// testSteps: a new or changed article has every later step queued by the
// write itself; finished steps go; the story queue waits for translation.
func testSteps(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := article(1, "Steps", "An article with later steps.")
	if _, err := s.UpsertArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	pending := func(id int64) []string {
		t.Helper()
		got, err := s.PendingSteps(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		return got
	}
	if got, want := pending(a.ID), []string{store.StepEnrich, store.StepStory, store.StepTranslate}; !slices.Equal(got, want) {
		t.Fatalf("pending after insert = %v, want %v", got, want)
	}
	q, err := s.StoryQueue(ctx, 10)
	if err != nil || len(q) != 0 {
		t.Fatalf("story queue before translation = %v, %v; want empty", q, err)
	}
	for _, step := range []string{store.StepTranslate, store.StepEnrich} {
		if err := s.FinishStep(ctx, a.ID, step); err != nil {
			t.Fatal(err)
		}
	}
	if q, err = s.StoryQueue(ctx, 10); err != nil || !slices.Equal(q, []int64{a.ID}) {
		t.Fatalf("story queue after translation = %v, %v; want [%d]", q, err, a.ID)
	}
	if err := s.FinishStep(ctx, a.ID, store.StepStory); err != nil {
		t.Fatal(err)
	}
	if got := pending(a.ID); len(got) != 0 {
		t.Fatalf("pending after all finished = %v", got)
	}
	// unchanged content queues nothing; changed content queues it all again
	same := article(1, a.Title, a.Text)
	if out, err := s.UpsertArticle(ctx, same); err != nil || out != store.Unchanged {
		t.Fatalf("same = %v, %v", out, err)
	}
	if got := pending(a.ID); len(got) != 0 {
		t.Fatalf("pending after an unchanged upsert = %v", got)
	}
	changed := article(1, a.Title, a.Text+" Changed.")
	if out, err := s.UpsertArticle(ctx, changed); err != nil || out != store.Updated {
		t.Fatalf("changed = %v, %v", out, err)
	}
	if got := pending(a.ID); len(got) != 3 {
		t.Fatalf("pending after a change = %v, want all three", got)
	}
	// due: queued before the cut
	due, err := s.StepsDue(ctx, store.StepEnrich, time.Now().Add(time.Minute), 10)
	if err != nil || !slices.Equal(due, []int64{a.ID}) {
		t.Fatalf("due = %v, %v", due, err)
	}
	if due, err = s.StepsDue(ctx, store.StepEnrich, time.Now().Add(-time.Hour), 10); err != nil || len(due) != 0 {
		t.Fatalf("due before the article was written = %v, %v", due, err)
	}
	// requeue one step alone; a missing article is not an error
	for _, step := range store.Steps {
		if err := s.FinishStep(ctx, a.ID, step); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.QueueStep(ctx, a.ID, store.StepStory); err != nil {
		t.Fatal(err)
	}
	if got := pending(a.ID); !slices.Equal(got, []string{store.StepStory}) {
		t.Fatalf("pending after requeue = %v", got)
	}
	if err := s.QueueStep(ctx, a.ID+1000, store.StepStory); err != nil {
		t.Fatalf("queue for a missing article: %v", err)
	}
}

// testLeases: one holder at a time; renewal; release; expiry.
func testLeases(t *testing.T, s store.Store) {
	ctx := context.Background()
	try := func(holder string, ttl time.Duration) bool {
		t.Helper()
		ok, err := s.TryLease(ctx, "test-lease", holder, ttl)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !try("a", time.Minute) {
		t.Fatal("a could not take a free lease")
	}
	if try("b", time.Minute) {
		t.Fatal("b took a lease a holds")
	}
	if !try("a", time.Minute) {
		t.Fatal("a could not renew its lease")
	}
	if err := s.ReleaseLease(ctx, "test-lease", "b"); err != nil {
		t.Fatal(err)
	}
	if try("b", time.Minute) {
		t.Fatal("b's release freed a's lease")
	}
	if err := s.ReleaseLease(ctx, "test-lease", "a"); err != nil {
		t.Fatal(err)
	}
	if !try("b", 10*time.Millisecond) {
		t.Fatal("b could not take a released lease")
	}
	time.Sleep(30 * time.Millisecond)
	if !try("c", time.Minute) {
		t.Fatal("c could not take an expired lease")
	}
}

// testStoryWindow: the window is the newest assigned articles, in arrival
// order, with story, group and translation.
func testStoryWindow(t *testing.T, s store.Store) {
	ctx := context.Background()
	t0 := time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)
	var ids []int64
	for i, at := range []time.Duration{0, 200 * time.Hour, 201 * time.Hour, 202 * time.Hour, 203 * time.Hour} {
		a := &news.Article{URL: fmt.Sprintf("https://w.example/%d", i), Title: fmt.Sprintf("T%d", i), Text: "text",
			BodyHTML: "<p>text</p>", Language: "es", Published: t0.Add(at)}
		if _, err := s.UpsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	// the last article is in no story yet: not in the window
	for i, id := range ids[:4] {
		if err := s.AssignStory(ctx, id, int64(20+i%2), 0.5); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetSyndication(ctx, ids[2], ids[1], ids[1], 0.9); err != nil {
		t.Fatal(err)
	}
	tr := &news.Translation{ArticleID: ids[3], Lang: "en", SourceLang: "es", Backend: "apertium", Engine: "Apertium",
		Title: "T3 in English", Text: "text in English", Status: news.TranslationDone}
	if err := s.SaveTranslation(ctx, tr); err != nil {
		t.Fatal(err)
	}
	var got []store.WindowArticle
	collect := func(w store.WindowArticle) error { got = append(got, w); return nil }
	if err := s.StoryWindow(ctx, 1000, "en", collect); err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[0].Article.ID != ids[0] || got[3].Article.ID != ids[3] {
		t.Fatalf("window = %+v; want articles %v", got, ids[:4])
	}
	got = got[1:]
	if got[0].Story != 21 || got[1].Story != 20 || got[1].Group != ids[1] || got[0].Group != 0 {
		t.Errorf("stories/groups = %d/%d, %d/%d", got[0].Story, got[0].Group, got[1].Story, got[1].Group)
	}
	if got[2].TranslatedTitle != "T3 in English" || got[2].TranslatedText != "text in English" || got[1].TranslatedTitle != "" {
		t.Errorf("translations = %q %q / %q", got[2].TranslatedTitle, got[2].TranslatedText, got[1].TranslatedTitle)
	}
	if got[0].Article.Text != "text" || got[0].Article.Title != "T1" {
		t.Errorf("article = %+v", got[0].Article)
	}
	// a merged story is read as the story it went into
	if err := s.MergeStories(ctx, 20, []int64{21}); err != nil {
		t.Fatal(err)
	}
	if err := s.MoveArticles(ctx, []store.StoryMove{{ArticleID: ids[3], To: 21}}); err != nil {
		t.Fatal(err)
	}
	got = nil
	if err := s.StoryWindow(ctx, 1000, "en", collect); err != nil {
		t.Fatal(err)
	}
	for _, w := range got {
		if w.Story != 20 {
			t.Errorf("article %d in story %d after the merge, want 20", w.Article.ID, w.Story)
		}
	}
	got = nil
	if err := s.StoryWindow(ctx, 2, "en", collect); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Article.ID != ids[2] {
		t.Fatalf("window of 2 = %d articles, first %d; want the newest two", len(got), got[0].Article.ID)
	}
}
