package web

import (
	"bytes"
	"html/template"
	"io"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html"

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
// claim the work.
func newsArticleLD(a *news.Article, permalink, siteName string) ldThing {
	orig := ldThing{"@type": "NewsArticle", "url": a.URL, "headline": a.Title}
	if a.SiteName != "" {
		orig["publisher"] = ldThing{"@type": "Organization", "name": a.SiteName}
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

// leadImage is the lead image as the page shows it: the image itself when
// remote images are allowed, else a link to it.
type leadImage struct {
	Src, Alt string
	Inline   bool
}

func (s *Server) leadImage(a *news.Article) *leadImage {
	if a.Image == "" {
		return nil
	}
	u, err := url.Parse(a.Image)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return nil
	}
	return &leadImage{Src: a.Image, Alt: a.ImageAlt, Inline: s.cfg.RemoteImages && u.Scheme == "https"}
}

// articleBody is the sanitised body, ready to show. With remote images
// off, each image on another server becomes a link to it, so reading the
// page sends no request to anyone but us.
func (s *Server) articleBody(body string) template.HTML {
	if s.cfg.RemoteImages || !strings.Contains(body, "<img") {
		return template.HTML(body) // from the sanitiser
	}
	var out bytes.Buffer
	z := html.NewTokenizer(strings.NewReader(body))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if z.Err() != io.EOF {
				return template.HTML(body)
			}
			break
		}
		if tt == html.StartTagToken || tt == html.SelfClosingTagToken {
			if t := z.Token(); t.Data == "img" {
				var src, alt string
				for _, at := range t.Attr {
					switch at.Key {
					case "src":
						src = at.Val
					case "alt":
						alt = at.Val
					}
				}
				label := "Image"
				if alt != "" {
					label = "Image: " + alt
				}
				out.WriteString(`<a class="image-link" rel="nofollow noopener noreferrer" href="`)
				out.WriteString(html.EscapeString(src))
				out.WriteString(`">`)
				out.WriteString(html.EscapeString(label))
				out.WriteString(` (on the original site)</a>`)
				continue
			}
		}
		out.Write(z.Raw())
	}
	return template.HTML(out.String())
}
