package ingest

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFilesWalksAndFilters(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.html", "sub/b.HTM", "sub/deeper/c.html.gz", "sub/notes.txt", "x.warc.gz", "img.png"} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("x"), 0o644)
	}
	got, err := Files([]string{dir, filepath.Join(dir, "sub/notes.txt")})
	if err != nil {
		t.Fatal(err)
	}
	var rel []string
	for _, g := range got {
		r, _ := filepath.Rel(dir, g)
		rel = append(rel, r)
	}
	want := "a.html sub/b.HTM sub/deeper/c.html.gz x.warc.gz sub/notes.txt"
	if strings.Join(rel, " ") != want {
		t.Errorf("Files = %v, want %s (an explicitly named file is kept)", rel, want)
	}
	if _, err := Files([]string{filepath.Join(dir, "missing")}); err == nil {
		t.Error("missing path: want an error")
	}
}

func TestReadPageLimits(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "s.html")
	os.WriteFile(small, []byte("<p>hi</p>"), 0o644)
	if b, err := ReadPage(small, 100); err != nil || string(b) != "<p>hi</p>" {
		t.Fatalf("small: %q %v", b, err)
	}
	if _, err := ReadPage(small, 5); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over limit: %v", err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(bytes.Repeat([]byte("a"), 10_000))
	zw.Close()
	bomb := filepath.Join(dir, "b.html.gz")
	os.WriteFile(bomb, gz.Bytes(), 0o644)
	if _, err := ReadPage(bomb, 1000); !errors.Is(err, ErrTooLarge) {
		t.Errorf("gzip over limit once decompressed: %v", err)
	}
	if b, err := ReadPage(bomb, 20_000); err != nil || len(b) != 10_000 {
		t.Errorf("gzip within limit: %d %v", len(b), err)
	}
	notgz := filepath.Join(dir, "n.html.gz")
	os.WriteFile(notgz, []byte("plain"), 0o644)
	if _, err := ReadPage(notgz, 100); err == nil || !strings.Contains(err.Error(), "gzip") {
		t.Errorf("not gzip: %v", err)
	}
}

func TestProgressNonTerminal(t *testing.T) {
	var b bytes.Buffer
	p := NewProgress(&b, false, 3, "import")
	p.Add(1)
	p.Add(1)
	p.Add(1)
	p.Finish()
	if !strings.Contains(b.String(), "import: 3/3") || strings.Contains(b.String(), "\r") {
		t.Errorf("non-terminal progress = %q", b.String())
	}
}
