package feed

import (
	"bytes"
	"errors"
	"io"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Discovery is what a home page (or any HTML page) announces about itself.
type Discovery struct {
	Feeds     []string // <link rel=alternate> RSS, Atom and JSON feeds, in page order
	Hubs      []string // <link rel=hub>
	Self      string   // <link rel=self>
	Canonical string   // <link rel=canonical>
}

var feedTypes = map[string]bool{
	"application/rss+xml":   true,
	"application/atom+xml":  true,
	"application/feed+json": true,
	"application/json":      true, // JSON Feed 1.0 pages often say this
	"application/rdf+xml":   true,
	"application/xml":       false,
	"text/xml":              false,
}

// maxDiscoverTokens bounds the scan: links live in the head.
const maxDiscoverTokens = 20_000

// Discover finds feed, hub and canonical links in an HTML page's <link>
// (and, for feeds, <a rel=alternate>) elements, resolved against base.
func Discover(body []byte, base string) Discovery {
	var d Discovery
	baseURL, _ := url.Parse(base)
	z := html.NewTokenizer(bytes.NewReader(body))
	seen := map[string]bool{}
	for n := 0; n < maxDiscoverTokens; n++ {
		tt := z.Next()
		if tt == html.ErrorToken {
			if !errors.Is(z.Err(), io.EOF) {
				break
			}
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		a := atom.Lookup(name)
		if (a != atom.Link && a != atom.A) || !hasAttr {
			continue
		}
		var rel, typ, href string
		for {
			k, v, more := z.TagAttr()
			switch string(k) {
			case "rel":
				rel = strings.ToLower(string(v))
			case "type":
				typ = strings.ToLower(strings.TrimSpace(strings.SplitN(string(v), ";", 2)[0]))
			case "href":
				href = string(v)
			}
			if !more {
				break
			}
		}
		u := resolve(baseURL, href)
		if u == "" || !isHTTP(u) {
			continue
		}
		rels := strings.Fields(rel)
		has := func(r string) bool {
			for _, x := range rels {
				if x == r {
					return true
				}
			}
			return false
		}
		switch {
		case has("alternate") && feedTypes[typ]:
			if !seen[u] {
				seen[u] = true
				d.Feeds = append(d.Feeds, u)
			}
		case a == atom.Link && has("hub"):
			d.Hubs = append(d.Hubs, u)
		case a == atom.Link && has("self") && d.Self == "":
			d.Self = u
		case a == atom.Link && has("canonical") && d.Canonical == "":
			d.Canonical = u
		}
	}
	return d
}

// LinkHeader returns the targets of an HTTP Link header with relation rel
// (e.g. "hub", "self"), as WebSub publishers send them.
func LinkHeader(values []string, rel, base string) []string {
	baseURL, _ := url.Parse(base)
	var out []string
	for _, v := range values {
		for _, part := range splitLinks(v) {
			part = strings.TrimSpace(part)
			if !strings.HasPrefix(part, "<") {
				continue
			}
			end := strings.Index(part, ">")
			if end < 0 {
				continue
			}
			target := part[1:end]
			for _, param := range strings.Split(part[end+1:], ";") {
				k, v, ok := strings.Cut(strings.TrimSpace(param), "=")
				if !ok || !strings.EqualFold(strings.TrimSpace(k), "rel") {
					continue
				}
				for _, r := range strings.Fields(strings.Trim(strings.TrimSpace(v), `"`)) {
					if strings.EqualFold(r, rel) {
						if u := resolve(baseURL, target); u != "" {
							out = append(out, u)
						}
					}
				}
			}
		}
	}
	return out
}

// splitLinks splits a Link header on the commas between links, not those
// inside <...> or quotes.
func splitLinks(s string) []string {
	var out []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<':
			if !quoted {
				depth++
			}
		case '>':
			if !quoted && depth > 0 {
				depth--
			}
		case '"':
			quoted = !quoted
		case ',':
			if depth == 0 && !quoted {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}
