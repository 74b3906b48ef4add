package extract

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// linkBase is what relative links of a page resolve against: the URL it
// was fetched from, or, for a local file, its canonical URL.
func linkBase(fetched *url.URL, canonical string) *url.URL {
	if fetched != nil {
		return fetched
	}
	u, err := url.Parse(canonical)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil
	}
	return u
}

// absolutize resolves the relative href and src attributes of a body
// against base, so that a republished body's links lead to the outlet's
// pages and not to missing pages of our own site.
func absolutize(body string, base *url.URL) string {
	if base == nil || (!strings.Contains(body, "href=") && !strings.Contains(body, "src=")) {
		return body
	}
	ctx := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(body), ctx)
	if err != nil {
		return body
	}
	changed := false
	for _, n := range nodes {
		changed = absolutizeTree(n, base) || changed
	}
	if !changed {
		return body
	}
	var b strings.Builder
	for _, n := range nodes {
		html.Render(&b, n)
	}
	return b.String()
}

// absolutizeTree is absolutize on a tree, before it is rendered; it
// reports whether it changed a link.
func absolutizeTree(n *html.Node, base *url.URL) bool {
	if base == nil {
		return false
	}
	changed := false
	if n.Type == html.ElementNode {
		for i, a := range n.Attr {
			if a.Key != "href" && a.Key != "src" {
				continue
			}
			ref, err := url.Parse(strings.TrimSpace(a.Val))
			if err != nil || ref.IsAbs() || strings.HasPrefix(a.Val, "#") {
				continue
			}
			n.Attr[i].Val = base.ResolveReference(ref).String()
			changed = true
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		changed = absolutizeTree(c, base) || changed
	}
	return changed
}
