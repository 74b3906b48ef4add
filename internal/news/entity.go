package news

import "time"

// EntityKind says what an entity is.
type EntityKind string

// The kinds of entity the enrich stage finds.
const (
	EntityPerson EntityKind = "person"
	EntityOrg    EntityKind = "org"
	EntityPlace  EntityKind = "place"
)

// Span is a stretch of an article's plain text (Article.Text): byte offsets
// into its UTF-8, End exclusive, so that text[Start:End] is the stretch.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Entity is a person, organisation or place an article names. Key links
// the same entity across articles: it is the lower-case, accent-free
// hyphenated form of its fullest name ("andres-manuel-lopez-obrador").
type Entity struct {
	Key  string     `json:"key"`
	Kind EntityKind `json:"kind"`
	// Name is the fullest form the article uses; Aliases the other forms
	// that were taken to be the same entity ("López Obrador", "AMLO").
	Name    string   `json:"name"`
	Aliases []string `json:"aliases,omitempty"`
	// Roles are what the article says the entity is ("US Secretary of
	// State", "canciller mexicano"), as written.
	Roles []string `json:"roles,omitempty"`
	// Mentions are where the text names it; Count also counts the title.
	Mentions []Span `json:"mentions,omitempty"`
	Count    int    `json:"count"`
}

// Quote is something an article reports someone said, in quotation marks.
type Quote struct {
	Text string `json:"text"` // the words inside the marks
	Span Span   `json:"span"` // the words inside the marks, in the text
	// Speaker is who said it as the article names them, SpeakerKey the
	// entity's key; both are empty when no speaker was found.
	Speaker    string `json:"speaker,omitempty"`
	SpeakerKey string `json:"speaker_key,omitempty"`
	// Verb is the attributing word ("said", "dijo", "según").
	Verb string `json:"verb,omitempty"`
}

// Figure is a number an article reports: "more than 2.2 million migrants
// from January to November".
type Figure struct {
	Text      string  `json:"text"` // the whole phrase as written
	Span      Span    `json:"span"`
	Value     float64 `json:"value"`               // 2200000
	Unit      string  `json:"unit,omitempty"`      // what is counted: "migrants", "%", "dollars"
	Qualifier string  `json:"qualifier,omitempty"` // "more than", "más de", "almost"
	Period    string  `json:"period,omitempty"`    // "from January to November", "en 2023"
}

// Enrichment is what the enrich stage found in one article.
type Enrichment struct {
	ArticleID  int64     `json:"article_id"`
	Language   string    `json:"language"`
	Entities   []Entity  `json:"entities"`
	Quotes     []Quote   `json:"quotes"`
	Figures    []Figure  `json:"figures"`
	EnrichedAt time.Time `json:"enriched_at"`
}

// Entity returns the enrichment's entity with this key, or nil.
func (e *Enrichment) Entity(key string) *Entity {
	for i := range e.Entities {
		if e.Entities[i].Key == key {
			return &e.Entities[i]
		}
	}
	return nil
}
