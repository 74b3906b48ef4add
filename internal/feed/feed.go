// Package feed reads what news sources publish to announce articles: RSS
// 0.9x/1.0/2.0, Atom and JSON Feed (via gofeed), news sitemaps and sitemap
// indexes, home pages (feed and hub discovery), OPML lists and WARC
// archives. It turns bytes into candidate article URLs; it does no I/O
// except reading the readers it is given.
package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	ext "github.com/mmcdole/gofeed/extensions"
	"github.com/mmcdole/gofeed/rss"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
)

// MaxItems caps the items taken from one feed document.
const MaxItems = 1000

// Feed is a parsed feed reduced to what collection needs.
type Feed struct {
	Title    string
	Link     string // the site's home page
	Language string
	Self     string   // the feed's own URL as it declares it
	Hubs     []string // WebSub hubs (rel=hub)
	// TTL is the RSS <ttl> (or sy:updatePeriod) hint; 0 when absent.
	TTL   time.Duration
	Items []Item
	// Repaired says the bytes' declared charset was wrong and was fixed.
	Repaired string
}

// Item is one announced article.
type Item struct {
	URL       string
	GUID      string
	Title     string
	Published time.Time // zero when unknown
}

// ErrNotFeed is returned for documents that are not RSS, Atom or JSON Feed.
var ErrNotFeed = errors.New("feed: not a feed")

// Parse parses an RSS, Atom or JSON Feed document. base resolves relative
// links (the URL the feed was fetched from); contentType is the HTTP
// header, used for its charset when the bytes are not UTF-8.
func Parse(body []byte, base, contentType string) (*Feed, error) {
	body, repaired, err := ToUTF8XML(body, contentType)
	if err != nil {
		return nil, err
	}
	p := gofeed.NewParser()
	p.KeepOriginalFeed = true
	gf, err := p.Parse(bytes.NewReader(body))
	if err != nil {
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
			return nil, ErrNotFeed
		}
		return nil, fmt.Errorf("feed: unable to parse: %w", err)
	}
	baseURL, _ := url.Parse(base)
	f := &Feed{
		Title:    strings.TrimSpace(gf.Title),
		Link:     resolve(baseURL, gf.Link),
		Language: strings.TrimSpace(gf.Language),
		Self:     resolve(baseURL, gf.FeedLink),
		Repaired: repaired,
	}
	switch of := gf.OriginalFeed().(type) {
	case *rss.Feed:
		if n, err := strconv.Atoi(strings.TrimSpace(of.TTL)); err == nil && n > 0 {
			f.TTL = time.Duration(n) * time.Minute
		}
		f.Hubs = append(f.Hubs, extLinks(of.Extensions, "hub")...)
		if f.Self == "" {
			if s := extLinks(of.Extensions, "self"); len(s) > 0 {
				f.Self = s[0]
			}
		}
	case *atom.Feed:
		for _, l := range of.Links {
			if strings.EqualFold(l.Rel, "hub") && l.Href != "" {
				f.Hubs = append(f.Hubs, l.Href)
			}
		}
	}
	if gf.FeedType == "json" {
		// gofeed does not read JSON Feed's "hubs" yet.
		var jf struct {
			Hubs []struct{ Type, URL string } `json:"hubs"`
		}
		if json.Unmarshal(body, &jf) == nil {
			for _, h := range jf.Hubs {
				if strings.EqualFold(h.Type, "websub") && h.URL != "" {
					f.Hubs = append(f.Hubs, h.URL)
				}
			}
		}
	}
	if f.TTL == 0 {
		f.TTL = syndicationPeriod(gf.Extensions)
	}
	for i, h := range f.Hubs {
		f.Hubs[i] = resolve(baseURL, h)
	}
	seen := map[string]bool{}
	for _, it := range gf.Items {
		if len(f.Items) >= MaxItems {
			break
		}
		link := it.Link
		if link == "" && strings.HasPrefix(it.GUID, "http") {
			link = it.GUID
		}
		link = resolve(baseURL, strings.TrimSpace(link))
		if link == "" || seen[link] || !isHTTP(link) {
			continue
		}
		seen[link] = true
		item := Item{URL: link, GUID: it.GUID, Title: strings.TrimSpace(it.Title)}
		if it.PublishedParsed != nil {
			item.Published = it.PublishedParsed.UTC()
		} else if it.UpdatedParsed != nil {
			item.Published = it.UpdatedParsed.UTC()
		}
		f.Items = append(f.Items, item)
	}
	return f, nil
}

