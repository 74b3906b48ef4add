package extract

import (
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageMeta is what the page declares about itself in its head.
type pageMeta struct {
	canonical, title, siteName, lang, image, imageAlt, description string
	published, modified                                            time.Time
}

func readMeta(doc *html.Node) pageMeta {
	var m pageMeta
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Html:
				m.lang = attr(n, "lang")
			case atom.Link:
				if strings.EqualFold(attr(n, "rel"), "canonical") && m.canonical == "" {
					m.canonical = attr(n, "href")
				}
			case atom.Meta:
				key := strings.ToLower(firstNonEmpty(attr(n, "property"), attr(n, "name"), attr(n, "itemprop")))
				val := attr(n, "content")
				switch key {
				case "og:title":
					m.title = val
				case "og:site_name":
					m.siteName = val
				case "og:image", "twitter:image":
					if m.image == "" {
						m.image = val
					}
				case "og:image:alt", "twitter:image:alt":
					m.imageAlt = val
				case "og:description", "description":
					if m.description == "" {
						m.description = val
					}
				case "og:url":
					if m.canonical == "" {
						m.canonical = val
					}
				case "article:published_time", "datepublished":
					m.published = parseTime(val)
				case "article:modified_time", "og:updated_time", "datemodified":
					m.modified = parseTime(val)
				case "og:locale", "language", "content-language":
					if m.lang == "" {
						m.lang = val
					}
				}
			case atom.Body:
				return // metadata lives in the head
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return m
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return strings.TrimSpace(a.Val)
		}
	}
	return ""
}

var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"}

func parseTime(s string) time.Time {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, strings.TrimSpace(s)); err == nil {
			return t // keep the page's own offset: its calendar day is what it means
		}
	}
	return time.Time{}
}
