package extract

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzExtract checks that no input makes extraction panic, and that what it
// returns is valid UTF-8 with a body that went through the sanitiser.
func FuzzExtract(f *testing.F) {
	f.Add([]byte(`<html lang="es"><head><title>T</title></head><body><article><p>` + strings.Repeat("Palabra de prueba en un texto. ", 20) + `</p></article></body></html>`))
	f.Add([]byte(`<meta charset=iso-8859-1><p>Le\xf3n ` + strings.Repeat("uno dos tres ", 10) + `<script>alert(1)</script>`))
	f.Add([]byte("\xff\xfe<\x00p\x00>\x00"))
	f.Add([]byte(strings.Repeat("<div>", 50) + "x"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		res, err := Extract(raw, "https://example.com/a")
		if err != nil {
			if res != nil {
				t.Fatal("result with error")
			}
			return
		}
		a := res.Article
		for _, s := range []string{a.Title, a.Text, a.BodyHTML, a.Byline, a.SiteName} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in %q", s)
			}
		}
		if strings.Contains(strings.ToLower(a.BodyHTML), "<script") {
			t.Fatalf("unsanitised body %q", a.BodyHTML)
		}
	})
}

func TestRefusesNonArticles(t *testing.T) {
	tests := map[string]struct {
		in   string
		want error
	}{
		"empty":       {"", ErrNoArticle},
		"navigation":  {`<html><body><nav><a href="/">Home</a></nav></body></html>`, ErrNoArticle},
		"binary":      {"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ErrNotHTML},
		"deep":        {strings.Repeat("<div>", MaxDepth+1), ErrTooLarge},
		"many":        {strings.Repeat("<i>a</i>", MaxElements+1), ErrTooLarge},
		"undecodable": {"<meta charset=utf-8><article><p>" + strings.Repeat("\xff\xfe ", 200) + "</p></article>", ErrNoArticle},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Extract([]byte(tt.in), "")
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}
