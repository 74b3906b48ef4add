package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// block is one paragraph-like run of text in a content tree: the inline
// content of one block-level element (or of a run of it between nested
// blocks). Blocks are what furniture removal and candidate comparison work
// on, and what the plain text is made of.
type block struct {
	owner *html.Node   // the block-level element holding the text
	nodes []*html.Node // the owner's children that make up this block
	text  string       // white space collapsed
	tag   atom.Atom    // owner's tag
	links int          // bytes of text inside links
	words int
}

// isBlockElement reports whether an element starts a new block of text.
func isBlockElement(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Ul, atom.Ol, atom.Li, atom.Dl, atom.Dt, atom.Dd, atom.Blockquote, atom.Pre,
		atom.Table, atom.Thead, atom.Tbody, atom.Tfoot, atom.Tr, atom.Td, atom.Th, atom.Caption,
		atom.Section, atom.Article, atom.Aside, atom.Header, atom.Footer, atom.Nav, atom.Main,
		atom.Figure, atom.Figcaption, atom.Form, atom.Fieldset, atom.Address, atom.Details,
		atom.Summary, atom.Hr, atom.Body, atom.Html, atom.Center, atom.Hgroup, atom.Menu:
		return true
	}
	return false
}

// skipElement reports whether an element never holds reader-visible text.
func skipElement(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Head, atom.Svg,
		atom.Iframe, atom.Object, atom.Embed, atom.Canvas, atom.Video, atom.Audio,
		atom.Button, atom.Select, atom.Textarea, atom.Input, atom.Math:
		return true
	}
	return false
}

type blockBuilder struct {
	blocks []block
	cur    block
	sb     strings.Builder
	space  bool // a space is pending before the next word
	inLink int
	via    *html.Node // the inline element a block started inside, if any
}

// blocksOf splits a content tree into its blocks, in document order.
func blocksOf(root *html.Node) []block {
	var b blockBuilder
	b.walk(root, root)
	b.flush()
	return b.blocks
}

func (b *blockBuilder) flush() {
	text := strings.TrimSpace(b.sb.String())
	if text != "" {
		b.cur.text = text
		b.cur.words = countWords(text)
		b.blocks = append(b.blocks, b.cur)
	}
	b.sb.Reset()
	b.space = false
	b.cur = block{}
	b.via = nil
}

func (b *blockBuilder) walk(n, owner *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == 0 || c.DataAtom.String() != c.Data) {
			// Libraries that build or rename elements may set only the
			// tag name, or leave the atom of the tag it had before.
			c.DataAtom = atom.Lookup([]byte(c.Data))
		}
		switch c.Type {
		case html.TextNode:
			b.note(c, n, owner)
			b.text(c.Data)
		case html.ElementNode:
			if skipElement(c) {
				continue
			}
			if isBlockElement(c.DataAtom) {
				b.flush()
				b.walk(c, c)
				b.flush()
				continue
			}
			if c.DataAtom == atom.Br {
				// A line break inside a paragraph stays one block; in a
				// container holding bare text it separates blocks.
				if owner.DataAtom == atom.P || owner.DataAtom == atom.Li || owner.DataAtom == atom.Td {
					b.space = b.sb.Len() > 0
				} else {
					b.flush()
				}
				continue
			}
			if c.DataAtom == atom.Img {
				continue
			}
			b.note(c, n, owner)
			// Only a link leads elsewhere: an anchor without href (<a
			// name=...>, often left open around the rest of the page) is
			// a bookmark in the text.
			link := c.DataAtom == atom.A && hasAttr(c, "href")
			if link {
				b.inLink++
			}
			b.walk(c, owner)
			if link {
				b.inLink--
			}
		}
	}
}

// note records that c, a child of parent, is part of the current block.
// Text that follows a block nested in an inline element (<a><h5>...</h5>
// <span>Read more</span></a>) starts a block whose first node is inside
// that element: it and its siblings are recorded, so that removing the
// block removes them.
func (b *blockBuilder) note(c, parent, owner *html.Node) {
	if parent != owner && (len(b.cur.nodes) > 0 || b.cur.owner != nil) && parent != b.via {
		return // inside an inline element already noted
	}
	if parent != owner && len(b.cur.nodes) == 0 {
		b.via = parent
	}
	if b.cur.owner == nil {
		b.cur.owner, b.cur.tag = owner, owner.DataAtom
	}
	b.cur.nodes = append(b.cur.nodes, c)
}

func (b *blockBuilder) text(s string) {
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		if unicode.IsSpace(r) {
			b.space = true
			s = s[size:]
			continue
		}
		i := strings.IndexFunc(s, unicode.IsSpace)
		if i < 0 {
			i = len(s)
		}
		if b.space && b.sb.Len() > 0 {
			b.sb.WriteByte(' ')
			if b.inLink > 0 {
				b.cur.links++
			}
		}
		b.space = false
		b.sb.WriteString(s[:i])
		if b.inLink > 0 {
			b.cur.links += i
		}
		s = s[i:]
	}
}

// countWords counts words; in scripts written without spaces (Chinese,
// Japanese, Thai) every two characters count as one word, about their
// average word length.
func countWords(s string) int {
	n, dense, in := 0, 0, false
	for _, r := range s {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai) {
			dense++
			in = false
			continue
		}
		w := unicode.IsLetter(r) || unicode.IsNumber(r)
		if w && !in {
			n++
		}
		in = w
	}
	return n + (dense+1)/2
}

// joinBlocks is the plain text of blocks: paragraphs separated by blank
// lines.
func joinBlocks(bs []block) string {
	var sb strings.Builder
	for i, b := range bs {
		if i > 0 {
			sb.WriteString("\n\n")
		}
		sb.WriteString(b.text)
	}
	return sb.String()
}

// linkDensity is the share of a block's text that is link text.
func (b block) linkDensity() float64 {
	if len(b.text) == 0 {
		return 0
	}
	return float64(b.links) / float64(len(b.text))
}

// remove takes the block's content out of its tree, and its owner too
// when nothing else is left in it.
func (b block) remove() {
	for _, n := range b.nodes {
		if n.Parent != nil {
			n.Parent.RemoveChild(n)
		}
	}
	if o := b.owner; o != nil && o.Parent != nil && o.DataAtom != atom.Body && !hasText(o) {
		o.Parent.RemoveChild(o)
	}
}

// hasText reports whether any text under n is other than white space. It
// stops at the first such text, where textOf would copy all of it.
func hasText(n *html.Node) bool {
	if n.Type == html.TextNode {
		return strings.TrimSpace(n.Data) != ""
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if hasText(c) {
			return true
		}
	}
	return false
}

// textOf is all the text under n.
func textOf(n *html.Node) string {
	var sb strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			sb.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return sb.String()
}
