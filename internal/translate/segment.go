package translate

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// document is an HTML fragment cut into segments: the fragment rendered with
// a marker where each segment's nodes were, and the segments themselves.
type document struct {
	skeleton string
	segs     []Segment
	// pad holds the white space that surrounded each segment, put back
	// around its translation.
	pad [][2]string
	// langs, when set for a segment, marks it as left in that language.
	langs []string
	// from is the source language: words the engine left in it are
	// marked with it.
	from string
}

// Private-use runes mark a segment's place in the skeleton.
const markOpen, markClose = '\uE000', '\uE001'

func marker(i int) string { return fmt.Sprintf("%c%d%c", markOpen, i, markClose) }

// blockish elements start a new segment; everything else is inline.
var inline = map[atom.Atom]bool{
	atom.A: true, atom.Abbr: true, atom.B: true, atom.Bdi: true, atom.Bdo: true,
	atom.Br: true, atom.Cite: true, atom.Code: true, atom.Data: true, atom.Dfn: true,
	atom.Em: true, atom.I: true, atom.Img: true, atom.Kbd: true, atom.Mark: true,
	atom.Q: true, atom.S: true, atom.Samp: true, atom.Small: true, atom.Span: true,
	atom.Strong: true, atom.Sub: true, atom.Sup: true, atom.Time: true, atom.U: true,
	atom.Var: true, atom.Wbr: true, atom.Font: true, atom.Del: true, atom.Ins: true,
}

// skipped elements are never translated nor looked into.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Pre: true, atom.Code: true,
	atom.Kbd: true, atom.Samp: true, atom.Var: true, atom.Math: true, atom.Svg: true,
	atom.Template: true, atom.Textarea: true,
}

// protectedNode says whether an element must be left untranslated: marked
// translate="no", code-like, or declared in a language other than the source.
func protectedNode(n *html.Node, from string) bool {
	if n.Type != html.ElementNode {
		return false
	}
	if skipped[n.DataAtom] {
		return true
	}
	for _, a := range n.Attr {
		switch a.Key {
		case "translate":
			if strings.EqualFold(a.Val, "no") {
				return true
			}
		case "lang":
			if a.Val != "" && from != "" && !sameLang(a.Val, from) {
				return true
			}
		case "class":
			if strings.Contains(" "+a.Val+" ", " notranslate ") {
				return true
			}
		}
	}
	return false
}

func sameLang(a, b string) bool {
	base := func(s string) string {
		s, _, _ = strings.Cut(strings.ToLower(s), "-")
		return s
	}
	return base(a) == base(b)
}

// splitHTML parses an HTML fragment and cuts it into segments.
func splitHTML(src, from string) (*document, error) {
	ctx := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(src), ctx)
	if err != nil {
		return nil, fmt.Errorf("translate: unable to parse HTML: %w", err)
	}
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	d := &document{from: from}
	d.walk(root, from)
	var b strings.Builder
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if err := html.Render(&b, c); err != nil {
			return nil, fmt.Errorf("translate: unable to render HTML: %w", err)
		}
	}
	d.skeleton = b.String()
	return d, nil
}

// walk groups each run of inline children of n into one segment and
// recurses into block children.
func (d *document) walk(n *html.Node, from string) {
	var run []*html.Node
	flush := func() {
		if len(run) > 0 {
			d.addRun(run, from)
			run = nil
		}
	}
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch {
		case c.Type == html.TextNode, c.Type == html.ElementNode && inline[c.DataAtom] && !blockInside(c):
			run = append(run, c)
		case c.Type == html.ElementNode && !protectedNode(c, from):
			flush()
			d.walk(c, from)
		default: // comments, protected blocks
			flush()
		}
		c = next
	}
	flush()
}

// blockInside reports an inline element that wraps blocks (<a><p>..</p></a>).
func blockInside(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (!inline[c.DataAtom] || blockInside(c)) {
			return true
		}
	}
	return false
}

