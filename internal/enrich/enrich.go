// Package enrich finds what an article is about: the people (with the
// offices the article gives them), organisations and places it names, the
// quotes it reports and who said them, and the figures it gives. It is
// data in, data out: no I/O.
//
// It works from the shape of news text rather than from trained models or
// lists of names: capitalised runs are names; an office word beside a name
// ("the US Secretary of State, Antony Blinken", "el canciller mexicano,
// Alicia Bárcena") makes it a person and gives the role; organisation and
// place head words ("Ministry", "Secretaría", "Palace", "Río") and
// prepositions ("in", "desde") tell the other kinds; a person's later
// short forms and initials ("López Obrador", "AMLO") join the fullest
// form. English and Spanish are read together, since agency copy and
// machine translation mix them.
package enrich

import (
	"sort"

	"github.com/newsdesk/newsdesk/internal/charset"
	"github.com/newsdesk/newsdesk/internal/news"
)

// Result is what Enrich found. Offsets are byte offsets into the text
// given (never the title).
type Result struct {
	Entities []news.Entity `json:"entities"`
	Quotes   []news.Quote  `json:"quotes"`
	Figures  []news.Figure `json:"figures"`
}

// Enrich reads an article's title and plain text (paragraphs separated by
// blank lines). lang is its BCP 47 language ("en", "es"); the rules of
// both languages apply to every text, lang only breaks ties.
func Enrich(title, text, lang string) Result {
	r := read(title, text)
	res := Result{Entities: r.entities(), Quotes: []news.Quote{}, Figures: []news.Figure{}}
	for _, q := range attribute(r.doc, r.toks, findQuoted(r.doc), r.ms, r.ents) {
		if q.Span.Start < r.shift {
			continue
		}
		q.Span.Start -= r.shift
		q.Span.End -= r.shift
		res.Quotes = append(res.Quotes, q)
	}
	for _, f := range findFigures(r.doc, r.shift) {
		f.Span.Start -= r.shift
		f.Span.End -= r.shift
		res.Figures = append(res.Figures, f)
	}
	return res
}

// Entities is Enrich's Entities alone, without looking for quotes and
// figures: for readers that want only who and where.
func Entities(title, text, lang string) []news.Entity {
	return read(title, text).entities()
}

// reading is a document read for names: the title and text joined, its
// tokens, the name mentions and the entities they resolve to.
type reading struct {
	doc   string
	shift int // the title's length and separator, before the text
	toks  []token
	ms    []*mention
	ents  []*entity
}

func read(title, text string) reading {
	r := reading{doc: text}
	if title != "" {
		r.doc = title + "\n\n" + text
		r.shift = len(title) + 2
	}
	r.toks = tokenize(r.doc)
	r.ms = findMentions(r.doc, r.toks)
	r.ents = resolve(r.doc, r.toks, r.ms)
	return r
}

// entities converts the resolved entities, most mentioned first, with
// offsets into the text (not the title).
func (r reading) entities() []news.Entity {
	out := []news.Entity{}
	for _, e := range r.ents {
		// names and roles are shown without the soft hyphens and
		// zero-width characters a page had inside words
		ne := news.Entity{Key: Key(e.name), Kind: e.kind, Name: charset.DropInvisible(e.name)}
		for _, ro := range e.roles {
			ne.Roles = append(ne.Roles, charset.DropInvisible(ro))
		}
		for _, a := range e.aliases {
			if a = charset.DropInvisible(a); a != ne.Name {
				ne.Aliases = append(ne.Aliases, a)
			}
		}
		sort.Slice(e.mentions, func(i, j int) bool { return e.mentions[i].start < e.mentions[j].start })
		for _, m := range e.mentions {
			ne.Count++
			if m.start >= r.shift {
				ne.Mentions = append(ne.Mentions, news.Span{Start: m.start - r.shift, End: m.end - r.shift})
			}
		}
		if ne.Key == "" {
			continue
		}
		out = append(out, ne)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return first(a) < first(b)
	})
	return out
}

func first(e news.Entity) int {
	if len(e.Mentions) == 0 {
		return 1 << 30
	}
	return e.Mentions[0].Start
}
