package feed

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds arbitrary bytes to every reader of this package: none
// may panic, and what they return must be well-formed.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><item><link>\xff</link></item></channel></rss>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if fd, err := Parse(b, "https://x.example/feed", ""); err == nil {
			if len(fd.Items) > MaxItems {
				t.Fatalf("%d items", len(fd.Items))
			}
			for _, it := range fd.Items {
				if !isHTTP(it.URL) || !utf8.ValidString(it.Title) {
					t.Fatalf("bad item %+v", it)
				}
			}
		}
		if sm, err := ParseSitemap(b, "https://x.example/s.xml"); err == nil {
			for _, u := range sm.URLs {
				if !isHTTP(u.Loc) {
					t.Fatalf("bad loc %q", u.Loc)
				}
			}
		}
		d := Discover(b, "https://x.example/")
		for _, u := range d.Feeds {
			if !isHTTP(u) {
				t.Fatalf("bad feed link %q", u)
			}
		}
		Detect(b, "")
	})
}
