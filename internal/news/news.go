// Package news holds newsdesk's domain types: the nouns every stage passes
// between it and the next. It does no I/O.
package news

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode"
)

// Source is somewhere articles come from: a feed, a sitemap, a site's home
// page, a single URL, or a local import.
type Source struct {
	ID       int64
	Name     string
	URL      string
	Kind     SourceKind
	Language string // BCP 47 tag the source usually writes in; "" when unknown
	Interval time.Duration
	Paused   bool

	// Collection state, kept so that a failing source is visible, never
	// silently dropped.
	State        SourceState
	LastError    string
	LastPolledAt time.Time
	NextPollAt   time.Time
	Failures     int
	ETag         string
	LastModified string
	CreatedAt    time.Time
}

// SourceKind says how a source is read.
type SourceKind string

// The kinds of source newsdesk collects from.
const (
	KindFeed    SourceKind = "feed"    // RSS, Atom or JSON Feed
	KindSitemap SourceKind = "sitemap" // news sitemap or sitemap index
	KindSite    SourceKind = "site"    // a home page whose feeds are discovered
	KindURL     SourceKind = "url"     // one article
	KindFile    SourceKind = "file"    // local files and WARCs given to import
)

// SourceState is where a source stands in collection.
type SourceState string

// The states of a source.
const (
	StateOK      SourceState = "ok"
	StateFailing SourceState = "failing"
	StatePaused  SourceState = "paused"
	StateNew     SourceState = "new"
)

// Article is one news article as newsdesk keeps it: where it came from, its
// metadata, and its clean body as sanitised HTML and as plain text.
type Article struct {
	ID          int64
	SourceID    int64  // 0 when imported without a source
	URL         string // canonical URL of the original
	FetchURL    string // the URL (or file path) it was fetched from
	SiteName    string // the outlet that published it
	Title       string
	Byline      string
	Published   time.Time // zero when unknown
	Modified    time.Time // zero when unknown
	Language    string    // BCP 47 tag, e.g. "es"
	Image       string    // lead image URL
	ImageAlt    string
	Description string
	BodyHTML    string // sanitised, safe to render
	Text        string // plain text of the body, paragraphs separated by blank lines
	ContentHash string // see ContentHash
	FetchedAt   time.Time
	FirstSeenAt time.Time // set by the store on first insert, kept on update
	UpdatedAt   time.Time

	// TranslatedFrom is set, on an article being shown, when its title and
	// text are a machine translation from this language (see Localized).
	// It is never stored.
	TranslatedFrom string
}

// WordCount is the number of words in the article's plain text.
func (a *Article) WordCount() int { return len(strings.Fields(a.Text)) }

// ContentHash returns a stable hash of what a reader sees of an article: its
// title and text with white space folded, so that re-fetching an unchanged
// page whose markup moved does not count as a change.
func ContentHash(title, text string) string {
	h := sha256.New()
	h.Write([]byte(foldSpace(title)))
	h.Write([]byte{0})
	h.Write([]byte(foldSpace(text)))
	return hex.EncodeToString(h.Sum(nil))[:32]
}

func foldSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}
