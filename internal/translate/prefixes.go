package translate

import (
	"context"
	"regexp"
)

// Since its 2010 Ortografía, Spanish writes the prefix ex- joined to the
// word ("excongresista", "exasesores"); Apertium's dictionary knows only
// the older spaced form ("ex congresista": ex congressman) and leaves the
// joined one untranslated. Where the engine's dictionary (Lexicon) knows
// the word without the prefix but not the joined one, the prefix is
// spaced again. Words that
// only begin with "ex" ("expresó", "explica", "exportadores") are known
// words and stay.

var reExPrefix = regexp.MustCompile(`\b([Ee])x(\p{Ll}{4,})\b`)

// spaceExPrefixes spaces the prefix ex- in the Text parts of segs (in
// place) where lex knows the word without it and not the joined word.
func spaceExPrefixes(ctx context.Context, lex Lexicon, p Pair, segs []Segment) {
	if lex == nil || p.From != "es" {
		return
	}
	var ask []string
	seen := map[string]bool{}
	for _, seg := range segs {
		for _, part := range seg {
			if part.Kind != Text {
				continue
			}
			for _, m := range reExPrefix.FindAllStringSubmatch(part.Text, -1) {
				for _, w := range []string{m[0], m[2]} {
					if !seen[w] {
						seen[w] = true
						ask = append(ask, w)
					}
				}
			}
		}
	}
	if len(ask) == 0 {
		return
	}
	known, err := lex.KnownWords(ctx, p, ask)
	if err != nil || len(known) != len(ask) {
		return
	}
	isKnown := map[string]bool{}
	for i, w := range ask {
		isKnown[w] = known[i]
	}
	for _, seg := range segs {
		for i, part := range seg {
			if part.Kind != Text {
				continue
			}
			seg[i].Text = reExPrefix.ReplaceAllStringFunc(part.Text, func(m string) string {
				if isKnown[m] || !isKnown[m[2:]] {
					return m
				}
				return m[:2] + " " + m[2:]
			})
		}
	}
}
