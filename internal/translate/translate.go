// Package translate turns text and article HTML from one language into
// another. Backends (Apertium, Apertium APY, LibreTranslate, any
// OpenAI-compatible chat server) sit behind one small interface, Backend;
// Service adds what every backend needs: markup preservation (inline
// elements keep their place and the spaces around them), protected spans,
// a glossary per language pair, post-editing rules and a cache.
package translate

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Pair is a translation direction, as ISO 639-1 codes ("es", "en").
type Pair struct{ From, To string }

func (p Pair) String() string { return p.From + "-" + p.To }

// ParsePair reads "es-en" (or "es|en").
func ParsePair(s string) (Pair, error) {
	f, t, ok := strings.Cut(s, "-")
	if !ok {
		f, t, ok = strings.Cut(s, "|")
	}
	if !ok || f == "" || t == "" {
		return Pair{}, fmt.Errorf("translate: bad language pair %q (want FROM-TO, e.g. es-en)", s)
	}
	return Pair{strings.ToLower(f), strings.ToLower(t)}, nil
}

// PartKind says what a Part of a Segment is.
type PartKind uint8

// The kinds of part.
const (
	Text  PartKind = iota // text to translate
	Keep                  // protected: output as is (Text, or HTML when set)
	Open                  // start tag of an inline element (HTML holds it)
	Close                 // end tag of an inline element
	Void                  // an element without content (br, img)
)

// Part is one piece of a Segment.
type Part struct {
	Kind PartKind
	// Text is the text to translate for Text parts and the plain-text
	// output of Keep parts.
	Text string
	// HTML is the markup of Open, Close and Void parts and, for Keep parts
	// cut out of HTML, the protected element as it was.
	HTML string
}

// Segment is the unit a backend translates: about one paragraph, with its
// inline markup and protected spans marked so that the backend can leave
// them in place.
type Segment []Part

// Plain returns the segment's text as a reader sees it, markup dropped.
func (s Segment) Plain() string {
	var b strings.Builder
	for _, p := range s {
		if p.Kind == Text || p.Kind == Keep {
			b.WriteString(p.Text)
		}
	}
	return dropUnknownMarks(b.String())
}

// Backend translates segments. Implementations keep the order and number of
// segments, return every non-Text part they were given exactly once and in
// the same order when the target language allows, and never invent parts.
type Backend interface {
	// Name is a short lower-case name: "apertium", "apy", "libretranslate", "openai".
	Name() string
	// Translate translates segs from p.From to p.To.
	Translate(ctx context.Context, p Pair, segs []Segment) ([]Segment, error)
}

// Translator is what the rest of newsdesk uses: text or HTML in, the same
// kind out.
type Translator interface {
	// Name names the engine, for the disclosure line ("Apertium").
	Name() string
	// TranslateText translates plain text; each line is translated on its own.
	TranslateText(ctx context.Context, p Pair, text string) (string, error)
	// TranslateHTML translates an HTML fragment, keeping its markup.
	TranslateHTML(ctx context.Context, p Pair, html string) (string, error)
}

// Errors a backend returns, wrapped, so callers can tell them apart.
var (
	// ErrUnsupportedPair: the backend cannot translate this pair.
	ErrUnsupportedPair = errors.New("translate: language pair not supported")
	// ErrUnavailable: the backend is not installed or not reachable.
	ErrUnavailable = errors.New("translate: backend unavailable")
	// ErrCircuitOpen: too many recent failures; calls are refused for a while.
	ErrCircuitOpen = errors.New("translate: circuit open after repeated failures")
)

// permanent marks an error that retrying cannot fix.
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// Permanent wraps err so that Reliable does not retry it.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanent{err}
}

func isPermanent(err error) bool {
	var p permanent
	return errors.As(err, &p) || errors.Is(err, ErrUnsupportedPair)
}
