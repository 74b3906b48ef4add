// Package extract turns a web page into an article: its main text without
// page furniture, and its metadata (title, byline, dates, lead image, site
// name, canonical URL, language).
package extract

import (
	"bytes"
	"errors"
	"fmt"
	stdhtml "html"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	htmldate "github.com/markusmobius/go-htmldate"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsdesk/newsdesk/internal/charset"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/sanitize"
)

// Limits on what a page may be. Pages past them are refused with a clear
// error instead of being parsed, so that memory stays bounded.
const (
	MaxPageBytes = 16 << 20 // raw page size
	MaxElements  = 200_000  // start tags in the page
	MaxDepth     = 1_000    // nesting of elements
)

// Errors a caller may want to tell apart.
var (
	ErrNoArticle = errors.New("extract: no article text found")
	ErrTooLarge  = errors.New("extract: page too large")
	ErrNotHTML   = errors.New("extract: not an HTML page")
)

// Result is what Extract found.
type Result struct {
	Article news.Article
	// Encoding is the character encoding the page was read as.
	Encoding string
	// Credit is the source the body credits in a "Source: X" line, which
	// is taken out of the text.
	Credit string
}

// Extract decodes raw page bytes (any charset) and extracts the article.
// pageURL is where the page was fetched from (a URL, or a file path for
// local imports); it resolves relative links and is the fallback canonical
// URL.
func Extract(raw []byte, pageURL string) (*Result, error) {
	return ExtractWithType(raw, pageURL, "")
}

// ExtractWithType is Extract with the HTTP Content-Type header, whose charset
// takes precedence over the page's own declaration.
func ExtractWithType(raw []byte, pageURL, contentType string) (*Result, error) {
	if len(raw) > MaxPageBytes {
		return nil, fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, len(raw), MaxPageBytes)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, fmt.Errorf("%w: empty page", ErrNoArticle)
	}
	if looksBinary(raw) {
		return nil, ErrNotHTML
	}
	dec, err := charset.ToUTF8(raw, contentType)
	if err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	// A page with fewer '<' than the element limit cannot exceed it, so
	// the tokenizing pre-check (a tenth of extraction time) runs only on
	// pages that might; nesting is checked on the parsed tree, which the
	// parser builds without recursion.
	if bytes.Count(dec.Text, []byte{'<'}) > MaxElements {
		if err := checkShape(dec.Text); err != nil {
			return nil, err
		}
	}
	doc, err := html.Parse(bytes.NewReader(dec.Text))
	if err != nil {
		if strings.Contains(err.Error(), "open stack of elements") {
			// x/net/html refuses trees nested deeper than it supports.
			return nil, fmt.Errorf("%w: elements nested deeper than the parser allows (%v)", ErrTooLarge, err)
		}
		return nil, fmt.Errorf("extract: unable to parse HTML: %w", err)
	}
	if treeDepth(doc) > MaxDepth {
		return nil, fmt.Errorf("%w: elements nested deeper than %d", ErrTooLarge, MaxDepth)
	}
	base, _ := url.Parse(pageURL)
	if base != nil && base.Scheme == "" {
		base = nil // a file path: no base for links
	}
	meta := readMeta(doc)
	ld := readJSONLD(doc)
	dropCards(doc)
	captions := pageCaptions(doc)
	// Readability reads a copy of the tree, which it rewrites; the
	// original stays whole for a second opinion when its view is doubtful.
	rp := readability.NewParser()
	rp.KeepClasses = true   // class names tell captions and comments apart
	rp.DisableJSONLD = true // readJSONLD has read it
	rd, rdErr := rp.ParseAndMutate(cloneTree(doc), base)
	var rc *candidate
	if rdErr == nil {
		rc = newCandidate("readability", rd.Node)
	}
	var (
		chosen *candidate
		blocks []block
		tr     *trafilatura.ExtractResult
		trErr  error
	)
	if kept, ok := confident(rc); ok {
		chosen, blocks = rc, pruneTo(rc.blocks, kept)
	} else {
		// go-trafilatura copies the tree it is given three times and reads
		// its head for metadata, which readMeta and readJSONLD have read:
		// it gets the page without its head.
		dropHead(doc)
		head := stubHead(doc, ld)
		tr, trErr = trafilatura.ExtractDocument(doc, trafilaturaOptions(base, ld, meta))
		if head != nil {
			head.Parent.RemoveChild(head)
		}
		var tc *candidate
		if trErr == nil && tr != nil {
			tc = newCandidate("trafilatura", tr.ContentNode)
		}
		chosen, blocks = choose(tc, rc)
	}
	if chosen == nil || len(blocks) == 0 {
		if trErr != nil {
			return nil, fmt.Errorf("%w: %v", ErrNoArticle, trErr)
		}
		return nil, ErrNoArticle
	}
	if tr == nil {
		tr = &trafilatura.ExtractResult{}
	}
	blocks, credit := cleanBlocks(blocks, []string{ld.headline, meta.title, rd.Title(), tr.Metadata.Title}, captions)
	if !substantial(blocks) {
		return nil, ErrNoArticle
	}
	a := news.Article{
		FetchURL: pageURL,
		URL:      firstNonEmpty(meta.canonical, tr.Metadata.URL, pageURL),
		SiteName: firstNonEmpty(meta.siteName, tr.Metadata.Sitename, ld.publisher, rd.SiteName(), hostOf(pageURL)),
		Title: cleanLine(stripSiteName(pickTitle(ld.headline, meta.title, rd.Title(), tr.Metadata.Title),
			meta.siteName, ld.publisher, tr.Metadata.Sitename, rd.SiteName(), siteLabel(pageURL))),
		Byline:      cleanLine(pickByline(ld.author, tr.Metadata.Author, rd.Byline())),
		Language:    normLang(firstNonEmpty(meta.lang, ld.lang, tr.Metadata.Language)),
		Image:       resolve(base, firstNonEmpty(meta.image, ld.image, tr.Metadata.Image)),
		ImageAlt:    cleanLine(meta.imageAlt),
		Description: cleanLine(firstNonEmpty(meta.description, ld.description, tr.Metadata.Description)),
		Published:   firstTime(ld.published, meta.published, tr.Metadata.Date, publishedTime(rd)),
		Modified:    firstTime(ld.modified, meta.modified),
		Text:        joinBlocks(blocks),
	}
	if a.Published.IsZero() && tr.ContentNode == nil {
		// go-trafilatura did not run, and with it the scan for a date.
		a.Published = scanDate(doc, base)
	}
	if base != nil {
		a.URL = resolve(base, a.URL)
	} else if strings.HasPrefix(a.URL, "//") {
		a.URL = "https:" + a.URL // scheme-relative canonical on a local file
	}
	lb := linkBase(base, a.URL)
	var body bytes.Buffer
	if chosen.root != nil {
		absolutizeTree(chosen.root, lb)
		if err := html.Render(&body, chosen.root); err != nil {
			return nil, fmt.Errorf("extract: unable to render body: %w", err)
		}
	}
	a.BodyHTML = sanitize.HTML(body.String())
	if base == nil {
		a.Image = resolve(lb, a.Image)
	}
	a.ContentHash = news.ContentHash(a.Title, a.Text)
	return &Result{Article: a, Encoding: dec.Encoding, Credit: credit}, nil
}

