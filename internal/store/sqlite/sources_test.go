package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

func TestSources(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "src.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	src := &news.Source{URL: "https://a.example/feed.xml", Name: "A", Interval: 15 * time.Minute}
	if err := s.AddSource(ctx, src); err != nil || src.ID == 0 {
		t.Fatalf("AddSource: %v id=%d", err, src.ID)
	}
	if err := s.AddSource(ctx, &news.Source{URL: src.URL}); !errors.Is(err, store.ErrExists) {
		t.Fatalf("duplicate: %v", err)
	}
	b := &news.Source{URL: "https://b.example/", NextPollAt: time.Now().Add(time.Hour)}
	if err := s.AddSource(ctx, b); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	due, err := s.DueSources(ctx, now, 10)
	if err != nil || len(due) != 1 || due[0].ID != src.ID || due[0].State != news.StateNew {
		t.Fatalf("due: %+v %v", due, err)
	}
	if un, err := s.UnseenItems(ctx, src.ID, []string{"u1", "u2", "u1"}); err != nil || len(un) != 2 {
		t.Fatalf("UnseenItems: %v %v", un, err)
	}
	fresh, err := s.MarkSeen(ctx, src.ID, []string{"u1", "u2", "u1"}, now)
	if err != nil || len(fresh) != 2 {
		t.Fatalf("MarkSeen: %v %v", fresh, err)
	}
	fresh, _ = s.MarkSeen(ctx, src.ID, []string{"u2", "u3"}, now)
	if len(fresh) != 1 || fresh[0] != "u3" {
		t.Fatalf("MarkSeen again: %v", fresh)
	}
	if un, _ := s.UnseenItems(ctx, src.ID, []string{"u3", "u4"}); len(un) != 1 || un[0] != "u4" {
		t.Fatalf("UnseenItems after MarkSeen: %v", un)
	}
	next := now.Add(30 * time.Minute).Truncate(time.Millisecond)
	err = s.RecordPoll(ctx, src.ID, store.PollRecord{At: now, State: news.StateFailing, Error: "fetch: HTTP 500",
		Failures: 1, NextPollAt: next, Status: 500, Kind: news.KindFeed, Name: "ignored", Language: "es"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Source(ctx, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != news.StateFailing || got.LastError == "" || got.Failures != 1 || !got.NextPollAt.Equal(next) ||
		got.Kind != news.KindFeed || got.Name != "A" || got.Language != "es" || got.ItemsSeen != 3 || got.Polls != 1 {
		t.Fatalf("after poll: %+v", got)
	}
	// A 304 keeps the validators.
	s.RecordPoll(ctx, src.ID, store.PollRecord{At: now, State: news.StateOK, ETag: `"v1"`, NextPollAt: next})
	s.RecordPoll(ctx, src.ID, store.PollRecord{At: now, State: news.StateOK, NotModified: true, NextPollAt: next})
	got, _ = s.Source(ctx, src.ID)
	if got.ETag != `"v1"` || got.NotModified != 1 {
		t.Fatalf("etag %q notModified %d", got.ETag, got.NotModified)
	}
	got.Paused = true
	if err := s.UpdateSource(ctx, &got.Source); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueSources(ctx, now.Add(2*time.Hour), 10); len(due) != 1 || due[0].ID != b.ID {
		t.Fatalf("paused source still due: %+v", due)
	}
	if err := s.SetWebSub(ctx, b.ID, store.WebSub{Hub: "https://hub.example/", Topic: "https://b.example/feed", State: "active"}); err != nil {
		t.Fatal(err)
	}
	if r, err := s.SourceByTopic(ctx, "https://b.example/feed"); err != nil || r.ID != b.ID {
		t.Fatalf("by topic: %v %v", r, err)
	}
	list, _ := s.ListSources(ctx)
	if len(list) != 2 || list[0].State != news.StatePaused {
		t.Fatalf("list: %+v", list)
	}
	if err := s.RemoveSource(ctx, src.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Source(ctx, src.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("removed source: %v", err)
	}
	if err := s.RemoveSource(ctx, src.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("remove twice: %v", err)
	}
}
