package store

import (
	"context"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// StoryStore keeps stories (articles about one event), the assignment of
// each article to its story, and syndication groups (copies of one
// article) with their credited original. Story ids come from the
// clusterer; a merged story keeps a pointer to the story it went into, so
// old links still resolve.
type StoryStore interface {
	// AssignStory puts an article in a story, creating the story row if
	// needed, and updates the story's counts and times.
	AssignStory(ctx context.Context, articleID, storyID int64, score float64) error
	// MergeStories moves every article of the from stories into into and
	// marks them merged.
	MergeStories(ctx context.Context, into int64, from []int64) error
	// MoveArticles re-assigns articles (the clusterer's refinements).
	MoveArticles(ctx context.Context, moves []StoryMove) error
	// SaveStoryText sets a story's headline, summary and key names.
	SaveStoryText(ctx context.Context, storyID int64, headline, summary string, keyNames []string) error
	// Story returns a story, following merges, or ErrNotFound.
	Story(ctx context.Context, id int64) (*news.Story, error)
	// ListStories returns stories (not merged ones), latest activity first.
	ListStories(ctx context.Context, f StoryFilter) ([]news.Story, error)
	// StoryArticleIDs returns a story's articles, oldest first.
	StoryArticleIDs(ctx context.Context, storyID int64) ([]int64, error)
	// StoryOf returns the story an article is in (following merges), or
	// ErrNotFound.
	StoryOf(ctx context.Context, articleID int64) (int64, error)
	// MaxStoryID is the largest story id ever stored (0 for none), so a
	// restarted clusterer does not reuse ids.
	MaxStoryID(ctx context.Context) (int64, error)

	// SetSyndication records that an article belongs to a syndication
	// group (of is the earlier copy it matched; 0 when it starts one).
	SetSyndication(ctx context.Context, articleID, groupID, of int64, overlap float64) error
	// SetOrigin records a group's credited original and agency.
	SetOrigin(ctx context.Context, groupID, originalID int64, agency, why string) error
	// Syndication returns an article's syndication record with its group's
	// original and size, or ErrNotFound when it is in no group.
	Syndication(ctx context.Context, articleID int64) (*news.Syndication, error)
	// SyndicationMembers returns the articles of a group, oldest first.
	SyndicationMembers(ctx context.Context, groupID int64) ([]int64, error)
}

// StoryMove is one article changing story.
type StoryMove struct {
	ArticleID int64
	To        int64
}

// StoryFilter narrows ListStories. Zero fields do not filter.
type StoryFilter struct {
	Since       time.Time // last activity at or after
	MinArticles int
	Limit       int // default 20, at most 200
	Offset      int
}