// dropHead takes the head element out of a document.
func dropHead(doc *html.Node) {
	for h := doc.FirstChild; h != nil; h = h.NextSibling {
		if h.Type != html.ElementNode || h.DataAtom != atom.Html {
			continue
		}
		for c := h.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.DataAtom == atom.Head {
				h.RemoveChild(c)
				return
			}
		}
	}
}

// stubHead gives a document without its head a head that spares
// go-trafilatura searches of the whole tree for metadata that Extract does
// not use: categories and tags (a JSON-LD Article with only those), and the
// author when the page's JSON-LD names one, which Extract prefers to
// go-trafilatura's. go-trafilatura drops the head before it extracts the
// text, and htmldate finds no date in it, so the result is the same. The
// caller takes the head out again.
func stubHead(doc *html.Node, ld ldMeta) *html.Node {
	var root *html.Node
	for h := doc.FirstChild; h != nil; h = h.NextSibling {
		if h.Type == html.ElementNode && h.DataAtom == atom.Html {
			root = h
			break
		}
	}
	if root == nil {
		return nil
	}
	head := &html.Node{Type: html.ElementNode, DataAtom: atom.Head, Data: "head"}
	script := &html.Node{Type: html.ElementNode, DataAtom: atom.Script, Data: "script",
		Attr: []html.Attribute{{Key: "type", Val: "application/ld+json"}}}
	script.AppendChild(&html.Node{Type: html.TextNode, Data: `{"@type":"Article","articleSection":"news","keywords":"news"}`})
	head.AppendChild(script)
	if ld.author != "" {
		head.AppendChild(&html.Node{Type: html.ElementNode, DataAtom: atom.Meta, Data: "meta",
			Attr: []html.Attribute{{Key: "name", Val: "author"}, {Key: "content", Val: ld.author}}})
	}
	root.InsertBefore(head, root.FirstChild)
	return head
}

// trafilaturaOptions are go-trafilatura's options for a page.
func trafilaturaOptions(base *url.URL, ld ldMeta, meta pageMeta) trafilatura.Options {
	o := trafilatura.Options{
		OriginalURL:     base,
		ExcludeComments: true,
		// IncludeLinks is off: go-trafilatura v1.12.2 moves a link's
		// text before the text that precedes it.
		MaxTreeSize: MaxElements,
		// Scanning the page for a date is costly and guesses; a date the
		// page declares makes it unnecessary. Without one, scan the page
		// without the multilingual date parser, which costs more than
		// the rest of the extraction.
		HtmlDateMode: trafilatura.Fast,
	}
	if declared := firstTime(ld.published, meta.published); !declared.IsZero() {
		o.HtmlDateOverride = &htmldate.Result{DateTime: declared, HasTime: true, HasTimezone: true}
	}
	return o
}

