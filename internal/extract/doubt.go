package extract

import (
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// cloneTree copies a document for an extractor that rewrites the tree it
// reads. Scripts, styles, templates and comments, which no extractor shows,
// are left out of the copy.
func cloneTree(n *html.Node) *html.Node {
	c := &html.Node{Type: n.Type, DataAtom: n.DataAtom, Data: n.Data, Namespace: n.Namespace}
	if len(n.Attr) > 0 {
		c.Attr = make([]html.Attribute, len(n.Attr))
		copy(c.Attr, n.Attr)
	}
	// Iterative over siblings, recursive over depth: MaxDepth bounds it.
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		if k.Type == html.CommentNode || k.Type == html.ElementNode && (k.DataAtom == atom.Script || k.DataAtom == atom.Style || k.DataAtom == atom.Template) {
			continue
		}
		c.AppendChild(cloneTree(k))
	}
	return c
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// minConfident is the fewest words a view of readability's may have to
// stand alone; a shorter one may be a fragment of the article.
const minConfident = 100

// confident judges readability's view of a page on its own tree, where
// links are visible, and returns the blocks to keep when the view can stand
// alone. A doubtful view is compared with go-trafilatura's (choose).
//
// The view is doubtful when it is short, or when text that is not prose
// comes before its first paragraph: readability then took a container
// larger than the article (headline, byline, breadcrumbs, a whole page
// column), and what else that container holds is better told apart by
// comparing the two extractors. Chosen on scrapinghub, confirmed on
// trafilatura-eval and readability.
func confident(c *candidate) ([]block, bool) {
	if c == nil {
		return nil, false
	}
	first := -1
	for i, b := range c.blocks {
		if isProse(b) {
			first = i
			break
		}
	}
	if first != 0 {
		return nil, false
	}
	var kept []block
	words := 0
	for _, b := range c.blocks {
		// Inside the article, a block of links is a menu, a share bar or
		// a list of other stories; a long run of words without
		// punctuation is a tag cloud.
		if b.linkDensity() > stopLinks || !punctuated(b) && !sentenceEnd(b.text) {
			continue
		}
		kept = append(kept, b)
		words += b.words
	}
	if words < minConfident {
		return nil, false
	}
	return kept, true
}

// isProse reports whether a block reads like a paragraph of an article: a
// sentence or more, mostly not link text.
func isProse(b block) bool {
	return b.words >= 8 && b.linkDensity() < proseLinks && sentenceEnd(b.text)
}
