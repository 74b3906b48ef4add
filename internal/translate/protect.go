package translate

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Spans no engine may touch, whatever the language: addresses and handles.
var protectedPatterns = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>"]+[^\s<>".,;:!?)»”]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:^|\s)@\w{2,}`)

// protect cuts the Text parts of seg around glossary terms, names (see
// findNames) and protected patterns, which become Keep parts carrying
// their output text.
func protect(seg Segment, g *Glossary, pair Pair, kinds map[string]NameKind) Segment {
	var out Segment
	prefixes := partPrefixes(seg)
	for i, p := range seg {
		if p.Kind != Text {
			out = append(out, p)
			continue
		}
		spans := g.find(p.Text)
		for _, n := range findNamesAfter(prefixes[i], p.Text, pair, kinds) {
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

// partPrefixes gives each part of seg the text before it in the segment:
// a Text part after inline markup ("una consulta de <em>Página/12</em>")
// does not open a sentence, and names are judged in their sentence.
func partPrefixes(seg Segment) []string {
	out := make([]string, len(seg))
	var b strings.Builder
	for i, p := range seg {
		out[i] = b.String()
		switch p.Kind {
		case Text, Keep:
			b.WriteString(p.Text)
		case Void:
			b.WriteString("\n")
		}
	}
	return out
}

// findNamesAfter is findNames on text read after prefix: spans in text
// only, a name begun in prefix cut to its part in text (kept as written).
func findNamesAfter(prefix, text string, p Pair, kinds map[string]NameKind) []span {
	if prefix == "" {
		return findNames(text, p, kinds)
	}
	var out []span
	n := len(prefix)
	for _, sp := range findNames(prefix+text, p, kinds) {
		if sp.end <= n {
			continue
		}
		if sp.start < n {
			sp = span{n, sp.end, (prefix + text)[n:sp.end]}
		}
		out = append(out, span{sp.start - n, sp.end - n, sp.out})
	}
	return out
}

// segText is the text of a segment's Text parts, as the engine reads it.
func segText(seg Segment) string {
	var b strings.Builder
	for _, p := range seg {
		if p.Kind == Text {
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

// shoutedNames are the names of two words or more that the segments not
// written in capitals keep as written, in capitals: a heading in capitals
// ("LA AGENDA EN PUNTA ARENAS") says nothing by its case, but the text
// under it named the place in its ordinary case ("Punta Arenas").
func shoutedNames(segs []Segment, p Pair, kinds map[string]NameKind) []string {
	seen := map[string]bool{}
	var out []string
	for _, seg := range segs {
		text := segText(seg)
		if mostlyUpper(text) {
			continue
		}
		for _, sp := range findNames(text, p, kinds) {
			name := text[sp.start:sp.end]
			if sp.out != name || !strings.Contains(name, " ") {
				continue // a conventional name, or one word
			}
			if up := strings.ToUpper(name); !seen[up] {
				seen[up] = true
				out = append(out, up)
			}
		}
	}
	return out
}

// protectShouted keeps as written, in a segment written in capitals, the
// whole-word occurrences of names (shoutedNames).
func protectShouted(seg Segment, names []string) Segment {
	var out Segment
	for _, p := range seg {
		if p.Kind != Text {
			out = append(out, p)
			continue
		}
		rest := p.Text
		for rest != "" {
			at, name := firstWhole(rest, names)
			if at < 0 {
				out = append(out, Part{Kind: Text, Text: rest})
				break
			}
			if at > 0 {
				out = append(out, Part{Kind: Text, Text: rest[:at]})
			}
			out = append(out, Part{Kind: Keep, Text: name})
			rest = rest[at+len(name):]
		}
	}
	return out
}

// firstWhole finds the earliest of names in s standing as whole words.
func firstWhole(s string, names []string) (int, string) {
	best, found := -1, ""
	for _, n := range names {
		for from := 0; from < len(s); {
			i := strings.Index(s[from:], n)
			if i < 0 {
				break
			}
			i += from
			before, _ := utf8.DecodeLastRuneInString(s[:i])
			after, _ := utf8.DecodeRuneInString(s[i+len(n):])
			if (i == 0 || !unicode.IsLetter(before)) && (i+len(n) == len(s) || !unicode.IsLetter(after)) {
				if best < 0 || i < best {
					best, found = i, n
				}
				break
			}
			from = i + len(n)
		}
	}
	return best, found
}
