package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// dropCards removes from a page the furniture that is a widget rather than
// a line of text, before any extractor reads it:
//
//   - a figure whose caption is a link: an image card pointing to another
//     story ("Leer más" under another story's photo and headline);
//   - a hover card glued into a sentence: an inline element beside a name,
//     holding a portrait and links to other stories, all of its text link
//     text, which a text view reads as "OmarIlhan OmarHeadline...";
//   - a bracketed teaser inside a paragraph: "(Ver nota <a>...</a>)".
//
// A photo whose image links to its full size keeps its caption: the
// caption is not link text.
func dropCards(doc *html.Node) {
	var walk func(n *html.Node, inText bool)
	walk = func(n *html.Node, inText bool) {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			if c.Type != html.ElementNode {
				c = next
				continue
			}
			switch c.DataAtom {
			case atom.Script, atom.Style, atom.Head, atom.Noscript, atom.Template, atom.Svg:
			case atom.Figure:
				if linkCard(c, 1) {
					n.RemoveChild(c)
				} else {
					walk(c, inText)
				}
			case atom.Span:
				// Inner elements first: the card goes, the name it
				// hangs on stays.
				walk(c, inText)
				if inText && linkCard(c, 2) && hasImage(c) {
					n.RemoveChild(c)
				}
			case atom.A:
				if inText && bracketTeaser(c) {
					next = c.NextSibling
					n.RemoveChild(c)
				} else {
					walk(c, inText)
				}
			default:
				walk(c, inText || c.DataAtom == atom.P)
			}
			c = next
		}
	}
	walk(doc, false)
}

// bracketTeaser recognises a link to another story inside a paragraph,
// bracketed with a teaser label: "... (Ver nota <a>sobre la rampa</a>)". It
// takes the label and brackets out of the text around the link and reports
// whether the link is to go.
func bracketTeaser(a *html.Node) bool {
	prev, next := a.PrevSibling, a.NextSibling
	if prev == nil || next == nil || prev.Type != html.TextNode || next.Type != html.TextNode {
		return false
	}
	open := strings.LastIndexAny(prev.Data, "([")
	if open < 0 || !teaserRe.MatchString(strings.TrimSpace(prev.Data[open:])) {
		return false
	}
	rest := strings.TrimLeft(next.Data, " ")
	if !strings.HasPrefix(rest, ")") && !strings.HasPrefix(rest, "]") {
		return false
	}
	prev.Data = strings.TrimRight(prev.Data[:open], " ")
	next.Data = rest[1:]
	return true
}

// linkCard reports whether n holds at least min links and text that is
// nearly all link text.
func linkCard(n *html.Node, min int) bool {
	links, linkText, text := 0, 0, 0
	var walk func(n *html.Node, inLink bool)
	walk = func(n *html.Node, inLink bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				l := len(strings.TrimSpace(c.Data))
				text += l
				if inLink {
					linkText += l
				}
			case html.ElementNode:
				link := c.DataAtom == atom.A && hasAttr(c, "href")
				if link {
					links++
				}
				walk(c, inLink || link)
			}
		}
	}
	walk(n, false)
	return links >= min && linkText > 0 && linkText*10 >= text*9
}

func hasImage(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Img || c.DataAtom == atom.Picture || hasImage(c)) {
			return true
		}
	}
	return false
}
