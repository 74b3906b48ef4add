package store

import (
	"context"

	"github.com/newsdesk/newsdesk/internal/news"
)

// RelatedStore finds other coverage of what an article is about. Until
// stories exist it is full-text similarity; the stories stage replaces it.
type RelatedStore interface {
	// Related returns up to limit other articles most similar in words to
	// a, published within RelatedWindow of it, most similar first.
	Related(ctx context.Context, a *news.Article, limit int) ([]news.Article, error)
}

// FacetStore summarises what the store holds, for the site's filters.
type FacetStore interface {
	// Facets returns the sites and languages of stored articles, with how
	// many articles each has, most first.
	Facets(ctx context.Context) (Facets, error)
}

// Facets are the values a listing can be filtered by.
type Facets struct {
	Sites     []Facet
	Languages []Facet
}

// Facet is one filter value and how many articles have it.
type Facet struct {
	Value string
	Count int
}
