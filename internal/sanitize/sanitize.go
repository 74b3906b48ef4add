// Package sanitize makes article HTML from the web safe to store and render.
// It is an allow-list (bluemonday): only text structure, links, images and
// tables survive; every script, style, event handler, frame, form and
// non-http(s) URL is removed.
package sanitize

import (
	"regexp"
	"sync"

	"github.com/microcosm-cc/bluemonday"
)

var (
	once   sync.Once
	policy *bluemonday.Policy
)

func articlePolicy() *bluemonday.Policy {
	once.Do(func() {
		p := bluemonday.NewPolicy()
		p.AllowStandardURLs() // http, https, mailto; relative URLs allowed
		p.AllowURLSchemes("http", "https", "mailto")
		p.RequireParseableURLs(true)
		p.RequireNoFollowOnLinks(true)
		p.RequireNoReferrerOnLinks(true)
		p.AddTargetBlankToFullyQualifiedLinks(false)

		p.AllowElements("p", "br", "hr", "h2", "h3", "h4", "h5", "h6",
			"ul", "ol", "li", "dl", "dt", "dd", "blockquote", "q", "cite",
			"em", "strong", "b", "i", "u", "s", "small", "sub", "sup", "mark",
			"abbr", "code", "pre", "figure", "figcaption", "span", "div",
			"table", "thead", "tbody", "tfoot", "tr", "caption")
		p.AllowAttrs("href").OnElements("a")
		p.AllowAttrs("title").OnElements("a", "abbr")
		p.AllowAttrs("cite").OnElements("blockquote", "q")
		p.AllowAttrs("datetime").OnElements("time")
		p.AllowElements("time")
		p.AllowAttrs("src").Matching(httpURL).OnElements("img")
		p.AllowAttrs("alt", "width", "height").OnElements("img")
		p.AllowAttrs("colspan", "rowspan").Matching(bluemonday.Integer).OnElements("td", "th")
		p.AllowElements("td", "th")
		// Language and direction mark passages in another language; translate
		// marks spans a translator must leave alone.
		p.AllowAttrs("lang").Matching(langTag).Globally()
		p.AllowAttrs("dir").Matching(regexp.MustCompile(`^(ltr|rtl|auto)$`)).Globally()
		p.AllowAttrs("translate").Matching(regexp.MustCompile(`^(yes|no)$`)).Globally()
		policy = p
	})
	return policy
}

var (
	httpURL = regexp.MustCompile(`^(https?://|/)[^\s]*$`)
	langTag = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$`)
)

// HTML returns s with everything outside the allow-list removed, and the
// links and elements that were left empty by it.
func HTML(s string) string {
	return tidy(articlePolicy().Sanitize(s))
}

// Text returns s with all markup removed, for fields that must be plain
// text (titles, bylines) but came from HTML.
func Text(s string) string {
	return bluemonday.StrictPolicy().Sanitize(s)
}
