package store

import (
	"context"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// The later steps every new or changed article goes through once it is
// stored. The store queues all three in the same transaction that writes
// the article (a crash can never leave an article stored with its steps
// unrecorded); whoever does a step marks it finished.
const (
	StepTranslate = "translate" // into the reader's language (or found not needed)
	StepEnrich    = "enrich"    // people, places, quotes, figures
	StepStory     = "story"     // syndication group and story: the single story writer's
)

// Steps lists the later steps in the order they run.
var Steps = []string{StepTranslate, StepEnrich, StepStory}

// StoryLease names the lease held by the one process that assigns stories.
const StoryLease = "story-writer"

// StepStore records which later steps of an article are still to do, and
// the leases that make a step the job of one process at a time.
type StepStore interface {
	// PendingSteps returns an article's steps not yet finished.
	PendingSteps(ctx context.Context, articleID int64) ([]string, error)
	// StepsDue returns up to limit articles, oldest first, whose step was
	// queued before queuedBefore and is not finished: work a process that
	// stopped mid-way left for others.
	StepsDue(ctx context.Context, step string, queuedBefore time.Time, limit int) ([]int64, error)
	// QueueStep queues a step again (a translation that arrived late
	// sends its article back to the story step).
	QueueStep(ctx context.Context, articleID int64, step string) error
	// FinishStep marks a step of an article done.
	FinishStep(ctx context.Context, articleID int64, step string) error
	// StoryQueue returns up to limit articles whose story step is pending
	// and whose translation step is not, in arrival (id) order.
	StoryQueue(ctx context.Context, limit int) ([]int64, error)

	// TryLease takes the named lease for holder until now+ttl, or renews
	// it when holder has it already. It returns false when another holder
	// has it and it has not expired.
	TryLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	// ReleaseLease gives the lease up if holder has it.
	ReleaseLease(ctx context.Context, name, holder string) error

	// StoryWindow calls fn for the newest articles already in stories, at
	// most limit of them, in arrival (id) order, with their story
	// (following merges), syndication group and translation into lang
	// when one is done. It is how a new story writer rebuilds the
	// clusterer's window from the store: replayed in arrival order, the
	// clusterer closes the articles that fell out of its time window as
	// it did the first time.
	StoryWindow(ctx context.Context, limit int, lang string, fn func(WindowArticle) error) error
}

// WindowArticle is one article of the story window as stored.
type WindowArticle struct {
	Article news.Article
	Story   int64 // the story it is in (following merges)
	Group   int64 // its syndication group, 0 when it has none
	// TranslatedTitle and TranslatedText are its translation into the
	// site's language, empty when there is none.
	TranslatedTitle, TranslatedText string
}