// addRun makes a segment of sibling nodes and replaces them by a marker.
func (d *document) addRun(run []*html.Node, from string) {
	var seg Segment
	for _, n := range run {
		seg = appendNode(seg, n, from)
	}
	if !hasWords(seg) {
		return
	}
	seg, pad := trimSegment(unglue(seg))
	i := len(d.segs)
	d.segs = append(d.segs, seg)
	d.pad = append(d.pad, pad)
	parent := run[0].Parent
	parent.InsertBefore(&html.Node{Type: html.TextNode, Data: marker(i)}, run[0])
	for _, n := range run {
		parent.RemoveChild(n)
	}
}

func appendNode(seg Segment, n *html.Node, from string) Segment {
	switch {
	case n.Type == html.TextNode:
		return appendText(seg, n.Data)
	case n.Type != html.ElementNode:
		return seg
	case protectedNode(n, from):
		return append(seg, Part{Kind: Keep, Text: textContent(n), HTML: render(n)})
	case n.FirstChild == nil && (n.DataAtom == atom.Br || n.DataAtom == atom.Img || n.DataAtom == atom.Wbr):
		return append(seg, Part{Kind: Void, HTML: render(n)})
	}
	shallow := &html.Node{Type: html.ElementNode, Data: n.Data, DataAtom: n.DataAtom, Attr: n.Attr}
	start := render(shallow)
	start = strings.TrimSuffix(start, "</"+n.Data+">")
	seg = append(seg, Part{Kind: Open, HTML: start})
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		seg = appendNode(seg, c, from)
	}
	return append(seg, Part{Kind: Close, HTML: "</" + n.Data + ">"})
}

func appendText(seg Segment, s string) Segment {
	if s == "" {
		return seg
	}
	if k := len(seg) - 1; k >= 0 && seg[k].Kind == Text {
		seg[k].Text += s
		return seg
	}
	return append(seg, Part{Kind: Text, Text: s})
}

func render(n *html.Node) string {
	var b strings.Builder
	_ = html.Render(&b, n)
	return b.String()
}

func textContent(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(textContent(c))
	}
	return b.String()
}

func hasWords(seg Segment) bool {
	for _, p := range seg {
		if p.Kind == Text && strings.IndexFunc(p.Text, func(r rune) bool { return unicode.IsLetter(r) }) >= 0 {
			return true
		}
	}
	return false
}

// trimSegment takes the white space off both ends of a segment (backends
// other than Apertium do not keep it) and returns it to be put back.
func trimSegment(seg Segment) (Segment, [2]string) {
	var pad [2]string
	if len(seg) > 0 && seg[0].Kind == Text {
		t := strings.TrimLeftFunc(seg[0].Text, unicode.IsSpace)
		pad[0] = seg[0].Text[:len(seg[0].Text)-len(t)]
		seg[0].Text = t
	}
	if k := len(seg) - 1; k >= 0 && seg[k].Kind == Text {
		t := strings.TrimRightFunc(seg[k].Text, unicode.IsSpace)
		pad[1] = seg[k].Text[len(t):]
		seg[k].Text = t
	}
	return seg, pad
}

// join puts translated segments back into the skeleton.
func (d *document) join(out []Segment) string {
	var b strings.Builder
	s := d.skeleton
	for {
		i := strings.IndexRune(s, markOpen)
		if i < 0 {
			b.WriteString(s)
			break
		}
		j := strings.IndexRune(s[i:], markClose)
		if j < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		var k int
		if _, err := fmt.Sscanf(s[i+len(string(markOpen)):i+j], "%d", &k); err == nil && k < len(out) {
			b.WriteString(html.EscapeString(d.pad[k][0]))
			if k < len(d.langs) && d.langs[k] != "" {
				b.WriteString(`<span lang="` + html.EscapeString(d.langs[k]) + `">` + segmentHTML(out[k], "") + `</span>`)
			} else {
				b.WriteString(segmentHTML(out[k], d.from))
			}
			b.WriteString(html.EscapeString(d.pad[k][1]))
		}
		s = s[i+j+len(string(markClose)):]
	}
	return b.String()
}

