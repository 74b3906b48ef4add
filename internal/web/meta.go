package web

import (
	"bytes"
	"html/template"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsdesk/newsdesk/internal/news"
)

// shareLink is a plain link to a service's share page: no script, no
// widget, nothing loaded from the service until the reader follows it.
type shareLink struct {
	Name, Href string
	Copy       bool // the "copy link" enhancement applies
}

func shareLinks(permalink, title string) []shareLink {
	e := url.QueryEscape
	return []shareLink{
		{Name: "X", Href: "https://x.com/intent/post?url=" + e(permalink) + "&text=" + e(title)},
		{Name: "Facebook", Href: "https://www.facebook.com/sharer/sharer.php?u=" + e(permalink)},
		{Name: "WhatsApp", Href: "https://wa.me/?text=" + e(title+" "+permalink)},
		{Name: "Telegram", Href: "https://t.me/share/url?url=" + e(permalink) + "&text=" + e(title)},
		{Name: "LinkedIn", Href: "https://www.linkedin.com/sharing/share-offsite/?url=" + e(permalink)},
		{Name: "E-mail", Href: "mailto:?subject=" + url.PathEscape(title) + "&body=" + url.PathEscape(permalink)},
		{Name: "Copy link", Href: permalink, Copy: true},
	}
}

// openGraph is the page's OpenGraph description.
type openGraph struct {
	Title, Type, URL, Image, ImageAlt, Description, SiteName, Locale string
	Published, Modified                                              string
}

func openGraphFor(a *news.Article, permalink, siteName string) *openGraph {
	og := &openGraph{Title: a.Title, Type: "article", URL: permalink, Image: a.Image, ImageAlt: a.ImageAlt,
		Description: a.Description, SiteName: siteName, Locale: strings.ReplaceAll(a.Language, "-", "_")}
	if !a.Published.IsZero() {
		og.Published = a.Published.UTC().Format(time.RFC3339)
	}
	if !a.Modified.IsZero() {
		og.Modified = a.Modified.UTC().Format(time.RFC3339)
	}
	return og
}

// ldThing is a schema.org node, marshalled as JSON-LD.
type ldThing map[string]any

// newsArticleLD describes our page as a NewsArticle based on the
// original: we credit the outlet as the original's publisher and never
// claim the work. a is the article as shown; original, when the page
// shows a machine translation, is the article as published, and the page
// is then a translation of that work in its own language.
func newsArticleLD(a, original *news.Article, permalink, siteName string) ldThing {
	src := a
	if original != nil {
		src = original
	}
	orig := ldThing{"@type": "NewsArticle", "url": src.URL, "headline": src.Title}
	if src.Language != "" {
		orig["inLanguage"] = src.Language
	}
	if src.SiteName != "" {
		orig["publisher"] = ldThing{"@type": "Organization", "name": src.SiteName}
	}
	ld := ldThing{
		"@context":         "https://schema.org",
		"@type":            "NewsArticle",
		"headline":         a.Title,
		"url":              permalink,
		"mainEntityOfPage": permalink,
		"isBasedOn":        orig,
		"publisher":        ldThing{"@type": "Organization", "name": siteName},
	}
	if a.Language != "" {
		ld["inLanguage"] = a.Language
	}
	if original != nil {
		ld["translationOfWork"] = orig
	}
	if a.Description != "" {
		ld["description"] = a.Description
	}
	if a.Image != "" {
		ld["image"] = []string{a.Image}
	}
	if a.Byline != "" {
		ld["author"] = []ldThing{{"@type": "Person", "name": a.Byline}}
	} else if a.SiteName != "" {
		ld["author"] = []ldThing{{"@type": "Organization", "name": a.SiteName}}
	}
	if !a.Published.IsZero() {
		ld["datePublished"] = a.Published.UTC().Format(time.RFC3339)
	}
	if !a.Modified.IsZero() {
		ld["dateModified"] = a.Modified.UTC().Format(time.RFC3339)
	}
	return ld
}

// leadImage is an article's image as a page shows it: through our media
// proxy (the default), from the outlet when remote images are allowed,
// else as a link to it.
type leadImage struct {
	Src, Alt      string
	Width, Height int  // 0 when unknown
	Inline        bool // shown as an image, not as a link
}

func (s *Server) leadImage(a *news.Article) *leadImage {
	if a.Image == "" {
		return nil
	}
	u, err := url.Parse(a.Image)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return nil
	}
	img := &leadImage{Src: a.Image, Alt: a.ImageAlt, Inline: s.cfg.RemoteImages && u.Scheme == "https"}
	if s.cfg.Media != nil && !s.cfg.RemoteImages {
		if path, ok := s.cfg.Media.Path(a.Image); ok {
			img.Src, img.Inline = path, true
		}
	}
	if s.cfg.Media != nil {
		img.Width, img.Height, _ = s.cfg.Media.Size(a.Image)
	}
	return img
}

// thumbnail is an article's image for a list, or nil when it has none or
// it would not be shown inline.
func (s *Server) thumbnail(a news.Article) *leadImage {
	img := s.leadImage(&a)
	if img == nil || !img.Inline {
		return nil
	}
	return img
}

