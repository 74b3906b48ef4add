package store

import (
	"context"
	"errors"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// ErrExists is returned when adding something whose key is already stored.
var ErrExists = errors.New("store: already exists")

// SourceStore keeps the sources newsdesk collects from and their
// collection state.
type SourceStore interface {
	// AddSource stores a new source (by URL), setting s.ID and
	// s.CreatedAt. A source with the same URL gives ErrExists.
	AddSource(ctx context.Context, s *news.Source) error
	// Source returns one source with its collection details, or ErrNotFound.
	Source(ctx context.Context, id int64) (*SourceRecord, error)
	// SourceByURL returns the source with this URL, or ErrNotFound.
	SourceByURL(ctx context.Context, url string) (*SourceRecord, error)
	// ListSources returns every source, oldest first.
	ListSources(ctx context.Context) ([]SourceRecord, error)
	// UpdateSource changes a source's name, language, interval and paused
	// flag (what an operator edits).
	UpdateSource(ctx context.Context, s *news.Source) error
	// RemoveSource deletes a source and what was recorded about it; its
	// articles stay. ErrNotFound if absent.
	RemoveSource(ctx context.Context, id int64) error
	// DueSources returns unpaused sources whose next poll is at or before
	// now, the most overdue first.
	DueSources(ctx context.Context, now time.Time, limit int) ([]SourceRecord, error)
	// PollSoon makes a source due now, whatever its backoff: a resumed
	// source, or one the user asks to poll. It returns ErrNotFound for an
	// unknown id.
	PollSoon(ctx context.Context, id int64) error
	// RecordPoll writes the outcome of one poll.
	RecordPoll(ctx context.Context, id int64, p PollRecord) error
	// UnseenItems returns the URLs, in the order given and without
	// repeats, that the source has not announced before. It writes nothing:
	// a collector enqueues their fetches, then calls MarkSeen, so that a
	// crash in between repeats work instead of losing it.
	UnseenItems(ctx context.Context, sourceID int64, urls []string) ([]string, error)
	// MarkSeen records item URLs announced by a source and returns those
	// not seen from it before, in the order given.
	MarkSeen(ctx context.Context, sourceID int64, urls []string, now time.Time) ([]string, error)
	// SetWebSub records a source's WebSub subscription state.
	SetWebSub(ctx context.Context, id int64, w WebSub) error
	// SourceByTopic returns the source subscribed to a WebSub topic.
	SourceByTopic(ctx context.Context, topic string) (*SourceRecord, error)
}

// SourceRecord is a source with the details of its collection.
type SourceRecord struct {
	news.Source
	// Adaptive is the poll interval learnt from how often the source
	// publishes (0 before the first poll).
	Adaptive     time.Duration
	LastStatus   int // HTTP status of the last poll, 0 if none
	LastNewItems int
	Polls        int // polls done
	NotModified  int // of which answered 304
	ItemsSeen    int // distinct item URLs announced so far
	WebSub       WebSub
}

// PollRecord is what one poll found and decided.
type PollRecord struct {
	At           time.Time
	State        news.SourceState // ok or failing
	Error        string           // "" on success
	Failures     int              // consecutive failures, 0 on success
	NextPollAt   time.Time
	Adaptive     time.Duration
	Status       int
	NotModified  bool
	NewItems     int
	ETag         string // kept as is when NotModified
	LastModified string
	// Kind, when set, is what the source turned out to be.
	Kind news.SourceKind
	// Name and Language, when set and the source has none, fill them in.
	Name     string
	Language string
}

// WebSub is a source's subscription at a WebSub hub.
type WebSub struct {
	Hub        string
	Topic      string
	Secret     string
	State      string // "", "pending", "active", "denied", "failed"
	LeaseUntil time.Time
}