// segmentHTML renders a translated segment as HTML, the words left in
// from (when set) marked with it.
func segmentHTML(seg Segment, from string) string {
	var b strings.Builder
	for _, p := range seg {
		switch p.Kind {
		case Text:
			b.WriteString(unknownSpans(html.EscapeString(p.Text), html.EscapeString(from)))
		case Keep:
			if p.HTML != "" {
				b.WriteString(p.HTML)
			} else {
				b.WriteString(html.EscapeString(p.Text))
			}
		default:
			b.WriteString(p.HTML)
		}
	}
	return b.String()
}

// segmentText renders a translated segment as plain text.
func segmentText(seg Segment) string { return seg.Plain() }

// unglue settles the inline elements that touch a word, before the engine
// sees them. An element that splits a word ("escuchar<strong>lo</strong>",
// a styled first letter "<strong>l</strong>a") is unwrapped: the engine
// needs the word whole, and no translation keeps markup inside a word. An
// element followed by a word without a space ("<a>López Obrador</a>y", as
// some pages write links) gets the space, or the two words come out glued
// ("López Obradorand").
func unglue(seg Segment) Segment {
	closes := closeOf(seg)
	drop := make([]bool, len(seg))
	for i, p := range seg {
		j, ok := closes[i]
		if p.Kind != Open || !ok || j+1 >= len(seg) && i == 0 {
			continue
		}
		link := tagName(p.HTML) == "a"
		before := i > 0 && seg[i-1].Kind == Text && lastIsLetter(seg[i-1].Text)
		after := j+1 < len(seg) && seg[j+1].Kind == Text && firstIsLetter(seg[j+1].Text)
		inside := Segment(seg[i+1 : j]).Plain()
		spaced := strings.ContainsAny(inside, " \u00a0")
		switch {
		case before && spaced && i+1 < j && seg[i+1].Kind == Text && firstIsLetter(seg[i+1].Text):
			// "lad<b>o, la pandemia</b>": the word's end moves out.
			k := strings.IndexFunc(seg[i+1].Text, func(r rune) bool { return !unicode.IsLetter(r) })
			if k < 0 {
				k = len(seg[i+1].Text)
			}
			seg[i-1].Text += seg[i+1].Text[:k]
			seg[i+1].Text = seg[i+1].Text[k:]
			continue
		case !link && after && spaced && j-1 > i && seg[j-1].Kind == Text && lastIsLetter(seg[j-1].Text):
			// "<b>la presid</b>enta": the word's end moves in.
			k := strings.IndexFunc(seg[j+1].Text, func(r rune) bool { return !unicode.IsLetter(r) })
			if k < 0 {
				k = len(seg[j+1].Text)
			}
			seg[j-1].Text += seg[j+1].Text[:k]
			seg[j+1].Text = seg[j+1].Text[k:]
			continue
		case !link && before && (after || !spaced):
			drop[i], drop[j] = true, true
		case !link && after && !spaced && letterCount(inside) <= 2:
			drop[i], drop[j] = true, true
		case after && lastIsLetterOrPunct(inside):
			seg[j+1].Text = " " + seg[j+1].Text
		}
	}
	var out Segment
	for i, p := range seg {
		if drop[i] {
			continue
		}
		if p.Kind == Text && len(out) > 0 && out[len(out)-1].Kind == Text {
			out[len(out)-1].Text += p.Text
			continue
		}
		out = append(out, p)
	}
	return out
}

func lastIsLetter(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsLetter(r)
}

func firstIsLetter(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r)
}

func lastIsLetterOrPunct(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(".,;:!?)»”\"", r)
}

func letterCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}