// articleBody is the sanitised body, made fit to show on our page. Real
// pages carry markup that is safe but broken for assistive technology, so
// links with no text are unwrapped, stray children of lists are wrapped in
// list items and a second h1 becomes h2. Images are shown through our
// media proxy, so reading the page sends no request to anyone but us;
// without the proxy (and with remote images off) each becomes a link.
func (s *Server) articleBody(body string) template.HTML {
	return s.articleBodyWithout(body, "")
}

// articleBodyWithout is articleBody without the images at lead, the
// article's lead image when the page already shows it above the body
// (many outlets repeat it as the body's first picture).
func (s *Server) articleBodyWithout(body, lead string) template.HTML {
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(body), root)
	if err != nil {
		return template.HTML(body) // from the sanitiser
	}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	if lead != "" {
		removeImages(root, lead)
	}
	s.fixBody(root)
	fixHeadings(root)
	var out bytes.Buffer
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if err := html.Render(&out, c); err != nil {
			return template.HTML(body)
		}
	}
	return template.HTML(out.String())
}

func (s *Server) fixBody(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		s.fixBody(c)
		c = next
	}
	if n.Type != html.ElementNode {
		return
	}
	switch n.DataAtom {
	case atom.Img:
		switch {
		case s.cfg.RemoteImages:
			s.finishImage(n, attr(n, "src"))
			setAttr(n, "referrerpolicy", "no-referrer")
		case s.cfg.Media != nil && s.proxyImage(n):
		default:
			imageToLink(n)
		}
	case atom.A:
		if strings.TrimSpace(textOf(n)) == "" && !hasAltImage(n) {
			unwrap(n)
		}
	case atom.Ul, atom.Ol:
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			stray := (c.Type == html.ElementNode && c.DataAtom != atom.Li && c.DataAtom != atom.Script && c.DataAtom != atom.Template) ||
				(c.Type == html.TextNode && strings.TrimSpace(c.Data) != "")
			if stray {
				li := &html.Node{Type: html.ElementNode, Data: "li", DataAtom: atom.Li}
				n.InsertBefore(li, c)
				n.RemoveChild(c)
				li.AppendChild(c)
			}
			c = next
		}
	case atom.H1:
		n.Data, n.DataAtom = "h2", atom.H2
	}
}

var headingAtoms = []atom.Atom{0, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6}

// fixHeadings keeps the body's headings in order under the page's h1: the
// highest becomes h2 and none skips a level after the one before it.
func fixHeadings(root *html.Node) {
	var hs []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && headingLevel(n) > 0 {
			hs = append(hs, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	if len(hs) == 0 {
		return
	}
	top := 6
	for _, h := range hs {
		top = min(top, headingLevel(h))
	}
	last := 1
	for _, h := range hs {
		l := min(headingLevel(h)-top+2, last+1, 6)
		h.DataAtom = headingAtoms[l]
		h.Data = h.DataAtom.String()
		last = l
	}
}

func headingLevel(n *html.Node) int {
	for l, a := range headingAtoms {
		if l > 0 && n.DataAtom == a {
			return l
		}
	}
	return 0
}

// removeImages removes the <img> elements below n whose src is src.
func removeImages(n *html.Node, src string) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode && c.DataAtom == atom.Img && attr(c, "src") == src {
			n.RemoveChild(c)
		} else {
			removeImages(c, src)
		}
		c = next
	}
}

// imageToLink turns <img src alt> into a link to the image.
func imageToLink(n *html.Node) {
	var src, alt string
	for _, a := range n.Attr {
		switch a.Key {
		case "src":
			src = a.Val
		case "alt":
			alt = strings.TrimSpace(a.Val)
		}
	}
	label := "Image"
	if alt != "" {
		label = "Image: " + alt
	}
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.DataAtom == atom.A {
			// Already inside a link: links cannot nest, so just say it.
			n.Data, n.DataAtom = "span", atom.Span
			n.Attr = []html.Attribute{{Key: "class", Val: "image-link"}}
			n.AppendChild(&html.Node{Type: html.TextNode, Data: "[" + label + "]"})
			return
		}
	}
	n.Data, n.DataAtom = "a", atom.A
	n.Attr = []html.Attribute{{Key: "class", Val: "image-link"}, {Key: "rel", Val: "nofollow noopener noreferrer"}, {Key: "href", Val: src}}
	n.AppendChild(&html.Node{Type: html.TextNode, Data: label + " (on the original site)"})
}

func textOf(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(textOf(c))
	}
	return b.String()
}

func hasAltImage(n *html.Node) bool {
	if n.Type == html.ElementNode && n.DataAtom == atom.Img {
		for _, a := range n.Attr {
			if a.Key == "alt" && strings.TrimSpace(a.Val) != "" {
				return true
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if hasAltImage(c) {
			return true
		}
	}
	return false
}

// unwrap replaces n by its children.
func unwrap(n *html.Node) {
	p := n.Parent
	if p == nil {
		return
	}
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		n.RemoveChild(c)
		p.InsertBefore(c, n)
		c = next
	}
	p.RemoveChild(n)
}
