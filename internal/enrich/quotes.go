package enrich

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/news"
)

// quoted is one stretch of text inside quotation marks.
type quoted struct {
	markStart, markEnd int // the marks included
	start, end         int // the words inside
}

// closers maps an opening mark to the marks that may close it. Agency copy
// and machine translation are sloppy: “ is sometimes closed by “.
var closers = map[rune][]rune{
	'“': {'”', '“'},
	'„': {'“', '”'},
	'«': {'»'},
	'"': {'"'},
	'”': {'”'},
	'‹': {'›'},
}

// findQuoted pairs quotation marks within a paragraph.
func findQuoted(doc string) []quoted {
	var out []quoted
	for i := 0; i < len(doc); {
		r, n := utf8.DecodeRuneInString(doc[i:])
		cl, ok := closers[r]
		if !ok {
			i += n
			continue
		}
		para := strings.Index(doc[i+n:], "\n")
		limit := len(doc)
		if para >= 0 {
			limit = i + n + para
		}
		close := -1
		for _, c := range cl {
			if j := strings.IndexRune(doc[i+n:limit], c); j >= 0 {
				close = i + n + j
				break
			}
		}
		if close < 0 {
			i += n
			continue
		}
		_, cn := utf8.DecodeRuneInString(doc[close:])
		q := quoted{markStart: i, markEnd: close + cn, start: i + n, end: close}
		inner := doc[q.start:q.end]
		q.start += len(inner) - len(strings.TrimLeft(inner, " "))
		q.end -= len(inner) - len(strings.TrimRight(inner, " ,"))
		if q.start < q.end && len(strings.Fields(doc[q.start:q.end])) >= 3 {
			out = append(out, q)
		}
		i = close + cn
	}
	return out
}

// attribute finds who said each quote: a speech verb next to the quote
// ("said", "dijo", "según") and the name nearest it; a pronoun or a
// Spanish verb without subject stands for the last person named; an office
// ("Mexico's Minister of Foreign Affairs") stands for the person the
// article gave that office.
func attribute(doc string, toks []token, qs []quoted, ms []*mention, ents []*entity) []news.Quote {
	var out []news.Quote
	named := make([]*mention, 0, len(ms))
	for _, m := range ms {
		if m.ent != nil {
			named = append(named, m)
		}
	}
	sort.Slice(named, func(i, j int) bool { return named[i].start < named[j].start })
	for qi, q := range qs {
		res := news.Quote{Text: doc[q.start:q.end], Span: news.Span{Start: q.start, End: q.end}}
		// The window after the quote, to the end of its sentence.
		afterFrom := firstToken(toks, q.markEnd)
		afterTo := afterFrom
		for afterTo < len(toks) && afterTo-afterFrom < 25 {
			t := toks[afterTo]
			if qi+1 < len(qs) && t.start >= qs[qi+1].markStart {
				break
			}
			if t.s == "." || t.s == "!" || t.s == "?" || t.s == ";" || (afterTo > afterFrom && !toks[afterTo-1].spaceAfter && strings.Contains(doc[toks[afterTo-1].end:t.start], "\n")) {
				break
			}
			afterTo++
		}
		// The window before it, from the start of its sentence.
		beforeTo := firstToken(toks, q.markStart)
		beforeFrom := beforeTo
		for beforeFrom > 0 && beforeTo-beforeFrom < 30 {
			t := toks[beforeFrom-1]
			if qi > 0 && t.end <= qs[qi-1].markEnd {
				break
			}
			if t.s == "." || t.s == "!" || t.s == "?" || t.s == ";" || strings.Contains(doc[t.end:toks[beforeFrom].start], "\n") {
				break
			}
			beforeFrom--
		}
		var prev *news.Quote
		if len(out) > 0 && out[len(out)-1].SpeakerKey != "" && q.markStart-out[len(out)-1].Span.End < 400 {
			prev = &out[len(out)-1]
		}
		if sp, verb, ok := speakerIn(doc, toks, afterFrom, afterTo, named, ents, q, true, prev); ok {
			res.Speaker, res.SpeakerKey, res.Verb = sp.name, sp.key, verb
		} else if sp, verb, ok := speakerIn(doc, toks, beforeFrom, beforeTo, named, ents, q, false, prev); ok {
			res.Speaker, res.SpeakerKey, res.Verb = sp.name, sp.key, verb
		}
		// Three words in quotation marks with no one saying them are a
		// title or a term, not a quote.
		if (res.SpeakerKey != "" || len(strings.Fields(res.Text)) >= 5) && !titleCase(toks, q) {
			out = append(out, res)
		}
	}
	return out
}

type speaker struct{ name, key string }

func firstToken(toks []token, at int) int {
	return sort.Search(len(toks), func(i int) bool { return toks[i].start >= at })
}

