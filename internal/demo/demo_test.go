package demo

import (
	"bytes"
	"testing"
)

func TestPagesAreReadable(t *testing.T) {
	ps, err := Pages()
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) < 20 || len(ps) > 40 {
		t.Fatalf("%d pages bundled, want 20-40", len(ps))
	}
	spanish := 0
	for _, p := range ps {
		if p.URL == "" || p.Licence == "" {
			t.Errorf("%s: missing url or licence", p.File)
		}
		b, err := Read(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(bytes.ToLower(b[:min(len(b), 4096)]), []byte("<")) {
			t.Errorf("%s does not look like HTML", p.File)
		}
		if p.Set == "trafilatura-eval" {
			spanish++
		}
	}
	if spanish < 10 {
		t.Errorf("only %d Spanish-language pages", spanish)
	}
}
