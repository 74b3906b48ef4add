package extract

import (
	"encoding/json"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ldMeta is what a page's schema.org JSON-LD says about its article.
type ldMeta struct {
	headline, author, publisher, image, lang, description string
	published, modified                                   time.Time
}

// articleTypes are the schema.org types whose JSON-LD describes the page's
// article.
var articleTypes = map[string]bool{
	"article": true, "newsarticle": true, "reportagenewsarticle": true, "analysisnewsarticle": true,
	"opinionnewsarticle": true, "blogposting": true, "backgroundnewsarticle": true, "liveblogposting": true,
	"scholarlyarticle": true, "techarticle": true, "report": true, "socialmediaposting": true, "webpage": false,
}

// readJSONLD reads every application/ld+json script of the page and takes
// the fields of the first article-typed object; fields it lacks are filled
// from a WebPage object when there is one.
func readJSONLD(doc *html.Node) ldMeta {
	var objs []map[string]any
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Script {
			if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") && n.FirstChild != nil {
				var v any
				if json.Unmarshal([]byte(n.FirstChild.Data), &v) == nil {
					collectLD(v, &objs, 0)
				}
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	var m ldMeta
	for _, pass := range []bool{true, false} {
		for _, o := range objs {
			isArticle, known := ldType(o)
			if !known || isArticle != pass {
				continue
			}
			fillLD(&m, o)
		}
	}
	return m
}

func collectLD(v any, out *[]map[string]any, depth int) {
	if depth > 4 {
		return
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			collectLD(e, out, depth+1)
		}
	case map[string]any:
		*out = append(*out, x)
		if g, ok := x["@graph"]; ok {
			collectLD(g, out, depth+1)
		}
	}
}

// ldType says whether an object is an article (true) or a web page
// (false); known is false for every other type.
func ldType(o map[string]any) (isArticle, known bool) {
	for _, t := range ldStrings(o["@type"]) {
		if a, ok := articleTypes[strings.ToLower(t)]; ok {
			return a, true
		}
	}
	return false, false
}

func fillLD(m *ldMeta, o map[string]any) {
	set := func(dst *string, v string) {
		if *dst == "" {
			*dst = strings.TrimSpace(v)
		}
	}
	set(&m.headline, ldText(o["headline"]))
	set(&m.headline, ldText(o["name"]))
	set(&m.description, ldText(o["description"]))
	set(&m.lang, ldText(o["inLanguage"]))
	set(&m.author, strings.Join(ldNames(o["author"]), "; "))
	set(&m.publisher, strings.Join(ldNames(o["publisher"]), "; "))
	set(&m.image, ldURL(o["image"]))
	if m.published.IsZero() {
		m.published = parseTime(ldText(o["datePublished"]))
	}
	if m.modified.IsZero() {
		m.modified = parseTime(ldText(o["dateModified"]))
	}
}

func ldText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		if len(x) > 0 {
			return ldText(x[0])
		}
	case map[string]any:
		return ldText(x["@value"])
	}
	return ""
}

func ldStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// ldNames reads a Person or Organization (or a list of them, or a bare
// name) as names.
func ldNames(v any) []string {
	switch x := v.(type) {
	case string:
		if s := strings.TrimSpace(x); s != "" && !strings.HasPrefix(s, "http") {
			return []string{s}
		}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, ldNames(e)...)
		}
		return out
	case map[string]any:
		if n := strings.TrimSpace(ldText(x["name"])); n != "" {
			return []string{n}
		}
	}
	return nil
}

func ldURL(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		if len(x) > 0 {
			return ldURL(x[0])
		}
	case map[string]any:
		if u := ldText(x["url"]); u != "" {
			return u
		}
		return ldText(x["contentUrl"])
	}
	return ""
}