func speakerIn(doc string, toks []token, from, to int, named []*mention, ents []*entity, q quoted, after bool, prev *news.Quote) (speaker, string, bool) {
	verb := -1
	for k := from; k < to; k++ {
		if speechVerbs[toks[k].lower] || accordingTo[toks[k].lower] {
			verb = k
			if after {
				break
			}
		}
	}
	colon := !after && to > from && toks[to-1].s == ":"
	if verb < 0 && !colon {
		return speaker{}, "", false
	}
	verbWord := ""
	anchor := to - 1
	if verb >= 0 {
		verbWord = toks[verb].s
		anchor = verb
		if toks[verb].lower == "according" {
			verbWord = "according to"
		}
	}
	lo, hi := toks[from].start, toks[to-1].end
	var best *mention
	bestDist := 1 << 30
	for _, m := range named {
		if m.start < lo || m.end > hi || m.ent.kind == news.EntityPlace {
			continue
		}
		d := 0
		switch {
		case m.to <= anchor:
			d = anchor - m.to
			if verb >= 0 && accordingTo[toks[verb].lower] {
				d += 100 // "según X": the speaker follows
			}
		default:
			d = m.from - anchor
		}
		if m.ent.kind != news.EntityPerson {
			d += 10
		}
		if d < bestDist {
			best, bestDist = m, d
		}
	}
	if best != nil {
		return speaker{best.ent.name, Key(best.ent.name)}, verbWord, true
	}
	// An office: the person the article gave it.
	for k := from; k < to; k++ {
		if roleHeads[toks[k].lower] {
			e := end(toks, k, to)
			phrase := doc[toks[k].start:toks[e-1].end]
			if p := byRole(ents, toks[k:e]); p != nil {
				_ = phrase
				return speaker{p.name, Key(p.name)}, verbWord, true
			}
		}
	}
	// A pronoun, or a Spanish verb with no subject: the last person named.
	if verb < 0 {
		return speaker{}, "", false
	}
	pron := false
	for k := from; k < to; k++ {
		if pronouns[toks[k].lower] {
			pron = true
		}
	}
	if !pron && !(after && verb <= from+1) {
		return speaker{}, "", false
	}
	if prev != nil {
		return speaker{prev.Speaker, prev.SpeakerKey}, verbWord, true
	}
	var last *mention
	for _, m := range named {
		if m.end > q.markStart {
			break
		}
		if m.ent.kind == news.EntityPerson {
			last = m
		}
	}
	if last == nil {
		return speaker{}, "", false
	}
	// The subject of that sentence, the first person it names: "Sonya
	// Zoghlin, his attorney, said she did not mean to harm Omar. “...,”
	// she said."
	ss, _ := sentenceBounds(doc, last.start)
	for _, m := range named {
		if m.start >= ss && m.ent.kind == news.EntityPerson {
			last = m
			break
		}
	}
	return speaker{last.ent.name, Key(last.ent.name)}, verbWord, true
}

// end returns where a role phrase starting at k ends (exclusive).
func end(toks []token, k, to int) int {
	e := k + 1
	if e < to && toks[e].word && !toks[e].cap && !roleConnectors[toks[e].lower] && !speechVerbs[toks[e].lower] && !unitStop[toks[e].lower] {
		e++ // "canciller mexicana"
	}
	for e < to && toks[e].word && (toks[e].cap || roleConnectors[toks[e].lower] || institutionWords[toks[e].lower]) {
		e++
	}
	return e
}

// byRole finds the person whose recorded role shares the office's
// institution words ("Minister of Foreign Affairs" ~ "Secretary of Foreign
// Affairs").
func byRole(ents []*entity, phrase []token) *entity {
	want := roleWords(phrase)
	var best *entity
	bestN := 0
	for _, e := range ents {
		if e.kind != news.EntityPerson {
			continue
		}
		for _, r := range e.roles {
			n := 0
			for w := range roleWords(tokenize(r)) {
				if want[w] {
					n++
				}
			}
			if n > bestN {
				best, bestN = e, n
			}
		}
	}
	if bestN >= 2 {
		return best
	}
	return nil
}

// roleWords are the words of a role that say which office it is.
func roleWords(toks []token) map[string]bool {
	out := map[string]bool{}
	for _, t := range toks {
		if t.word && !roleConnectors[t.lower] && !determiners[t.lower] && t.lower != "s" {
			out[t.lower] = true
		}
	}
	return out
}

// titleCase reports whether every word inside the marks is capitalised:
// a name or a title ("Comunidad Política Europea"), not a quote.
func titleCase(toks []token, q quoted) bool {
	for k := firstToken(toks, q.start); k < len(toks) && toks[k].start < q.end; k++ {
		t := toks[k]
		if t.word && !t.cap && !t.upper && !connectors[t.lower] {
			return false
		}
	}
	return true
}
