package translate

import (
	"regexp"
	"sort"
)

// Spans no engine may touch, whatever the language: addresses and handles.
var protectedPatterns = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>"]+[^\s<>".,;:!?)»”]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:^|\s)@\w{2,}`)

// protect cuts the Text parts of seg around glossary terms, names (see
// findNames) and protected patterns, which become Keep parts carrying
// their output text.
func protect(seg Segment, g *Glossary, pair Pair, kinds map[string]NameKind) Segment {
	var out Segment
	for _, p := range seg {
		if p.Kind != Text {
			out = append(out, p)
			continue
		}
		spans := g.find(p.Text)
		for _, n := range findNames(p.Text, pair, kinds) {
			if !overlaps(spans, n.start, n.end) {
				spans = append(spans, n)
			}
		}
		for _, m := range protectedPatterns.FindAllStringIndex(p.Text, -1) {
			st := m[0]
			for st < m[1] && (p.Text[st] == ' ' || p.Text[st] == '\t' || p.Text[st] == '\n') {
				st++
			}
			if !overlaps(spans, st, m[1]) {
				spans = append(spans, span{st, m[1], p.Text[st:m[1]]})
			}
		}
		if len(spans) == 0 {
			out = append(out, p)
			continue
		}
		sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
		at := 0
		for _, sp := range spans {
			if sp.start > at {
				out = append(out, Part{Kind: Text, Text: p.Text[at:sp.start]})
			}
			out = append(out, Part{Kind: Keep, Text: sp.out})
			at = sp.end
		}
		if at < len(p.Text) {
			out = append(out, Part{Kind: Text, Text: p.Text[at:]})
		}
	}
	return out
}

func overlaps(spans []span, st, en int) bool {
	for _, s := range spans {
		if st < s.end && s.start < en {
			return true
		}
	}
	return false
}
