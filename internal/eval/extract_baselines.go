package eval

import (
	"bytes"
	"fmt"
	"net/url"
	"sort"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"github.com/newsdesk/newsdesk/internal/charset"
	"github.com/newsdesk/newsdesk/internal/extract"
)

// extractors are the extractors the harness can run side by side. The
// third-party ones get the same input as ours: the page decoded to UTF-8
// (NFC) by internal/charset and parsed by x/net/html, so that only the
// extraction differs.
var extractors = map[string]Extractor{
	"ours":                 extractOurs,
	"trafilatura":          func(raw []byte, u string) (Prediction, error) { return extractTrafilatura(raw, u, false) },
	"trafilatura-fallback": func(raw []byte, u string) (Prediction, error) { return extractTrafilatura(raw, u, true) },
	"readability":          extractReadability,
}

// ExtractorNames lists the extractors ExtractorByName knows.
func ExtractorNames() []string {
	names := make([]string, 0, len(extractors))
	for n := range extractors {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ExtractorByName returns a named extractor: "ours" (internal/extract),
// "trafilatura" (go-trafilatura without fallback), "trafilatura-fallback"
// (with its readability and dom-distiller fallback) or "readability"
// (readeck go-readability).
func ExtractorByName(name string) (Extractor, error) {
	ex, ok := extractors[name]
	if !ok {
		return nil, fmt.Errorf("eval: unknown extractor %q (known: %s)", name, strings.Join(ExtractorNames(), ", "))
	}
	return ex, nil
}

func extractOurs(raw []byte, pageURL string) (Prediction, error) {
	res, err := extract.Extract(raw, pageURL)
	if err != nil {
		return Prediction{}, err
	}
	a := res.Article
	return Prediction{Text: a.Text, Title: a.Title, Byline: a.Byline, Date: a.Published}, nil
}

func parsePage(raw []byte, pageURL string) (*html.Node, *url.URL, error) {
	dec, err := charset.ToUTF8(raw, "")
	if err != nil {
		return nil, nil, err
	}
	doc, err := html.Parse(bytes.NewReader(dec.Text))
	if err != nil {
		return nil, nil, fmt.Errorf("eval: unable to parse HTML: %w", err)
	}
	u, _ := url.Parse(pageURL)
	if u != nil && u.Scheme == "" {
		u = nil
	}
	return doc, u, nil
}

func extractTrafilatura(raw []byte, pageURL string, fallback bool) (Prediction, error) {
	doc, u, err := parsePage(raw, pageURL)
	if err != nil {
		return Prediction{}, err
	}
	res, err := trafilatura.ExtractDocument(doc, trafilatura.Options{
		OriginalURL:     u,
		EnableFallback:  fallback,
		ExcludeComments: true,
	})
	if err != nil {
		return Prediction{}, err
	}
	m := res.Metadata
	return Prediction{Text: res.ContentText, Title: m.Title, Byline: m.Author, Date: m.Date}, nil
}

func extractReadability(raw []byte, pageURL string) (Prediction, error) {
	doc, u, err := parsePage(raw, pageURL)
	if err != nil {
		return Prediction{}, err
	}
	p := readability.NewParser()
	art, err := p.ParseAndMutate(doc, u)
	if err != nil {
		return Prediction{}, err
	}
	var text strings.Builder
	if art.Node != nil {
		if err := art.RenderText(&text); err != nil {
			return Prediction{}, err
		}
	}
	pred := Prediction{Text: text.String(), Title: art.Title(), Byline: art.Byline()}
	if t, err := art.PublishedTime(); err == nil {
		pred.Date = t
	}
	return pred, nil
}