func extLinks(e ext.Extensions, rel string) []string {
	var out []string
	for _, ns := range []string{"atom", "atom10", "atom03"} {
		for _, l := range e[ns]["link"] {
			if strings.EqualFold(l.Attrs["rel"], rel) && l.Attrs["href"] != "" {
				out = append(out, l.Attrs["href"])
			}
		}
	}
	return out
}

// syndicationPeriod reads the RSS 1.0 syndication module's updatePeriod
// and updateFrequency.
func syndicationPeriod(e ext.Extensions) time.Duration {
	sy := e["sy"]
	if sy == nil {
		return 0
	}
	per := map[string]time.Duration{"hourly": time.Hour, "daily": 24 * time.Hour, "weekly": 7 * 24 * time.Hour,
		"monthly": 30 * 24 * time.Hour, "yearly": 365 * 24 * time.Hour}
	var period time.Duration
	if v := sy["updatePeriod"]; len(v) > 0 {
		period = per[strings.ToLower(strings.TrimSpace(v[0].Value))]
	}
	if period == 0 {
		return 0
	}
	freq := 1
	if v := sy["updateFrequency"]; len(v) > 0 {
		if n, err := strconv.Atoi(strings.TrimSpace(v[0].Value)); err == nil && n > 0 {
			freq = n
		}
	}
	return period / time.Duration(freq)
}

func resolve(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	u.Fragment = ""
	return u.String()
}

func isHTTP(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

var xmlDecl = regexp.MustCompile(`^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)

// ToUTF8XML returns an XML (or JSON) document as UTF-8 with its
// declaration saying so. Feeds often declare one charset and use another:
// bytes that are valid UTF-8 are taken as UTF-8 whatever the label (a real
// Latin-1 text is almost never valid UTF-8); otherwise the declared label,
// then the HTTP charset, decode them, and a "UTF-8" label on invalid bytes
// means windows-1252. repaired describes a fix, "" when none was needed.
func ToUTF8XML(body []byte, contentType string) (out []byte, repaired string, err error) {
	switch {
	case bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}):
		body = body[3:]
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}), bytes.HasPrefix(body, []byte{0xFF, 0xFE}):
		enc, _ := htmlindex.Get("utf-16le")
		if body[0] == 0xFE {
			enc, _ = htmlindex.Get("utf-16be")
		}
		dec, err := enc.NewDecoder().Bytes(body[2:])
		if err != nil {
			return nil, "", fmt.Errorf("feed: bad UTF-16: %w", err)
		}
		return relabel(dec), "", nil
	}
	head := body[:min(len(body), 512)]
	declared := ""
	if m := xmlDecl.FindSubmatch(head); m != nil {
		declared = strings.ToLower(string(m[1]))
	}
	if utf8.Valid(body) {
		if declared != "" && declared != "utf-8" && declared != "utf8" && declared != "us-ascii" && !isASCII(body) {
			return relabel(body), "declared " + declared + ", read as UTF-8", nil
		}
		return relabel(body), "", nil
	}
	label := declared
	if label == "" {
		label = headerCharset(contentType)
	}
	if label == "" || label == "utf-8" || label == "utf8" {
		dec, err := charmap.Windows1252.NewDecoder().Bytes(body)
		if err != nil {
			return nil, "", fmt.Errorf("feed: unable to decode: %w", err)
		}
		return relabel(dec), "invalid UTF-8, read as windows-1252", nil
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		enc = charmap.Windows1252
	}
	dec, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return nil, "", fmt.Errorf("feed: unable to decode as %s: %w", label, err)
	}
	return relabel(dec), "", nil
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

var xmlDeclFull = regexp.MustCompile(`^\s*<\?xml[^>]*\?>`)

var encAttr = regexp.MustCompile(`encoding\s*=\s*["'][^"']*["']`)

// relabel rewrites the XML declaration's encoding to UTF-8.
func relabel(b []byte) []byte {
	loc := xmlDeclFull.FindIndex(b[:min(len(b), 512)])
	if loc == nil {
		return b
	}
	decl := encAttr.ReplaceAll(b[loc[0]:loc[1]], []byte(`encoding="UTF-8"`))
	out := make([]byte, 0, len(b)+8)
	out = append(out, decl...)
	return append(out, b[loc[1]:]...)
}

func headerCharset(ct string) string {
	for _, p := range strings.Split(ct, ";") {
		if v, ok := strings.CutPrefix(strings.ToLower(strings.TrimSpace(p)), "charset="); ok {
			return strings.Trim(v, `"' `)
		}
	}
	return ""
}
