// Package charset turns web page bytes in whatever encoding they were
// published in into valid UTF-8.
package charset

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	xcharset "golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/unicode/norm"
)

// Decoded is a page converted to UTF-8.
type Decoded struct {
	Text []byte
	// Encoding is the name of the encoding the bytes were read as.
	Encoding string
	// How says where the encoding came from: "bom", "header", "meta",
	// "sniffed" or "default".
	How string
}

// ToUTF8 decodes raw page bytes. contentType is the HTTP Content-Type header
// when there was one ("" for files). The order of evidence follows the HTML
// standard's: a byte order mark, then the transport's charset, then a <meta>
// declaration in the first 1024 bytes, then sniffing. The result is always
// valid UTF-8 in Unicode normalisation form C; bytes that do not decode
// become U+FFFD rather than failing the page.
func ToUTF8(raw []byte, contentType string) (Decoded, error) {
	if len(raw) == 0 {
		return Decoded{}, fmt.Errorf("charset: empty input")
	}
	enc, name, certain := xcharset.DetermineEncoding(raw, contentType)
	head := raw[:min(len(raw), 1024)]
	how := "sniffed"
	switch {
	case hasBOM(raw):
		how = "bom"
	case certain:
		how = "header"
	case metaCharset.Match(head):
		how = "meta"
	case utf8.Valid(raw):
		// With no declaration, a page that is valid UTF-8 is far more likely
		// UTF-8 than the windows-1252 the standard falls back to.
		enc, name, how = encoding.Nop, "utf-8", "default"
	}
	if (how == "header" || how == "meta") && name != "utf-8" && !isUTF16(name) && hasMultibyteUTF8(raw) {
		// A declaration of a legacy charset on bytes that are valid UTF-8
		// with multi-byte sequences is a stale template: such bytes almost
		// never arise from a single-byte or CJK legacy encoding by chance.
		enc, name, how = encoding.Nop, "utf-8", how+"-overridden"
	}
	text, err := decode(raw, enc, name)
	if err != nil {
		return Decoded{}, fmt.Errorf("charset: unable to decode as %s: %w", name, err)
	}
	return Decoded{Text: norm.NFC.Bytes(text), Encoding: name, How: how}, nil
}

// Lookup returns the encoding registered under an HTML label, such as
// "iso-8859-1" or "shift_jis".
func Lookup(label string) (encoding.Encoding, error) {
	return htmlindex.Get(label)
}

func decode(raw []byte, enc encoding.Encoding, name string) ([]byte, error) {
	raw = trimBOM(raw)
	if name == "utf-8" || enc == encoding.Nop {
		return bytes.ToValidUTF8(raw, []byte("\uFFFD")), nil
	}
	out, err := enc.NewDecoder().Bytes(raw)
	if err != nil {
		return nil, err
	}
	return bytes.ToValidUTF8(out, []byte("\uFFFD")), nil
}

// metaCharset finds a <meta charset> or http-equiv Content-Type declaration.
var metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=`)

var boms = [][]byte{{0xEF, 0xBB, 0xBF}, {0xFE, 0xFF}, {0xFF, 0xFE}}

func hasBOM(b []byte) bool {
	for _, m := range boms {
		if bytes.HasPrefix(b, m) {
			return true
		}
	}
	return false
}

// trimBOM drops a UTF-8 BOM; UTF-16 decoders consume their own.
func trimBOM(b []byte) []byte {
	return bytes.TrimPrefix(b, boms[0])
}

func isUTF16(name string) bool { return strings.HasPrefix(name, "utf-16") }

// hasMultibyteUTF8 reports whether b is valid UTF-8 and holds at least a
// few multi-byte sequences (one could be chance).
func hasMultibyteUTF8(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	n := 0
	for _, c := range b {
		if c >= 0xC2 && c <= 0xF4 { // a UTF-8 lead byte
			if n++; n >= 3 {
				return true
			}
		}
	}
	return false
}
