package news

import "time"

// Story is one real event as newsdesk gathers it: every article that
// reports it, from any outlet and in any language.
type Story struct {
	ID       int64
	Headline string // from the most central article, in the site's language
	Summary  string // the lead of that article
	// KeyNames are the people, places and organisations the story's
	// articles name most, most named first.
	KeyNames  []string
	Articles  int      // articles in the story
	Languages []string // languages of its articles, most used first
	FirstAt   time.Time
	LastAt    time.Time
	UpdatedAt time.Time
}

// Syndication says that an article is a copy of another (a wire story
// republished, re-headlined, trimmed or translated) and which member of its
// group is credited as the original.
type Syndication struct {
	ArticleID int64
	GroupID   int64   // the syndication group
	Of        int64   // the earlier article it copies most closely; 0 for the first
	Overlap   float64 // share of fingerprint shared with Of
	// The group's original and the agency it credits ("EFE"), when known.
	OriginalID int64
	Agency     string
	Why        string // how the original was chosen: canonical, agency, earliest
	Members    int    // articles in the group
}
