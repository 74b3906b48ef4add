// Package demo holds the bundled sample of real news pages that
// "newsdesk demo" imports, so that a fresh machine shows a working site.
package demo

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/json"
	"fmt"
	"io"
)

//go:embed manifest.json pages/*.html.gz NOTICE
var files embed.FS

// Page is one bundled page.
type Page struct {
	File    string `json:"file"`
	URL     string `json:"url"`     // where it was published
	Set     string `json:"set"`     // the test set it came from
	Licence string `json:"licence"` // the set's licence
}

// Pages lists the bundled pages.
func Pages() ([]Page, error) {
	b, err := files.ReadFile("manifest.json")
	if err != nil {
		return nil, fmt.Errorf("demo: unable to read manifest: %w", err)
	}
	var ps []Page
	if err := json.Unmarshal(b, &ps); err != nil {
		return nil, fmt.Errorf("demo: unable to parse manifest: %w", err)
	}
	return ps, nil
}

// Read returns a page's raw HTML bytes, decompressed.
func Read(p Page) ([]byte, error) {
	gz, err := files.ReadFile("pages/" + p.File)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("demo: %s: %w", p.File, err)
	}
	return io.ReadAll(zr)
}

// Notice returns the origin and licence notice of the bundled pages.
func Notice() string {
	b, _ := files.ReadFile("NOTICE")
	return string(b)
}
