package sanitize

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// tidy removes what the allow-list lets through but a reader cannot use:
// links with no text or image (icons whose SVG was stripped: a keyboard
// user would tab onto nothing), and elements left empty.
func tidy(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(s), body)
	if err != nil {
		return s
	}
	changed := false
	for _, n := range nodes {
		body.AppendChild(n)
	}
	prune(body, &changed)
	if !changed {
		return s
	}
	var b strings.Builder
	for c := body.FirstChild; c != nil; c = c.NextSibling {
		html.Render(&b, c)
	}
	return b.String()
}

// prunable are elements that mean nothing without content.
var prunable = map[atom.Atom]bool{
	atom.A: true, atom.P: true, atom.Span: true, atom.Div: true, atom.Li: true,
	atom.Ul: true, atom.Ol: true, atom.Em: true, atom.Strong: true, atom.B: true,
	atom.I: true, atom.Figure: true, atom.Figcaption: true, atom.Blockquote: true,
	atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
}

func prune(n *html.Node, changed *bool) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.TextNode && strings.TrimSpace(c.Data) == "" && strings.Trim(c.Data, " \t\r\n\f") != "" &&
			betweenBlocks(c) {
			// a no-break space between two paragraphs (a spacer in the
			// outlet's page) would render as an empty line of its own
			c.Data = "\n"
			*changed = true
		}
		if c.Type == html.ElementNode {
			prune(c, changed)
			if prunable[c.DataAtom] && empty(c) {
				n.RemoveChild(c)
				*changed = true
			}
		}
		c = next
	}
}

// empty reports whether n has no text and no image inside.
func empty(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			if strings.TrimSpace(c.Data) != "" {
				return false
			}
		case html.ElementNode:
			if c.DataAtom == atom.Img || c.DataAtom == atom.Br && n.DataAtom != atom.A || !empty(c) {
				return false
			}
		}
	}
	return true
}

// blocks are the elements a reader sees as paragraphs of their own.
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Ul: true, atom.Ol: true, atom.Blockquote: true, atom.Figure: true,
	atom.Table: true, atom.Pre: true, atom.Hr: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true,
}

// betweenBlocks reports whether the nearest element siblings on both sides
// of n (or the parent's edges) are blocks.
func betweenBlocks(n *html.Node) bool {
	side := func(next func(*html.Node) *html.Node) bool {
		for s := next(n); s != nil; s = next(s) {
			switch {
			case s.Type == html.ElementNode:
				return blocks[s.DataAtom]
			case s.Type == html.TextNode && strings.TrimSpace(s.Data) != "":
				return false
			}
		}
		return true
	}
	return side(func(x *html.Node) *html.Node { return x.PrevSibling }) &&
		side(func(x *html.Node) *html.Node { return x.NextSibling })
}
