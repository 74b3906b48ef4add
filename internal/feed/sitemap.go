package feed

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
)

// Sitemap limits, from the sitemaps.org protocol.
const (
	MaxSitemapBytes = 50 << 20 // uncompressed size of one sitemap file
	MaxSitemapURLs  = 50_000   // <url> or <sitemap> entries per file
	MaxSitemapDepth = 10       // nesting of sitemap indexes
)

// Sitemap is a parsed sitemap or sitemap index.
type Sitemap struct {
	Index    bool         // a <sitemapindex>: Children are set, URLs empty
	URLs     []SitemapURL // page entries of a <urlset>
	Children []SitemapRef // child sitemaps of an index
}

// SitemapURL is one page of a sitemap; the news fields come from the
// Google News extension when present.
type SitemapURL struct {
	Loc       string
	LastMod   time.Time
	Title     string    // news:title
	Published time.Time // news:publication_date
	Language  string    // news:publication/news:language
}

// SitemapRef is one child of a sitemap index.
type SitemapRef struct {
	Loc     string
	LastMod time.Time
}

// ErrNotSitemap is returned for XML that is neither urlset nor sitemapindex.
var ErrNotSitemap = errors.New("feed: not a sitemap")

// ParseSitemap reads a sitemap or sitemap index, streaming, with the
// protocol's caps on size and entries. Entries past the cap are dropped.
func ParseSitemap(body []byte, base string) (*Sitemap, error) {
	if bytes.HasPrefix(body, []byte{0x1f, 0x8b}) {
		// sitemap.xml.gz files are served as gzip data, not gzip encoding.
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("feed: bad gzip sitemap: %w", err)
		}
		body, err = io.ReadAll(io.LimitReader(zr, MaxSitemapBytes+1))
		if err != nil {
			return nil, fmt.Errorf("feed: bad gzip sitemap: %w", err)
		}
	}
	if len(body) > MaxSitemapBytes {
		return nil, fmt.Errorf("feed: sitemap of %d bytes over the %d byte cap", len(body), MaxSitemapBytes)
	}
	body, _, err := ToUTF8XML(body, "")
	if err != nil {
		return nil, err
	}
	baseURL, _ := url.Parse(base)
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	sm := &Sitemap{}
	root := ""
	var cur *SitemapURL
	var ref *SitemapRef
	var path []string
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if root == "" {
				return nil, fmt.Errorf("feed: unable to parse sitemap: %w", err)
			}
			break // keep what was read before the damage
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if root == "" {
				if name != "urlset" && name != "sitemapindex" {
					return nil, ErrNotSitemap
				}
				root = name
				sm.Index = name == "sitemapindex"
			}
			path = append(path, name)
			switch {
			case name == "url" && root == "urlset":
				cur = &SitemapURL{}
			case name == "sitemap" && root == "sitemapindex":
				ref = &SitemapRef{}
			}
		case xml.EndElement:
			name := strings.ToLower(t.Name.Local)
			if len(path) > 0 {
				path = path[:len(path)-1]
			}
			switch {
			case name == "url" && cur != nil:
				if cur.Loc != "" && len(sm.URLs) < MaxSitemapURLs {
					sm.URLs = append(sm.URLs, *cur)
				}
				cur = nil
			case name == "sitemap" && ref != nil:
				if ref.Loc != "" && len(sm.Children) < MaxSitemapURLs {
					sm.Children = append(sm.Children, *ref)
				}
				ref = nil
			}
		case xml.CharData:
			if len(path) == 0 {
				continue
			}
			v := strings.TrimSpace(string(t))
			if v == "" {
				continue
			}
			switch leaf := path[len(path)-1]; {
			case cur != nil && leaf == "loc" && len(path) >= 2 && path[len(path)-2] == "url":
				if u := resolve(baseURL, v); isHTTP(u) {
					cur.Loc = u
				}
			case cur != nil && leaf == "lastmod":
				cur.LastMod = parseW3CDate(v)
			case cur != nil && leaf == "title":
				cur.Title += v
			case cur != nil && leaf == "publication_date":
				cur.Published = parseW3CDate(v)
			case cur != nil && leaf == "language":
				cur.Language = v
			case ref != nil && leaf == "loc":
				if u := resolve(baseURL, v); isHTTP(u) {
					ref.Loc = u
				}
			case ref != nil && leaf == "lastmod":
				ref.LastMod = parseW3CDate(v)
			}
		}
	}
	if root == "" {
		return nil, ErrNotSitemap
	}
	return sm, nil
}

func parseW3CDate(s string) time.Time {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// Kind is what a fetched document turned out to be.
type Kind string

// The kinds Detect tells apart.
const (
	KindFeed         Kind = "feed"
	KindSitemap      Kind = "sitemap"
	KindSitemapIndex Kind = "sitemapindex"
	KindHTML         Kind = "html"
	KindUnknown      Kind = "unknown"
)

// Detect looks at the start of a document and says what it is.
func Detect(body []byte, contentType string) Kind {
	if bytes.HasPrefix(body, []byte{0x1f, 0x8b}) {
		if zr, err := gzip.NewReader(bytes.NewReader(body)); err == nil {
			peek, _ := io.ReadAll(io.LimitReader(zr, 2048))
			switch k := Detect(peek, ""); k {
			case KindSitemap, KindSitemapIndex:
				return k
			}
		}
		return KindUnknown
	}
	head := bytes.ToLower(body[:min(len(body), 2048)])
	head = bytes.TrimLeft(head, "\xef\xbb\xbf \t\r\n")
	switch {
	case bytes.Contains(head, []byte("<urlset")):
		return KindSitemap
	case bytes.Contains(head, []byte("<sitemapindex")):
		return KindSitemapIndex
	case bytes.Contains(head, []byte("<rss")), bytes.Contains(head, []byte("<feed")),
		bytes.Contains(head, []byte("<rdf:rdf")):
		return KindFeed
	case bytes.HasPrefix(head, []byte("{")) && bytes.Contains(head, []byte("jsonfeed.org")):
		return KindFeed
	case bytes.Contains(head, []byte("<html")), bytes.Contains(head, []byte("<!doctype html")),
		strings.Contains(strings.ToLower(contentType), "text/html"):
		return KindHTML
	}
	return KindUnknown
}