// scanDate looks for the page's publication date in its text and URL, the
// fast way (without the multilingual date parser).
func scanDate(doc *html.Node, base *url.URL) time.Time {
	o := htmldate.Options{UseOriginalDate: true, SkipExtensiveSearch: true}
	if base != nil {
		o.URL = base.String()
	}
	r, err := htmldate.FromDocument(doc, o)
	if err != nil {
		return time.Time{}
	}
	return r.DateTime
}

func publishedTime(a readability.Article) time.Time {
	t, err := a.PublishedTime()
	if err != nil {
		return time.Time{}
	}
	return t
}

// MinWords is the fewest words an article may have; less is navigation,
// an error page or a teaser, not an article.
const MinWords = 10

// checkText refuses extracted text that is too short to be an article or
// that is mostly characters which did not decode.
func checkText(text string) error {
	words, bad, runes := len(strings.Fields(text)), 0, 0
	for _, r := range text {
		runes++
		if r == utf8.RuneError {
			bad++
		}
	}
	if bad*10 > runes {
		return fmt.Errorf("%w: the text is mostly undecodable characters", ErrNoArticle)
	}
	if words < MinWords {
		return fmt.Errorf("%w: only %d words of text", ErrNoArticle, words)
	}
	return nil
}

// checkShape refuses HTML bombs before a full parse: too many elements or
// too deep a nesting. It tokenizes once, which is far cheaper than a DOM.
func checkShape(b []byte) error {
	z := html.NewTokenizer(bytes.NewReader(b))
	elements, depth := 0, 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			if errors.Is(z.Err(), io.EOF) {
				return nil
			}
			return fmt.Errorf("extract: unable to tokenize HTML: %w", z.Err())
		case html.StartTagToken:
			elements++
			depth++
			if elements > MaxElements {
				return fmt.Errorf("%w: more than %d elements", ErrTooLarge, MaxElements)
			}
			if depth > MaxDepth {
				return fmt.Errorf("%w: elements nested deeper than %d", ErrTooLarge, MaxDepth)
			}
		case html.EndTagToken:
			if depth > 0 {
				depth--
			}
		}
	}
}

// looksBinary reports whether the first bytes hold NULs or many control
// characters, as images, archives and executables do.
func looksBinary(b []byte) bool {
	head := b[:min(len(b), 1024)]
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		return false // UTF-16 text has NULs
	}
	ctl := 0
	for _, c := range head {
		if c == 0 {
			return true
		}
		if c < 0x09 || (c > 0x0D && c < 0x20) {
			ctl++
		}
	}
	return ctl > len(head)/10
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// cleanLine makes a one-line plain-text field: markup removed, entities
// decoded (templates escape them; we escape on output), space folded.
func cleanLine(s string) string {
	if strings.ContainsRune(s, '<') {
		s = sanitize.Text(s) // a policy is built per call: only for markup
	}
	return strings.Join(strings.Fields(stdhtml.UnescapeString(s)), " ")
}

func hostOf(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return ""
	}
	return strings.TrimPrefix(p.Hostname(), "www.")
}

func resolve(base *url.URL, ref string) string {
	if ref == "" || base == nil {
		return ref
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	return base.ResolveReference(r).String()
}

// normLang reduces a declared language ("es-PE", "es_ES", "ES") to its
// lower-case primary subtag.
func normLang(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i > 0 {
		s = s[:i]
	}
	if len(s) < 2 || len(s) > 3 {
		return ""
	}
	return s
}

// substantial reports whether blocks hold an article rather than a bare
// menu or a few stray words: five different words or more, not mostly
// link text.
func substantial(bs []block) bool {
	distinct := map[string]bool{}
	linkBytes, textBytes := 0, 0
	for _, b := range bs {
		linkBytes += b.links
		textBytes += len(b.text)
		if len(distinct) >= 5 {
			continue // folding is the costly part: five words suffice
		}
		for _, w := range strings.Fields(foldText(b.text)) {
			distinct[w] = true
			if len(distinct) >= 5 {
				break
			}
		}
	}
	return len(distinct) >= 5 && linkBytes*2 < textBytes
}

func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// pickTitle prefers the headline the page declares for its article, then
// its Open Graph title, then what readability and trafilatura made of the
// title element (measured in that order of exact-match rate).
func pickTitle(ld, og, read, traf string) string {
	return firstNonEmpty(ld, og, read, traf)
}

// pickByline prefers the author the page declares for its article.
func pickByline(ld, traf, read string) string {
	return firstNonEmpty(ld, traf, read)
}

// siteLabel is the name part of a URL's host: "aerobuzz" for
// www.aerobuzz.de.
func siteLabel(u string) string {
	h := hostOf(u)
	if i := strings.LastIndexByte(h, '.'); i > 0 {
		h = h[:i]
	}
	if i := strings.LastIndexByte(h, '.'); i >= 0 {
		h = h[i+1:]
	}
	return h
}

// treeDepth is the deepest nesting of elements under n, found without
// recursion.
func treeDepth(n *html.Node) int {
	type item struct {
		n     *html.Node
		depth int
	}
	deepest := 0
	stack := []item{{n, 0}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		deepest = max(deepest, it.depth)
		for c := it.n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				stack = append(stack, item{c, it.depth + 1})
			}
		}
	}
	return deepest
}
