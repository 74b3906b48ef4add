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
	_ = lang
	shift := 0
	doc := text
	if title != "" {
		doc = title + "\n\n" + text
		shift = len(title) + 2
	}
	toks := tokenize(doc)
	ms := findMentions(doc, toks)
	ents := resolve(doc, toks, ms)

	res := Result{Entities: []news.Entity{}, Quotes: []news.Quote{}, Figures: []news.Figure{}}
	for _, e := range ents {
		// names and roles are shown without the soft hyphens and
		// zero-width characters a page had inside words
		ne := news.Entity{Key: Key(e.name), Kind: e.kind, Name: charset.DropInvisible(e.name)}
		for _, r := range e.roles {
			ne.Roles = append(ne.Roles, charset.DropInvisible(r))
		}
		for _, a := range e.aliases {
			if a = charset.DropInvisible(a); a != ne.Name {
				ne.Aliases = append(ne.Aliases, a)
			}
		}
		sort.Slice(e.mentions, func(i, j int) bool { return e.mentions[i].start < e.mentions[j].start })
		for _, m := range e.mentions {
			ne.Count++
			if m.start >= shift {
				ne.Mentions = append(ne.Mentions, news.Span{Start: m.start - shift, End: m.end - shift})
			}
		}
		if ne.Key == "" {
			continue
		}
		res.Entities = append(res.Entities, ne)
	}
	sort.SliceStable(res.Entities, func(i, j int) bool {
		a, b := res.Entities[i], res.Entities[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return first(a) < first(b)
	})
	for _, q := range attribute(doc, toks, findQuoted(doc), ms, ents) {
		if q.Span.Start < shift {
			continue
		}
		q.Span.Start -= shift
		q.Span.End -= shift
		res.Quotes = append(res.Quotes, q)
	}
	for _, f := range findFigures(doc, shift) {
		f.Span.Start -= shift
		f.Span.End -= shift
		res.Figures = append(res.Figures, f)
	}
	return res
}

func first(e news.Entity) int {
	if len(e.Mentions) == 0 {
		return 1 << 30
	}
	return e.Mentions[0].Start
}
