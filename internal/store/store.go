// Package store defines how newsdesk keeps its data: small interfaces, one
// per concern, gathered in Store, which every backend (store/sqlite,
// store/postgres) implements. Nothing outside internal/store knows SQL or
// imports a database driver (imports_test.go holds the tree to it).
package store

import (
	"context"
	"errors"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store/queue"
)

// ErrNotFound is returned when the item asked for does not exist.
var ErrNotFound = errors.New("store: not found")

// Store is everything a backend provides. Both backends implement all of
// it, so callers call what they need instead of asking what a store can do.
type Store interface {
	ArticleStore
	SourceStore
	StepStore
	StoryStore
	TranslationStore
	EntityStore
	ViewStore
	RelatedStore
	FacetStore
	// Migrations lists the schema migrations this build knows, each with
	// the time it was applied, and any applied migration it does not know
	// (a newer build ran first), by version.
	Migrations(ctx context.Context) ([]Migration, error)
	// JobQueue is the store's database as the home of the collector's
	// job queue.
	JobQueue() *queue.DB
	// File is the file the database lives in, "" for a database in memory
	// or on a server. Files that belong with the database (the admin
	// password) are kept beside it.
	File() string
	// Close releases the backend's resources.
	Close() error
}

// Migration is one schema change and whether it has been applied.
type Migration struct {
	Version   int
	Name      string
	AppliedAt time.Time // zero when pending
}

// Outcome says what an upsert did.
type Outcome int

// The outcomes of UpsertArticle.
const (
	Inserted  Outcome = iota + 1 // a new article
	Updated                      // same URL, changed content; first-seen time kept
	Unchanged                    // same URL, same content: nothing written
)

func (o Outcome) String() string {
	switch o {
	case Inserted:
		return "inserted"
	case Updated:
		return "updated"
	case Unchanged:
		return "unchanged"
	}
	return "unknown"
}

// ArticleStore keeps articles and finds them again.
type ArticleStore interface {
	// UpsertArticle stores a by its canonical URL. It sets a.ID and
	// a.FirstSeenAt from the stored row.
	UpsertArticle(ctx context.Context, a *news.Article) (Outcome, error)
	// Article returns one article, or ErrNotFound.
	Article(ctx context.Context, id int64) (*news.Article, error)
	// ArticleByURL returns the article with this canonical URL, or ErrNotFound.
	ArticleByURL(ctx context.Context, url string) (*news.Article, error)
	// ListArticles returns articles newest first (by published time, then
	// first-seen time).
	ListArticles(ctx context.Context, f ArticleFilter) ([]news.Article, error)
	// CountArticles counts the articles ListArticles would page through.
	CountArticles(ctx context.Context, f ArticleFilter) (int, error)
	// Search runs a full-text query over title and text. The query is
	// plain words as a reader types them, never raw backend syntax. It
	// returns one page of hits in the order SearchWindow describes, and
	// the number of hits: exact up to SearchTotalCap, SearchTotalCap+1
	// when there are more (read "more than SearchTotalCap").
	Search(ctx context.Context, q SearchQuery) ([]SearchHit, int, error)
}

// ArticleFilter narrows a listing. Zero fields do not filter.
type ArticleFilter struct {
	SourceID int64
	Site     string
	Language string
	Since    time.Time
	Until    time.Time
	Limit    int // default 20, at most 1000
	Offset   int
}

// SearchQuery is a reader's search.
type SearchQuery struct {
	Text     string
	Site     string
	Language string
	Since    time.Time
	Until    time.Time
	Limit    int // default 20, at most 100
	Offset   int
}

// SearchHit is one search result.
type SearchHit struct {
	Article news.Article
	// Snippet is plain text around the matches; the byte ranges in Marks
	// are the matched terms, for the caller to highlight safely.
	Snippet string
	Marks   [][2]int
	Rank    float64
}

// Limit clamps a page size to [1, max], using def when n <= 0.
func Limit(n, def, max int) int {
	if n <= 0 {
		return def
	}
	if n > max {
		return max
	}
	return n
}
