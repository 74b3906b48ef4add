package web

import (
	"context"
	"errors"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// articleStory is what the article page says about the article's story
// and its syndication group.
type articleStory struct {
	Story *news.Story // nil when the article is in no story (yet)
	// Original is the group's credited original when it is another
	// article; nil when this article is the original or in no group.
	Original *news.Article
	Agency   string // the wire agency the group credits, e.g. "EFE"
	Copies   int    // other outlets in the syndication group
}

func articleStoryHook(ctx context.Context, s *Server, p *articlePage) error {
	ss := s.store
	var v articleStory
	if sid, err := ss.StoryOf(ctx, p.Article.ID); err == nil {
		if st, err := ss.Story(ctx, sid); err == nil && st.Articles > 1 {
			v.Story = st
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if syn, err := ss.Syndication(ctx, p.Article.ID); err == nil && syn.Members > 1 {
		v.Agency, v.Copies = syn.Agency, syn.Members-1
		if syn.OriginalID != 0 && syn.OriginalID != p.Article.ID {
			if o, err := s.store.Article(ctx, syn.OriginalID); err == nil {
				v.Original = o
			}
		}
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if v.Story != nil || v.Copies > 0 {
		p.Story = &v
	}
	return nil
}

// onePerSyndication keeps one article of each syndication group in a
// listing (the first listed, the newest), so the front page shows a wire
// story once however many outlets republished it. The article page and
// the story page credit the others.
func (s *Server) onePerSyndication(ctx context.Context, arts []news.Article) []news.Article {
	ss := s.store
	seen := map[int64]bool{}
	out := arts[:0]
	for _, a := range arts {
		if syn, err := ss.Syndication(ctx, a.ID); err == nil && syn.Members > 1 {
			if seen[syn.GroupID] {
				continue
			}
			seen[syn.GroupID] = true
		}
		out = append(out, a)
	}
	return out
}
