package store

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// EntityStore keeps what the enrich stage found in each article (people,
// organisations, places, quotes, figures) and finds articles again by the
// entities they name.
type EntityStore interface {
	// SaveEnrichment stores an article's enrichment, replacing the one it
	// had: an updated article's old entities and quotes are forgotten.
	SaveEnrichment(ctx context.Context, e *news.Enrichment) error
	// Enrichment returns an article's enrichment (its entities, quotes
	// and figures), or ErrNotFound when it has none.
	Enrichment(ctx context.Context, articleID int64) (*news.Enrichment, error)
	// Entity sums up one entity across the articles that name it, or
	// returns ErrNotFound.
	Entity(ctx context.Context, key string) (*EntitySummary, error)
	// EntityArticles returns one page of the articles that name the
	// entity, newest first, and how many there are in all.
	EntityArticles(ctx context.Context, key string, limit, offset int) ([]news.Article, int, error)
	// EntityQuotes returns the quotes attributed to the entity, newest
	// article first.
	EntityQuotes(ctx context.Context, key string, limit int) ([]EntityQuote, error)
	// TopEntities returns the entities named by the most articles over a
	// time window (by the articles' listing time).
	TopEntities(ctx context.Context, q TopEntitiesQuery) ([]EntityCount, error)
}

// EntitySummary is an entity across every article that names it.
type EntitySummary struct {
	Key      string
	Kind     news.EntityKind
	Name     string
	Roles    []string // every role the articles gave it, most frequent first
	Articles int      // how many articles name it
	Quotes   int      // how many quotes are attributed to it
	LastSeen time.Time
}

// EntityQuote is a quote with the article it comes from.
type EntityQuote struct {
	news.Quote
	ArticleID    int64
	ArticleTitle string
	Language     string
	Published    time.Time // the article's listing time
}

// TopEntitiesQuery asks for the most-named entities.
type TopEntitiesQuery struct {
	Since, Until time.Time       // zero: unbounded
	Kind         news.EntityKind // "" = every kind
	Limit        int             // default 20, at most 200
}

// EntityCount is one entity in a ranking.
type EntityCount struct {
	Key      string
	Kind     news.EntityKind
	Name     string
	Articles int // articles in the window that name it
	Mentions int // times they name it
}

// RankRoles merges the roles several articles gave an entity, most
// frequent first (ties in first-seen order), folding case.
func RankRoles(lists [][]string) []string {
	type seen struct {
		role  string
		n, at int
	}
	byKey := map[string]*seen{}
	var order []*seen
	for _, l := range lists {
		for _, r := range l {
			k := strings.ToLower(strings.TrimSpace(r))
			if k == "" {
				continue
			}
			if s := byKey[k]; s != nil {
				s.n++
				continue
			}
			s := &seen{role: r, n: 1, at: len(order)}
			byKey[k] = s
			order = append(order, s)
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i].n > order[j].n })
	out := make([]string, len(order))
	for i, s := range order {
		out[i] = s.role
	}
	return out
}
