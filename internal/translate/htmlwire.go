package translate

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// HTML on the wire to backends that take HTML. Markup never travels as the
// source wrote it: each part is an element carrying only its index
// (data-nd), so a backend cannot alter a URL or an attribute, and what
// comes back is rebuilt from our own parts; anything else a backend puts
// out is reduced to its text.

// encodeHTML renders seg for an HTML backend. With rich markup inline
// elements travel as elements of the same name wrapping their text (for
// engines that move markup with the words it belongs to) and protected
// spans as translate="no" elements with their text; without it, every
// part is an empty placeholder element (for Apertium APY, whose HTML
// deformatter turns markup into blanks that stay in place).
func encodeHTML(seg Segment, rich bool) string {
	var b strings.Builder
	for i, p := range seg {
		id := strconv.Itoa(i)
		switch {
		case p.Kind == Text:
			b.WriteString(html.EscapeString(p.Text))
		case !rich && wordLike(p):
			b.WriteString(placeholder(i)) // stays a word in the sentence, as with local Apertium
		case !rich:
			b.WriteString(`<span data-nd="` + id + `"></span>`)
		case p.Kind == Keep:
			b.WriteString(`<span translate="no" data-nd="` + id + `">` + html.EscapeString(p.Text) + `</span>`)
		case p.Kind == Open:
			b.WriteString("<" + tagName(p.HTML) + ` data-nd="` + id + `">`)
		case p.Kind == Close:
			b.WriteString(p.HTML)
		case p.Kind == Void:
			b.WriteString("<" + tagName(p.HTML) + ` data-nd="` + id + `">`)
		}
	}
	return b.String()
}

// tagName is the element name of a start tag's markup ("<a href=..>" -> "a").
func tagName(tag string) string {
	s := strings.TrimPrefix(tag, "<")
	if i := strings.IndexAny(s, " \t\n/>"); i >= 0 {
		s = s[:i]
	}
	if s == "" {
		return "span"
	}
	return strings.ToLower(s)
}

// closeOf maps each Open part's index to its Close part's index.
func closeOf(seg Segment) map[int]int {
	m := map[int]int{}
	var stack []int
	for i, p := range seg {
		switch p.Kind {
		case Open:
			stack = append(stack, i)
		case Close:
			if n := len(stack); n > 0 {
				m[stack[n-1]] = i
				stack = stack[:n-1]
			}
		}
	}
	return m
}

// decodeHTML rebuilds a segment from a backend's HTML answer.
func decodeHTML(out string, src Segment, rich bool) Segment {
	ctx := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(out), ctx)
	if err != nil {
		return appendMissing(Segment{{Kind: Text, Text: out}}, src, make([]bool, len(src)))
	}
	closes := closeOf(src)
	used := make([]bool, len(src))
	var seg Segment
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			if rich {
				seg = appendText(seg, n.Data)
				return
			}
			t := n.Data
			for {
				m := rePlaceholder.FindStringSubmatchIndex(t)
				if m == nil {
					break
				}
				k := placeholderIndex(t[m[2]:m[3]])
				if k >= len(src) || used[k] {
					seg = appendText(seg, t[:m[1]])
				} else {
					seg = appendText(seg, t[:m[0]])
					used[k] = true
					seg = append(seg, src[k])
				}
				t = t[m[1]:]
			}
			seg = appendText(seg, t)
			return
		case html.ElementNode:
		default:
			return
		}
		id := -1
		for _, a := range n.Attr {
			if a.Key == "data-nd" {
				if v, err := strconv.Atoi(a.Val); err == nil && v >= 0 && v < len(src) && !used[v] {
					id = v
				}
			}
		}
		if id >= 0 {
			p := src[id]
			used[id] = true
			switch p.Kind {
			case Keep, Void:
				seg = append(seg, p)
				return
			case Open:
				seg = append(seg, p)
				if !rich { // an empty placeholder; the end tag has its own
					return
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
				if ci, ok := closes[id]; ok {
					used[ci] = true
					seg = append(seg, src[ci])
				}
				return
			case Close, Text:
				// a placeholder for a close tag (APY) stands where it is
				seg = append(seg, p)
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return appendMissing(seg, src, used)
}

// appendMissing adds the protected spans and void elements a backend lost,
// and the start and end tags it lost in pairs (an element whose start tag
// came back gets its end tag).
func appendMissing(seg Segment, src Segment, used []bool) Segment {
	closes := closeOf(src)
	for i, p := range src {
		if used[i] {
			continue
		}
		switch p.Kind {
		case Keep, Void:
			seg = append(seg, p)
		case Open:
			if ci, ok := closes[i]; ok && used[ci] {
				// end tag came back alone: put the start tag at the front
				seg = append(Segment{p}, seg...)
			}
		case Close:
			for oi, ci := range closes {
				if ci == i && used[oi] {
					seg = append(seg, p)
				}
			}
		}
	}
	return seg
}
