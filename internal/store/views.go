package store

import (
	"context"
	"math"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// ViewStore counts article views for "most popular". It keeps no cookie and
// no personal data: a client is known only by an opaque, salted hash that
// the web layer derives (and rotates), used to ignore repeat views.
type ViewStore interface {
	// RecordView counts one view. A view is ignored (false) when the same
	// client viewed the same article within RepeatWindow, or when the client
	// already had ClientViewsPerHour views counted in the last hour.
	RecordView(ctx context.Context, v View) (bool, error)
	// Popular returns the articles with the highest time-decayed view
	// score among those viewed since q.Since, best first.
	Popular(ctx context.Context, q PopularQuery) ([]PopularArticle, error)
}

// View is one page view of an article.
type View struct {
	ArticleID int64
	Client    string // opaque salted hash; never an address
	At        time.Time
}

// PopularQuery selects the most popular articles. Zero fields do not filter.
type PopularQuery struct {
	Now      time.Time
	Since    time.Time // only articles viewed since then
	Site     string
	Language string
	Limit    int // default 10, at most 100
}

// PopularArticle is an article and its decayed view score at the query's
// Now: each view counts 1 when it happens and half that every ViewHalfLife.
type PopularArticle struct {
	Article news.Article
	Score   float64
	Views   int // all counted views, undecayed
}

// The rules of popularity, shared by every backend.
const (
	// ViewHalfLife is how long a view takes to lose half its weight.
	ViewHalfLife = 12 * time.Hour
	// RepeatWindow is how long repeat views by one client are ignored.
	RepeatWindow = 6 * time.Hour
	// ClientViewsPerHour caps how many views one client adds in an hour.
	ClientViewsPerHour = 30
)

// DecayKey is the time-independent form of a decayed score: the score at
// time t is exp(key - t/τ) with τ = ViewHalfLife/ln 2. Ordering articles by
// key orders them by their current score whatever the time, so a backend
// can index it; adding a view at time t makes key = logaddexp(key, t/τ).
func DecayKey(prev float64, hasPrev bool, at time.Time) float64 {
	x := decayUnits(at)
	if !hasPrev {
		return x
	}
	hi, lo := max(prev, x), min(prev, x)
	return hi + math.Log1p(math.Exp(lo-hi))
}

// DecayScore is the score at now of an article with this key.
func DecayScore(key float64, now time.Time) float64 {
	return math.Exp(key - decayUnits(now))
}

func decayUnits(t time.Time) float64 {
	tau := ViewHalfLife.Seconds() / math.Ln2
	return float64(t.UnixMilli()) / 1000 / tau
}
