package feed

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// Outline is one source in an OPML subscription list.
type Outline struct {
	Title    string
	XMLURL   string // the feed (or sitemap, or page) to collect
	HTMLURL  string // the site
	Language string
	Category string // the enclosing outline's title, if nested
}

type opmlDoc struct {
	XMLName xml.Name    `xml:"opml"`
	Version string      `xml:"version,attr"`
	Title   string      `xml:"head>title"`
	Created string      `xml:"head>dateCreated,omitempty"`
	Body    []opmlEntry `xml:"body>outline"`
}

type opmlEntry struct {
	Text     string      `xml:"text,attr"`
	Title    string      `xml:"title,attr,omitempty"`
	Type     string      `xml:"type,attr,omitempty"`
	XMLURL   string      `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string      `xml:"htmlUrl,attr,omitempty"`
	Language string      `xml:"language,attr,omitempty"`
	Children []opmlEntry `xml:"outline"`
}

// MaxOPMLBytes caps an OPML file read by ReadOPML.
const MaxOPMLBytes = 16 << 20

// ReadOPML reads the feeds of an OPML 1.0/2.0 file, flattening folders.
func ReadOPML(r io.Reader) ([]Outline, error) {
	d := xml.NewDecoder(io.LimitReader(r, MaxOPMLBytes))
	d.Strict = false
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		b, err := io.ReadAll(in)
		if err != nil {
			return nil, err
		}
		out, _, err := ToUTF8XML(b, "charset="+label)
		return strings.NewReader(string(out)), err
	}
	var doc opmlDoc
	if err := d.Decode(&doc); err != nil {
		return nil, fmt.Errorf("feed: unable to read OPML: %w", err)
	}
	var out []Outline
	var walk func(es []opmlEntry, cat string, depth int)
	walk = func(es []opmlEntry, cat string, depth int) {
		if depth > 16 {
			return
		}
		for _, e := range es {
			title := strings.TrimSpace(firstNonEmpty(e.Title, e.Text))
			if u := strings.TrimSpace(e.XMLURL); u != "" {
				out = append(out, Outline{Title: title, XMLURL: u, HTMLURL: strings.TrimSpace(e.HTMLURL),
					Language: strings.TrimSpace(e.Language), Category: cat})
			}
			walk(e.Children, title, depth+1)
		}
	}
	walk(doc.Body, "", 0)
	return out, nil
}

// WriteOPML writes outlines as an OPML 2.0 document.
func WriteOPML(w io.Writer, title string, outlines []Outline, now time.Time) error {
	doc := opmlDoc{Version: "2.0", Title: title, Created: now.UTC().Format(time.RFC1123Z)}
	for _, o := range outlines {
		doc.Body = append(doc.Body, opmlEntry{Text: firstNonEmpty(o.Title, o.XMLURL), Title: o.Title, Type: "rss",
			XMLURL: o.XMLURL, HTMLURL: o.HTMLURL, Language: o.Language})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("feed: unable to write OPML: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
